"""Writes to organisations and people. Each function runs in one transaction and appends an
``OrganisationEvent``; views, the admin and commands call these instead of saving models."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import grants, permissions
from motcua.accounts.models import (
    AGENCY_ROLES,
    AdministrativeUnit,
    Agency,
    OrganisationAction,
    OrganisationEvent,
    RoleAssignment,
    UnitLevel,
    User,
)
from motcua.errors import Refused, invalid, on_field

# The data set's keys for each level's children.
_CHILD_KEYS = {UnitLevel.PROVINCE: "District", UnitLevel.DISTRICT: "Ward"}
_UNIT_FIELDS = ("name", "full_name", "name_en", "full_name_en", "code_name", "parent_id", "source")


def _unit_values(item: dict[str, Any], parent_id: int | None, source: str) -> dict[str, Any]:
    return {
        "name": item["Name"],
        "full_name": item["FullName"],
        "name_en": item.get("NameEn") or "",
        "full_name_en": item.get("FullNameEn") or "",
        "code_name": item.get("CodeName") or "",
        "parent_id": parent_id,
        "source": source,
    }


def load_units(
    data: list[dict[str, Any]],
    *,
    source: str,
    actor: User | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int], object] | None = None,
) -> dict[str, int]:
    """Load a three-tier list of provinces → districts → communes (the format of
    ThangLeQuoc/vietnamese-provinces-database) idempotently.

    Units are matched by level and code among units without a start date (the pre-2025 list);
    a re-run updates names that changed and creates nothing twice. Returns counts of created,
    updated and unchanged units. ``progress`` is called with the number of units handled.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {
            (unit.level, unit.code): unit
            for unit in AdministrativeUnit.objects.filter(valid_from__isnull=True)
        }
        level_items: list[tuple[str, list[tuple[dict[str, Any], tuple[str, str] | None]]]] = []
        provinces: list[tuple[dict[str, Any], tuple[str, str] | None]] = [
            (item, None) for item in data
        ]
        level_items.append((UnitLevel.PROVINCE.value, provinces))
        districts: list[tuple[dict[str, Any], tuple[str, str] | None]] = [
            (child, (UnitLevel.PROVINCE.value, item["Code"]))
            for item in data
            for child in item.get("District") or []
        ]
        level_items.append((UnitLevel.DISTRICT.value, districts))
        communes: list[tuple[dict[str, Any], tuple[str, str] | None]] = [
            (child, (UnitLevel.DISTRICT.value, district["Code"]))
            for district, _parent in districts
            for child in district.get("Ward") or []
        ]
        level_items.append((UnitLevel.COMMUNE.value, communes))

        for level, items in level_items:
            to_create: list[AdministrativeUnit] = []
            to_update: list[AdministrativeUnit] = []
            for item, parent_key in items:
                parent_id = existing[parent_key].pk if parent_key else None
                values = _unit_values(item, parent_id, source)
                unit = existing.get((level, item["Code"]))
                if unit is None:
                    unit = AdministrativeUnit(code=item["Code"], level=level, **values)
                    to_create.append(unit)
                    existing[(level, unit.code)] = unit
                elif any(getattr(unit, k) != v for k, v in values.items()):
                    for key, value in values.items():
                        setattr(unit, key, value)
                    to_update.append(unit)
                else:
                    counts["unchanged"] += 1
            AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
            AdministrativeUnit.objects.bulk_update(to_update, list(_UNIT_FIELDS), batch_size=2000)
            counts["created"] += len(to_create)
            counts["updated"] += len(to_update)
            if progress:
                progress(len(items))
        # bulk_create sets primary keys on PostgreSQL and SQLite 3.35+, which the parent
        # links of the next level rely on.
        OrganisationEvent.objects.create(
            action=OrganisationAction.UNITS_LOADED,
            actor=actor,
            at=now or timezone.now(),
            data={"source": source, **counts},
        )
    return counts


