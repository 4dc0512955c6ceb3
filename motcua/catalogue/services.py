"""Writes to the procedure catalogue. Every publication, amendment, replacement, abolition and
internal-process change runs in one transaction, locks the procedure and appends a
``CatalogueEvent``. Published versions are never edited or deleted."""

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import permissions
from motcua.accounts.models import Agency, User
from motcua.catalogue.models import (
    Case,
    CatalogueAction,
    CatalogueEvent,
    Decision,
    Fee,
    Field,
    InternalProcess,
    Procedure,
    ProcedureAssignment,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    VersionStatus,
)
from motcua.catalogue.rules import check_allowances
from motcua.catalogue.specs import CaseSpec, ProcedureSpec, StepSpec
from motcua.catalogue.text import search_key
from motcua.errors import Refused, invalid


def _check_actor(actor: User | None) -> None:
    """``actor=None`` is the operator running a command; a person needs the permission."""
    if actor is not None and not permissions.can_manage_catalogue(actor):
        raise Refused(
            _("Only a system administrator may change the catalogue."), code="system_admin_only"
        )


def _event(
    procedure: Procedure,
    action: str,
    *,
    version: ProcedureVersion | None,
    decision: Decision | None,
    actor: User | None,
    now: dt.datetime,
    data: dict[str, Any] | None = None,
) -> CatalogueEvent:
    return CatalogueEvent.objects.create(
        procedure=procedure,
        version=version,
        action=action,
        decision=decision,
        actor=actor,
        at=now,
        data=data or {},
    )


def _create_steps(process: InternalProcess, steps: Sequence[StepSpec]) -> None:
    agencies = {a.code: a for a in Agency.objects.filter(code__in={s.agency for s in steps})}
    missing = sorted({s.agency for s in steps if s.agency} - agencies.keys())
    if missing:
        raise invalid(
            "unknown_agency", _("Unknown agency: %(codes)s") % {"codes": ", ".join(missing)}
        )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            process=process,
            position=position,
            name=step.name,
            role=step.role,
            unit=step.unit,
            responsible_agency=agencies.get(step.agency),
            allowance=step.allowance,
        )
        for position, step in enumerate(steps, start=1)
    )


def _create_case(version: ProcedureVersion, spec: CaseSpec) -> Case:
    check_allowances(spec.processing_time, spec.time_unit, [s.allowance for s in spec.process])
    case = Case(
        version=version,
        code=spec.code,
        name=spec.name,
        processing_time=spec.processing_time,
        time_unit=spec.time_unit,
    )
    case.full_clean(exclude=["version"])
    case.save()
    RequiredDocument.objects.bulk_create(
        RequiredDocument(case=case, position=position, **dataclasses.asdict(doc))
        for position, doc in enumerate(spec.documents, start=1)
    )
    Fee.objects.bulk_create(
        Fee(case=case, kind=f.kind, name=f.name, amount=Decimal(f.amount), note=f.note)
        for f in spec.fees
    )
    if spec.process:
        process = InternalProcess.objects.create(case=case, agency=None, name=spec.name)
        _create_steps(process, spec.process)
    return case


def _create_version(
    procedure: Procedure,
    spec: ProcedureSpec,
    *,
    number: int,
    decision: Decision,
    previous: ProcedureVersion | None,
) -> ProcedureVersion:
    field = Field.objects.filter(code=spec.field).first()
    if field is None:
        raise invalid("unknown_field", _("Unknown field: %(code)s") % {"code": spec.field})
    if not spec.cases:
        raise invalid("procedure_without_case", _("A procedure needs at least one case."))
    version = ProcedureVersion(
        procedure=procedure,
        number=number,
        name=spec.name,
        name_search=search_key(spec.name),
        field=field,
        at_central="central" in spec.levels,
        at_province="province" in spec.levels,
        at_district="district" in spec.levels,
        at_commune="commune" in spec.levels,
        competent_authority=spec.competent_authority,
        receiving_authority=spec.receiving_authority,
        online_level=spec.online_level,
        legal_basis=spec.legal_basis,
        inter_agency=spec.inter_agency,
        residence_free=spec.residence_free,
        result_electronic=spec.result_electronic,
        result=spec.result,
        status=VersionStatus.PUBLISHED,
        published_by=decision,
        effective_from=decision.effective_from,
        previous=previous,
    )
    version.save()
    for case in spec.cases:
        _create_case(version, case)
    return version


