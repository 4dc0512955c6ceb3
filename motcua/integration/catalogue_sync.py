"""Keeping our catalogue in step with the national one (issue 19 item 4; Decision 31/2021/QĐ-TTg,
art. 30: a provincial system's procedures come from the national catalogue).

``pull_catalogue`` reads the national catalogue through the adapter and records each procedure
that is new there, amended there or abolished there as a pending ``CatalogueChange``; it never
touches the catalogue. The catalogue officer sees a change field by field (``diff``) and
accepts it (``accept_change``: a new version through ``catalogue.services``) or rejects it with
a reason (``reject_change``). Every pull, change found, superseded, accepted or rejected is a
``CatalogueSyncEvent``.

The national catalogue publishes the procedure (name, levels, authorities, cases, documents,
fees); the internal process of each case is the province's own (the provincial People's
Committee approves it: Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP), so a national
case without one keeps ours where it still adds up, and the comparison ignores it.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import permissions
from motcua.accounts.models import User
from motcua.catalogue import queries, services
from motcua.catalogue.interchange import FORMAT, CatalogueImportError, parse_catalogue
from motcua.catalogue.models import Decision, Field, Procedure, ProcedureVersion, VersionStatus
from motcua.catalogue.rules import check_allowances
from motcua.catalogue.specs import CaseSpec, ProcedureSpec
from motcua.errors import Refused, invalid
from motcua.integration.models import (
    CatalogueChange,
    CatalogueSyncEvent,
    ChangeKind,
    ChangeState,
)
from motcua.integration.national import NationalPortal, NationalPortalError

Kind = CatalogueSyncEvent.Kind


def check_officer(actor: User | None) -> None:
    """``actor=None`` is the worker or an operator's command; a person must be the catalogue
    officer (``permissions.can_manage_catalogue``)."""
    if actor is not None and not permissions.can_manage_catalogue(actor):
        raise Refused(
            _("Only a system administrator may change the catalogue."), code="system_admin_only"
        )


@dataclass
class PullReport:
    """What one pull found: codes by kind, how many were the same here, and its failure."""

    found: dict[str, list[str]] = field(default_factory=dict)
    unchanged: int = 0
    kept: int = 0  # the same change already waits, or was rejected
    superseded: int = 0
    problem: str = ""

    def as_data(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Proposal:
    """A change as a pull computes it, before it is recorded."""

    code: str
    kind: str
    national: dict[str, Any]
    decision: dict[str, Any]
    field: dict[str, str]
    base: ProcedureVersion | None


def with_local_process(national: ProcedureSpec, ours: ProcedureSpec | None) -> ProcedureSpec:
    """``national`` with our internal process for each case it gives none, where that process
    still shares out the national time exactly (Decree 118/2025/NĐ-CP art. 23,
    ``catalogue.rules``); a case whose time changed is published without one, to be set again."""
    if ours is None:
        return national
    processes = {case.code: case.process for case in ours.cases}

    def kept(case: CaseSpec) -> CaseSpec:
        process = processes.get(case.code, ())
        if case.process or not process:
            return case
        try:
            check_allowances(case.processing_time, case.time_unit, [s.allowance for s in process])
        except ValidationError:
            return case
        return dataclasses.replace(case, process=process)

    return dataclasses.replace(national, cases=tuple(kept(case) for case in national.cases))


def _decision_data(number: str, decisions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    values = decisions.get(number)
    if values is None:
        known = Decision.objects.filter(number=number).first()
        if known is None:
            return {"number": number}
        values = {
            "number": known.number,
            "signed_on": known.signed_on,
            "issuer": known.issuer,
            "effective_from": known.effective_from,
            "title": known.title,
        }
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def _in_force() -> dict[str, ProcedureVersion]:
    rows = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
        "procedure"
    )
    return {version.procedure.code: version for version in rows}


def proposals(data: dict[str, Any]) -> tuple[list[Proposal], int]:
    """The changes the national catalogue ``data`` asks of ours, and how many procedures are
    the same; ``CatalogueImportError`` when it is not a valid catalogue."""
    parsed = parse_catalogue({k: v for k, v in data.items() if k != "abolished"})
    raw = {item["code"]: item for item in data.get("procedures", [])}
    in_force, known = _in_force(), set(Procedure.objects.values_list("code", flat=True))
    fields = set(Field.objects.values_list("code", flat=True))
    found: list[Proposal] = []
    unchanged = 0
    for _where, number, spec in parsed.procedures:
        current = in_force.get(spec.code)
        if current is None and spec.code in known:
            continue  # ended here (abolished or replaced): the officer decides by hand
        ours = queries.spec_of(queries.version_with_details(current.pk)) if current else None
        if ours is not None and with_local_process(spec, ours) == ours:
            unchanged += 1
            continue
        field_data = (
            {"code": spec.field, **parsed.fields.get(spec.field, {"name": spec.field})}
            if spec.field not in fields
            else {}
        )
        kind = ChangeKind.AMENDED if current else ChangeKind.NEW
        decision = _decision_data(number, parsed.decisions)
        found.append(Proposal(spec.code, kind, raw[spec.code], decision, field_data, current))
    for item in data.get("abolished") or []:
        current = in_force.get(str(item.get("code")))
        if current is not None:
            decision = _decision_data(str(item.get("decision")), parsed.decisions)
            found.append(
                Proposal(current.procedure.code, ChangeKind.ABOLISHED, {}, decision, {}, current)
            )
    return found, unchanged


def _event(
    kind: str,
    *,
    change: CatalogueChange | None,
    actor: User | None,
    now: dt.datetime,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    CatalogueSyncEvent.objects.create(
        change=change, kind=kind, actor=actor, at=now, reason=reason, data=data or {}
    )


def _same(change: CatalogueChange, proposal: Proposal) -> bool:
    return (change.kind, change.national, change.decision) == (
        proposal.kind,
        proposal.national,
        proposal.decision,
    )


def _record(proposal: Proposal, report: PullReport, actor: User | None, now: dt.datetime) -> None:
    """Record ``proposal`` unless the same change waits or was rejected; a different one
    waiting for the procedure is superseded by it."""
    earlier = CatalogueChange.objects.select_for_update().filter(
        procedure_code=proposal.code, state__in=[ChangeState.PENDING, ChangeState.REJECTED]
    )
    if any(_same(change, proposal) for change in earlier):
        report.kept += 1
        return
    _supersede(earlier.filter(state=ChangeState.PENDING), report, actor, now)
    change = CatalogueChange.objects.create(
        procedure_code=proposal.code,
        kind=proposal.kind,
        national=proposal.national,
        decision=proposal.decision,
        field=proposal.field,
        base=proposal.base,
        pulled_at=now,
    )
    _event(Kind.FOUND, change=change, actor=actor, now=now)
    report.found.setdefault(proposal.kind, []).append(proposal.code)


def _supersede(changes: Any, report: PullReport, actor: User | None, now: dt.datetime) -> None:
    for change in changes:
        change.state = ChangeState.SUPERSEDED
        change.save(update_fields=["state"])
        _event(Kind.SUPERSEDED, change=change, actor=actor, now=now)
        report.superseded += 1


def pull_catalogue(
    *, actor: User | None, portal: NationalPortal | None = None, now: dt.datetime | None = None
) -> PullReport:
    """Pull the national catalogue and record what differs from ours as pending changes (the
    catalogue itself is untouched). A failure of the portal or a catalogue that does not parse
    is recorded (``pull_failed``) and reported, not raised."""
    check_officer(actor)
    now = now or timezone.now()
    portal = portal or NationalPortal.from_settings()
    report = PullReport()
    try:
        found, report.unchanged = proposals(portal.fetch_catalogue())
    except (NationalPortalError, CatalogueImportError) as error:
        report.problem = str(error)[:2000]
        _event(Kind.PULL_FAILED, change=None, actor=actor, now=now, reason=report.problem)
        return report
    with transaction.atomic():
        for proposal in found:
            _record(proposal, report, actor, now)
        codes = {p.code for p in found}
        # A change still waiting for a procedure that is now the same here is moot.
        moot = CatalogueChange.objects.select_for_update().filter(state=ChangeState.PENDING)
        _supersede(moot.exclude(procedure_code__in=codes), report, actor, now)
        _event(Kind.PULLED, change=None, actor=actor, now=now, data=report.as_data())
    return report


def pending_changes() -> Any:
    return CatalogueChange.objects.filter(state=ChangeState.PENDING).order_by(
        "procedure_code", "pk"
    )


def national_spec(change: CatalogueChange) -> ProcedureSpec:
    """The national procedure of ``change`` as a spec (it parsed when it was pulled)."""
    parsed = parse_catalogue({"format": FORMAT, "procedures": [change.national]})
    return parsed.procedures[0][2]


def _decision(change: CatalogueChange) -> Decision:
    values = change.decision
    if "signed_on" not in values:
        found = Decision.objects.filter(number=values.get("number", "")).first()
        if found is None:
            raise invalid(
                "unknown_decision",
                _("The national catalogue names decision %(number)s without its details.")
                % {"number": values.get("number", "")},
            )
        return found
    return services.get_or_create_decision(
        number=values["number"],
        issuer=values["issuer"],
        signed_on=dt.date.fromisoformat(values["signed_on"]),
        effective_from=dt.date.fromisoformat(values["effective_from"]),
        title=values.get("title", ""),
    )


def _locked_pending(change: CatalogueChange) -> CatalogueChange:
    locked = CatalogueChange.objects.select_for_update().get(pk=change.pk)
    if locked.state != ChangeState.PENDING:
        raise invalid(
            "change_not_pending",
            _("This change was already decided or superseded by a later pull."),
            "state",
        )
    return locked


def _apply(
    change: CatalogueChange, decision: Decision, actor: User | None, now: dt.datetime
) -> ProcedureVersion:
    """The catalogue's own service for the change's kind; the version it made or ended."""
    current = ProcedureVersion.objects.filter(
        procedure__code=change.procedure_code, status=VersionStatus.PUBLISHED
    ).first()
    if change.kind != ChangeKind.NEW and (current is None or current.pk != change.base_id):
        raise invalid(
            "change_stale",
            _("The procedure changed here since the pull: pull the national catalogue again."),
        )
    if change.kind == ChangeKind.ABOLISHED:
        assert current is not None  # noqa: S101 - checked above
        return services.abolish_procedure(
            current.procedure, decision=decision, actor=actor, now=now
        )
    if change.field:
        Field.objects.get_or_create(
            code=change.field["code"],
            defaults={"name": change.field["name"], "name_en": change.field.get("name_en", "")},
        )
    if current is None:
        return services.publish_procedure(
            national_spec(change), decision=decision, actor=actor, now=now
        )
    ours = queries.spec_of(queries.version_with_details(current.pk))
    spec = with_local_process(national_spec(change), ours)
    return services.amend_procedure(
        current.procedure, spec, decision=decision, actor=actor, now=now
    )


def accept_change(
    change: CatalogueChange, *, actor: User | None, now: dt.datetime | None = None
) -> CatalogueChange:
    """Apply ``change`` through the catalogue's services: a new procedure published, a new
    version of an amended one, an abolished one ended; all or nothing."""
    check_officer(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_pending(change)
        version = _apply(locked, _decision(locked), actor, now)
        locked.state = ChangeState.ACCEPTED
        locked.result = version
        locked.decided_at = now
        locked.decided_by = actor
        locked.save(update_fields=["state", "result", "decided_at", "decided_by"])
        _event(Kind.ACCEPTED, change=locked, actor=actor, now=now, data={"version": version.number})
    return locked


def reject_change(
    change: CatalogueChange, *, reason: str, actor: User | None, now: dt.datetime | None = None
) -> CatalogueChange:
    """Turn ``change`` down, with the reason; a later pull does not propose it again unless
    the national catalogue changes it."""
    check_officer(actor)
    reason = reason.strip()
    if not reason:
        raise invalid("required", _("Give the reason for rejecting the change."), "reason")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_pending(change)
        locked.state = ChangeState.REJECTED
        locked.reason = reason
        locked.decided_at = now
        locked.decided_by = actor
        locked.save(update_fields=["state", "reason", "decided_at", "decided_by"])
        _event(Kind.REJECTED, change=locked, actor=actor, now=now, reason=reason)
    return locked