@transaction.atomic
def close_unit(
    unit: AdministrativeUnit,
    *,
    last_day: dt.date,
    successor: AdministrativeUnit | None,
    legal_basis: str,
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> AdministrativeUnit:
    """Close a unit that was merged or abolished: it stays, valid until ``last_day``, and points
    to the unit that took over (e.g. Resolution 202/2025/QH15 merged provinces on 1 July 2025)."""
    locked = AdministrativeUnit.objects.select_for_update().get(pk=unit.pk)
    if locked.valid_to is not None:
        raise invalid("unit_already_closed", _("This administrative unit is already closed."))
    if successor is not None and successor.pk == locked.pk:
        raise invalid("own_successor", _("A unit cannot be its own successor."))
    locked.valid_to = last_day
    locked.successor = successor
    locked.legal_basis = legal_basis
    locked.full_clean()
    locked.save(update_fields=["valid_to", "successor", "legal_basis"])
    OrganisationEvent.objects.create(
        action=OrganisationAction.UNIT_CLOSED,
        unit=locked,
        actor=actor,
        at=now or timezone.now(),
        data={
            "last_day": last_day.isoformat(),
            "successor": successor.code if successor else None,
            "legal_basis": legal_basis,
        },
    )
    return locked


@transaction.atomic
def create_agency(*, actor: User | None, now: dt.datetime | None = None, **fields: Any) -> Agency:
    """Create an agency after validating its electronic ID code and links."""
    agency = Agency(**fields)
    agency.full_clean()
    agency.save()
    OrganisationEvent.objects.create(
        action=OrganisationAction.AGENCY_CREATED,
        agency=agency,
        actor=actor,
        at=now or timezone.now(),
        data={"code": agency.code, "name": agency.name, "kind": agency.kind},
    )
    return agency


@transaction.atomic
def close_agency(
    agency: Agency,
    *,
    last_day: dt.date,
    successor: Agency | None,
    actor: User | None,
    reason: str,
    now: dt.datetime | None = None,
) -> Agency:
    """Close an agency that was merged, renamed or dissolved; it keeps its row and its history
    and points to its successor (e.g. Decree 25/2025 merged Labour into Home Affairs)."""
    if actor is not None and not permissions.is_system_admin(actor):
        raise Refused(
            _("Only a system administrator may close an agency."), code="system_admin_only"
        )
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    if locked.valid_to is not None:
        raise invalid("agency_already_closed", _("This agency is already closed."))
    if successor is not None and successor.pk == locked.pk:
        raise invalid("own_successor", _("An agency cannot be its own successor."))
    locked.valid_to = last_day
    locked.successor = successor
    locked.full_clean()
    locked.save(update_fields=["valid_to", "successor", "updated_at"])
    OrganisationEvent.objects.create(
        action=OrganisationAction.AGENCY_CLOSED,
        agency=locked,
        actor=actor,
        at=now or timezone.now(),
        data={
            "last_day": last_day.isoformat(),
            "successor": successor.code if successor else None,
            "reason": reason,
        },
    )
    return locked


# The details of an agency an administrator may change (``change_agency``); the code is its
# identity, and closing goes through ``close_agency``.
AGENCY_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "unit",
    "calendar",
    "address",
    "phone",
    "email",
    "valid_from",
)


@transaction.atomic
def change_agency(
    agency: Agency, *, actor: User | None, now: dt.datetime | None = None, **changes: Any
) -> Agency:
    """Change an agency's details (``AGENCY_FIELDS``) and record the old and new values.
    Nothing is recorded when nothing changes."""
    unknown = set(changes) - set(AGENCY_FIELDS)
    if unknown:
        raise ValueError(f"not agency details: {sorted(unknown)}")
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    changed: dict[str, list[str]] = {}
    for name, value in changes.items():
        field = Agency._meta.get_field(name)
        before = field.value_to_string(locked)  # type: ignore[union-attr]
        setattr(locked, name, value)
        after = field.value_to_string(locked)  # type: ignore[union-attr]
        if before != after:
            changed[name] = [before, after]
    if not changed:
        return locked
    locked.full_clean()
    locked.save(update_fields=[*changed, "updated_at"])
    OrganisationEvent.objects.create(
        action=OrganisationAction.AGENCY_CHANGED,
        agency=locked,
        actor=actor,
        at=now or timezone.now(),
        data={"changes": changed},
    )
    return locked


