"""Reply templates (mẫu trả lời) for supplement requests and refusals: who may keep them, the
active ones an officer may pick, and the writes, each recorded as a ``ReplyTemplateEvent``
in the way organisation and catalogue changes are audited.

A template only pre-fills text: the officer still reads and edits it, and the supplement
request or refusal is recorded by its own service with the text actually sent."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import permissions
from motcua.accounts.models import Agency, Role, User
from motcua.accounts.permissions import AnyUser
from motcua.dossiers.models import (
    ReplyKind,
    ReplyTemplate,
    ReplyTemplateAction,
    ReplyTemplateEvent,
)
from motcua.errors import Refusal, Refused, invalid, together

# Heads of department write the agency's standard replies; agency administrators keep them.
MANAGER_ROLES = frozenset({Role.HEAD_OF_DEPARTMENT, Role.AGENCY_ADMIN})
TITLE_MAX = 200


# --- permissions -------------------------------------------------------------------------


def can_manage_replies(user: AnyUser, agency: Agency) -> bool:
    """Heads of department and agency administrators of ``agency`` manage its templates."""
    return bool(permissions.roles_in(user, agency) & MANAGER_ROLES)


def managed_agencies(user: AnyUser) -> list[Agency]:
    """The agencies whose reply templates ``user`` manages, by code."""
    ids = permissions.agency_ids_with_role(user, MANAGER_ROLES)
    return list(Agency.objects.filter(pk__in=sorted(ids)).order_by("code"))


# --- reads -------------------------------------------------------------------------------


def active_templates(agencies: Iterable[Agency], kind: str) -> list[ReplyTemplate]:
    """The active templates of ``kind`` kept by any of ``agencies``, by title."""
    ids = sorted({a.pk for a in agencies})
    return list(
        ReplyTemplate.objects.filter(agency_id__in=ids, kind=kind, active=True).order_by(
            "title", "pk"
        )
    )


def templates_of(agency: Agency) -> QuerySet[ReplyTemplate]:
    """Every template of ``agency``, active first, for its management page."""
    return ReplyTemplate.objects.filter(agency=agency).order_by("-active", "kind", "title", "pk")


def template_of(agency: Agency, pk: int) -> ReplyTemplate | None:
    """Template ``pk`` if ``agency`` keeps it (so another agency's is never reached)."""
    return ReplyTemplate.objects.filter(agency=agency, pk=pk).first()


def lines_of(template: ReplyTemplate) -> list[str]:
    """The template's text as non-empty lines (items of Form 02, reasons of Form 03)."""
    return [line.strip() for line in template.body.splitlines() if line.strip()]


# --- writes ------------------------------------------------------------------------------


def _check(actor: User, agency: Agency) -> None:
    if not can_manage_replies(actor, agency):
        raise Refused(
            _("Only heads of department and administrators of %(agency)s keep its replies.")
            % {"agency": agency.code},
            code="replies_not_managed",
        )


def _clean(kind: str, title: str, body: str) -> tuple[str, str, str]:
    errors: list[Refusal] = []
    if kind not in ReplyKind.values:
        errors.append(invalid("reply_kind", _("Choose supplement request or refusal."), "kind"))
    title, body = title.strip(), body.strip()
    if not title:
        errors.append(invalid("required", _("Give the template a title."), "title"))
    elif len(title) > TITLE_MAX:
        errors.append(
            invalid("too_long", _("At most %(n)s characters.") % {"n": TITLE_MAX}, "title")
        )
    if not body:
        errors.append(invalid("required", _("Write the text of the reply."), "body"))
    if errors:
        raise together(errors)

    return kind, title, body


def _record(
    template: ReplyTemplate, action: str, actor: User, now: dt.datetime
) -> ReplyTemplateEvent:
    return ReplyTemplateEvent.objects.create(
        template=template,
        action=action,
        actor=actor,
        at=now,
        data={
            "agency": template.agency.code,
            "kind": template.kind,
            "title": template.title,
            "body": template.body,
            "active": template.active,
        },
    )


def create_template(
    *,
    agency: Agency,
    kind: str,
    title: str,
    body: str,
    actor: User,
    now: dt.datetime | None = None,
) -> ReplyTemplate:
    """A new active template of ``agency``."""
    _check(actor, agency)
    kind, title, body = _clean(kind, title, body)
    with transaction.atomic():
        template = ReplyTemplate.objects.create(
            agency=agency, kind=kind, title=title, body=body, created_by=actor
        )
        _record(template, ReplyTemplateAction.CREATED, actor, now or timezone.now())
    return template


def update_template(
    template: ReplyTemplate,
    *,
    kind: str,
    title: str,
    body: str,
    actor: User,
    now: dt.datetime | None = None,
) -> ReplyTemplate:
    """Change a template's kind, title and text (the event keeps what it says now)."""
    _check(actor, template.agency)
    kind, title, body = _clean(kind, title, body)
    with transaction.atomic():
        locked = (
            ReplyTemplate.objects.select_for_update().select_related("agency").get(pk=template.pk)
        )
        locked.kind, locked.title, locked.body = kind, title, body
        locked.save(update_fields=["kind", "title", "body", "updated_at"])
        _record(locked, ReplyTemplateAction.UPDATED, actor, now or timezone.now())
    template.refresh_from_db()
    return template


def deactivate_template(
    template: ReplyTemplate, *, actor: User, now: dt.datetime | None = None
) -> ReplyTemplate:
    """Stop offering a template; it stays for the history. Deactivating twice does nothing."""
    _check(actor, template.agency)
    with transaction.atomic():
        locked = (
            ReplyTemplate.objects.select_for_update().select_related("agency").get(pk=template.pk)
        )
        if locked.active:
            locked.active = False
            locked.save(update_fields=["active", "updated_at"])
            _record(locked, ReplyTemplateAction.DEACTIVATED, actor, now or timezone.now())
    template.refresh_from_db()
    return template