def _current(procedure: Procedure) -> ProcedureVersion:
    version = (
        ProcedureVersion.objects.select_for_update()
        .filter(procedure=procedure, status=VersionStatus.PUBLISHED)
        .first()
    )
    if version is None:
        raise invalid(
            "procedure_not_in_force",
            _("Procedure %(code)s has no version in force.") % {"code": procedure.code},
        )
    return version


def _end(
    version: ProcedureVersion, status: str, decision: Decision, replaced_by: Procedure | None
) -> None:
    if decision.effective_from <= version.effective_from:
        raise ValidationError(
            _(
                "Decision %(number)s takes effect on %(date)s, not after version %(version)s "
                "of %(code)s, which is in force from %(start)s."
            )
            % {
                "number": decision.number,
                "date": decision.effective_from.strftime("%d/%m/%Y"),
                "version": version.number,
                "code": version.procedure.code,
                "start": version.effective_from.strftime("%d/%m/%Y"),
            },
            code="decision_before_version",
        )
    version.status = status
    version.ended_by = decision
    version.effective_to = decision.effective_from - dt.timedelta(days=1)
    version.replaced_by = replaced_by
    version.save(update_fields=["status", "ended_by", "effective_to", "replaced_by"])


@transaction.atomic
def publish_procedure(
    spec: ProcedureSpec,
    *,
    decision: Decision,
    actor: User | None,
    now: dt.datetime | None = None,
) -> ProcedureVersion:
    """Publish a new procedure (version 1) under ``decision``."""
    _check_actor(actor)
    procedure, created = Procedure.objects.get_or_create(code=spec.code)
    if not created:
        raise invalid(
            "procedure_exists",
            _("Procedure %(code)s already exists; amend or replace it instead.")
            % {"code": spec.code},
        )
    version = _create_version(procedure, spec, number=1, decision=decision, previous=None)
    _event(
        procedure,
        CatalogueAction.PUBLISHED,
        version=version,
        decision=decision,
        actor=actor,
        now=now or timezone.now(),
    )
    return version


@transaction.atomic
def amend_procedure(
    procedure: Procedure,
    spec: ProcedureSpec,
    *,
    decision: Decision,
    actor: User | None,
    now: dt.datetime | None = None,
) -> ProcedureVersion:
    """Publish an amended text: the version in force ends the day before ``decision`` takes
    effect and the new version follows it. Dossiers keep the version they were received under."""
    _check_actor(actor)
    if spec.code != procedure.code:
        raise invalid(
            "amendment_changes_code",
            _("An amendment keeps the procedure's code; use replace instead."),
        )
    Procedure.objects.select_for_update().get(pk=procedure.pk)
    current = _current(procedure)
    _end(current, VersionStatus.AMENDED, decision, None)
    version = _create_version(
        procedure, spec, number=current.number + 1, decision=decision, previous=current
    )
    _event(
        procedure,
        CatalogueAction.AMENDED,
        version=version,
        decision=decision,
        actor=actor,
        now=now or timezone.now(),
        data={"previous_version": current.number},
    )
    return version


@transaction.atomic
def replace_procedure(
    procedure: Procedure,
    spec: ProcedureSpec,
    *,
    decision: Decision,
    actor: User | None,
    now: dt.datetime | None = None,
) -> ProcedureVersion:
    """End ``procedure`` and publish the procedure that replaces it under a new code."""
    _check_actor(actor)
    at = now or timezone.now()
    Procedure.objects.select_for_update().get(pk=procedure.pk)
    current = _current(procedure)
    successor = publish_procedure(spec, decision=decision, actor=actor, now=at)
    _end(current, VersionStatus.REPLACED, decision, successor.procedure)
    _event(
        procedure,
        CatalogueAction.REPLACED,
        version=current,
        decision=decision,
        actor=actor,
        now=at,
        data={"replaced_by": spec.code},
    )
    return successor