@transaction.atomic
def grant_role(
    user: User,
    role: str,
    agency: Agency | None = None,
    *,
    actor: User | None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    now: dt.datetime | None = None,
) -> RoleAssignment:
    """Give ``user`` a role (in ``agency``). ``actor=None`` is the system itself (demo data,
    commands run by the operator); otherwise the actor must administer the agency, may not be
    ``user``, and a head of department or signing leader is requested instead
    (``grants.request_role``) and takes effect once someone else confirms it."""
    grants.check_grant(user, role, agency, actor=actor)
    if grants.needs_confirmation(role, actor):
        raise ValidationError(
            {
                "role": ValidationError(
                    _("This role takes effect once a second person confirms it: request it."),
                    code="grant_needs_confirmation",
                )
            }
        )
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        agency=agency,
        defaults={"valid_from": valid_from, "valid_to": valid_to},
    )
    if created:
        OrganisationEvent.objects.create(
            action=OrganisationAction.ROLE_GRANTED,
            agency=agency,
            subject=user,
            actor=actor,
            at=now or timezone.now(),
            data={"role": role},
        )
    return assignment


@transaction.atomic
def revoke_role(
    assignment: RoleAssignment, *, actor: User | None, now: dt.datetime | None = None
) -> None:
    """Take a role away (never one's own). The assignment row goes; the event keeps the
    history."""
    grants.check_revoke(assignment, actor=actor)
    OrganisationEvent.objects.create(
        action=OrganisationAction.ROLE_REVOKED,
        agency=assignment.agency,
        subject=assignment.user,
        actor=actor,
        at=now or timezone.now(),
        data={"role": assignment.role},
    )
    assignment.delete()


# --- Agency administration (the workspace's /workspace/admin/ screens) ----------------------


@transaction.atomic
def create_officer(
    *,
    agency: Agency,
    role: str,
    username: str,
    full_name: str,
    password: str,
    email: str = "",
    phone: str = "",
    actor: User | None,
    now: dt.datetime | None = None,
) -> User:
    """Create an official's account with a first role in ``agency``. The actor must administer
    the agency and may grant only agency roles there; the password must pass the configured
    validators. The ``role_granted`` event says the account was created with it; a head of
    department or signing leader is requested instead (``role_grant_requested``) and the
    account holds no role until someone else confirms it."""
    if role not in AGENCY_ROLES:
        raise ValidationError(
            {"role": ValidationError(_("Choose a role held in an agency."), code="not_agency_role")}
        )
    grants.check_may_grant(actor, role, agency)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {
                "username": ValidationError(
                    _("A user with this username already exists."), code="username_taken"
                )
            }
        )
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as refusal:
        raise on_field(refusal, "password") from refusal
    user.set_password(password)
    user.full_clean()
    user.save()
    created = {"account_created": True, "username": user.username}
    if actor is not None and grants.needs_confirmation(role, actor):
        grants.open_request(user, role, agency, actor=actor, now=now, data=created)
        return user
    RoleAssignment.objects.create(user=user, role=role, agency=agency)
    OrganisationEvent.objects.create(
        action=OrganisationAction.ROLE_GRANTED,
        agency=agency,
        subject=user,
        actor=actor,
        at=now or timezone.now(),
        data={"role": role, **created},
    )
    return user


@transaction.atomic
def revoke_agency_role(
    assignment: RoleAssignment, *, actor: User | None, now: dt.datetime | None = None
) -> None:
    """``revoke_role`` for an agency role (never one's own)."""
    if assignment.agency is None:
        raise invalid("role_without_agency", _("This role is not held in an agency."))
    revoke_role(assignment, actor=actor, now=now)


@transaction.atomic
def end_agency_access(
    user: User, agency: Agency, *, actor: User | None, now: dt.datetime | None = None
) -> int:
    """Take every role ``user`` holds in ``agency`` away (one ``role_revoked`` event each);
    their account and their roles elsewhere stay (never one's own). Returns the number of
    roles removed."""
    grants.check_not_own(actor, user)
    assignments = list(
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "agency")
        .filter(user=user, agency=agency)
        .order_by("pk")
    )
    for assignment in assignments:
        grants.check_may_grant(actor, assignment.role, agency)
    at = now or timezone.now()
    for assignment in assignments:
        revoke_role(assignment, actor=actor, now=at)
    return len(assignments)


@transaction.atomic
def change_password(*, user: User, new_password: str, now: dt.datetime | None = None) -> None:
    """Set ``user``'s own new password (already checked against the old one and the configured
    validators by the form) and record it in the audit trail (never the password itself)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    OrganisationEvent.objects.create(
        action=OrganisationAction.PASSWORD_CHANGED,
        subject=user,
        actor=user,
        at=now or timezone.now(),
        data={},
    )
