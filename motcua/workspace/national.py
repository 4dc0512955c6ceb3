"""The national portal's screens for system administrators (``/workspace/national/``): the
outbox's figures (queue depth, oldest undelivered message, failures by reason) with its dead
letters and blocked messages to re-queue or annotate (``integration.outbox``, which checks the
permission again and records a ``MessageEvent``); and the national catalogue's pulled changes,
each shown field by field to the catalogue officer, who accepts or rejects it
(``integration.catalogue_sync``, which checks again and records a ``CatalogueSyncEvent``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts import permissions
from motcua.accounts.models import User
from motcua.catalogue import queries as catalogue_queries
from motcua.integration import catalogue_sync, outbox
from motcua.integration.catalogue_diff import diff
from motcua.integration.figures import outbox_figures, stuck_messages
from motcua.integration.models import (
    CatalogueChange,
    CatalogueSyncEvent,
    ChangeKind,
    ChangeState,
    OutboxMessage,
)

# Decided changes and pulls listed under the pending ones.
RECENT = 20


class NoteForm(forms.Form):
    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def system_admin(request: HttpRequest) -> User:
    """The signed-in system administrator; 403 for anyone else."""
    user = request.user
    if not isinstance(user, User) or not permissions.is_system_admin(user):
        raise PermissionDenied(_("Only a system administrator may manage the national outbox."))
    return user


def _message(message_id: int) -> OutboxMessage:
    found = OutboxMessage.objects.filter(pk=message_id).first()
    if found is None:
        raise Http404("no such message")
    return found


@login_required
@require_GET
def outbox_page(request: HttpRequest) -> HttpResponse:
    """The figures and the stuck messages, each with its re-queue button and note."""
    system_admin(request)
    return render(
        request,
        "workspace/national/outbox.html",
        {"figures": outbox_figures(), "stuck": list(stuck_messages())},
    )


@login_required
@require_POST
def requeue_message(request: HttpRequest, message_id: int) -> HttpResponse:
    user = system_admin(request)
    message = _message(message_id)
    try:
        outbox.requeue(message, actor=user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("Message %(message)s re-queued: it is sent again at once.") % {"message": message},
        )
    return redirect("workspace:national_outbox")


@login_required
@require_POST
def annotate_message(request: HttpRequest, message_id: int) -> HttpResponse:
    user = system_admin(request)
    message = _message(message_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
    else:
        outbox.annotate(message, note=form.cleaned_data["note"], actor=user)
        messages.success(request, _("Note saved on message %(message)s.") % {"message": message})
    return redirect("workspace:national_outbox")


# --- the national catalogue's changes ------------------------------------------------------


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def catalogue_officer(request: HttpRequest) -> User:
    """The signed-in catalogue officer; 403 for anyone else."""
    user = request.user
    if not isinstance(user, User) or not permissions.can_manage_catalogue(user):
        raise PermissionDenied(_("Only a system administrator may change the catalogue."))
    return user


def _change(change_id: int) -> CatalogueChange:
    found = CatalogueChange.objects.select_related("base", "result", "decided_by")
    change = found.filter(pk=change_id).first()
    if change is None:
        raise Http404("no such change")
    return change


@login_required
@require_GET
def changes_page(request: HttpRequest) -> HttpResponse:
    """The pending changes, the recently decided ones and the last pulls."""
    catalogue_officer(request)
    decided = CatalogueChange.objects.exclude(state=ChangeState.PENDING).select_related(
        "decided_by"
    )
    pulls = CatalogueSyncEvent.objects.filter(change=None).order_by("-at", "-pk")
    return render(
        request,
        "workspace/national/changes.html",
        {
            "pending": list(catalogue_sync.pending_changes()),
            "decided": list(decided.order_by("-pulled_at", "-pk")[:RECENT]),
            "pulls": list(pulls.select_related("actor")[:5]),
        },
    )


@login_required
@require_POST
def pull(request: HttpRequest) -> HttpResponse:
    """Pull the national catalogue now (the worker does it every morning)."""
    user = catalogue_officer(request)
    report = catalogue_sync.pull_catalogue(actor=user)
    if report.problem:
        messages.error(
            request,
            _("The national portal could not be read: %(problem)s") % {"problem": report.problem},
        )
    else:
        found = sum(len(codes) for codes in report.found.values())
        messages.success(
            request,
            _("National catalogue pulled: %(found)d new changes, %(same)d procedures the same.")
            % {"found": found, "same": report.unchanged},
        )
    return redirect("workspace:national_changes")


@login_required
@require_GET
def change_page(request: HttpRequest, change_id: int) -> HttpResponse:
    """One change field by field, with its decision, history and the officer's two buttons."""
    catalogue_officer(request)
    change = _change(change_id)
    ours = (
        catalogue_queries.spec_of(catalogue_queries.version_with_details(change.base.pk))
        if change.base
        else None
    )
    national = None if change.kind == ChangeKind.ABOLISHED else catalogue_sync.national_spec(change)
    rows = diff(ours, national)
    return render(
        request,
        "workspace/national/change.html",
        {
            "change": change,
            "rows": rows,
            "changed": sum(row.changed for row in rows),
            "events": list(change.events.select_related("actor")),
            "form": RejectForm(),
        },
    )


@login_required
@require_POST
def accept_change(request: HttpRequest, change_id: int) -> HttpResponse:
    user = catalogue_officer(request)
    change = _change(change_id)
    try:
        accepted = catalogue_sync.accept_change(change, actor=user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("workspace:national_change", change_id=change.pk)
    assert accepted.result is not None  # noqa: S101 - set by accepting
    messages.success(
        request,
        _("Accepted: %(code)s, version %(number)d in the catalogue.")
        % {"code": change.procedure_code, "number": accepted.result.number},
    )
    return redirect("workspace:national_changes")


@login_required
@require_POST
def reject_change(request: HttpRequest, change_id: int) -> HttpResponse:
    user = catalogue_officer(request)
    change = _change(change_id)
    form = RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for rejecting the change."), code="required")
        catalogue_sync.reject_change(change, reason=form.cleaned_data["reason"], actor=user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("workspace:national_change", change_id=change.pk)
    messages.success(request, _("Rejected: %(code)s.") % {"code": change.procedure_code})
    return redirect("workspace:national_changes")