@transaction.atomic
def abolish_procedure(
    procedure: Procedure,
    *,
    decision: Decision,
    actor: User | None,
    now: dt.datetime | None = None,
) -> ProcedureVersion:
    """Abolish a procedure from ``decision``'s effective date; its history stays."""
    _check_actor(actor)
    Procedure.objects.select_for_update().get(pk=procedure.pk)
    current = _current(procedure)
    _end(current, VersionStatus.ABOLISHED, decision, None)
    _event(
        procedure,
        CatalogueAction.ABOLISHED,
        version=current,
        decision=decision,
        actor=actor,
        now=now or timezone.now(),
    )
    return current


def _step_data(step: ProcessStep | StepSpec) -> dict[str, str]:
    """A step as recorded in an event."""
    return {
        "name": step.name,
        "role": step.role,
        "unit": step.unit,
        "allowance": str(step.allowance),
    }


@transaction.atomic
def set_internal_process(
    case: Case,
    steps: Sequence[StepSpec],
    *,
    agency: Agency | None,
    actor: User | None,
    now: dt.datetime | None = None,
) -> InternalProcess:
    """Set the internal process of ``case`` for ``agency`` (or the template when ``None``).

    The allowances must add up to the case's statutory time. An agency administrator may set
    their own agency's process; the template belongs to the catalogue managers. The previous
    steps are recorded in the event before they are replaced."""
    if actor is not None:
        allowed = (
            permissions.can_administer_agency(actor, agency)
            if agency is not None
            else permissions.can_manage_catalogue(actor)
        )
        if not allowed:
            raise Refused(
                _("You may not change this internal process."), code="process_not_managed"
            )
    check_allowances(case.processing_time, case.time_unit, [s.allowance for s in steps])
    process, _created = InternalProcess.objects.select_for_update().get_or_create(
        case=case, agency=agency, defaults={"name": case.name}
    )
    previous = [_step_data(s) for s in process.steps.all()]
    process.steps.all().delete()
    _create_steps(process, steps)
    _event(
        case.version.procedure,
        CatalogueAction.PROCESS_SET,
        version=case.version,
        decision=None,
        actor=actor,
        now=now or timezone.now(),
        data={
            "case": case.code,
            "agency": agency.code if agency else None,
            "previous_steps": previous,
            "steps": [_step_data(s) for s in steps],
        },
    )
    return process


def _check_may_assign(actor: User | None, agency: Agency) -> None:
    if actor is not None and not permissions.can_administer_agency(actor, agency):
        raise Refused(
            _("You may not assign procedures to this agency."), code="not_agency_administrator"
        )


@transaction.atomic
def assign_procedure(
    procedure: Procedure,
    agency: Agency,
    role: str,
    *,
    actor: User | None,
    now: dt.datetime | None = None,
) -> ProcedureAssignment:
    """Name ``agency`` as receiving, competent or coordinating for ``procedure``."""
    _check_may_assign(actor, agency)
    at = now or timezone.now()
    # Read the agency's dates afresh: the caller's copy may predate a merger.
    if not Agency.objects.get(pk=agency.pk).is_valid_on(timezone.localdate(at)):
        raise invalid(
            "agency_closed",
            _("Agency %(code)s is closed; assign its successor.") % {"code": agency.code},
        )

    assignment, created = ProcedureAssignment.objects.get_or_create(
        procedure=procedure, agency=agency, role=role
    )
    if created:
        _event(
            procedure,
            CatalogueAction.ASSIGNED,
            version=None,
            decision=None,
            actor=actor,
            now=at,
            data={"agency": agency.code, "role": role},
        )
    return assignment


@transaction.atomic
def unassign_procedure(
    assignment: ProcedureAssignment, *, actor: User | None, now: dt.datetime | None = None
) -> None:
    """Remove an assignment; the event keeps the history."""
    _check_may_assign(actor, assignment.agency)
    _event(
        assignment.procedure,
        CatalogueAction.UNASSIGNED,
        version=None,
        decision=None,
        actor=actor,
        now=now or timezone.now(),
        data={"agency": assignment.agency.code, "role": assignment.role},
    )
    assignment.delete()


def get_or_create_decision(
    *, number: str, signed_on: dt.date, issuer: str, effective_from: dt.date, title: str = ""
) -> Decision:
    """The decision with this number and issuer, created if new."""
    decision, _created = Decision.objects.get_or_create(
        number=number,
        issuer=issuer,
        defaults={"signed_on": signed_on, "effective_from": effective_from, "title": title},
    )
    return decision
