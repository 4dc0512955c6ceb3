"""Reads of the catalogue: what is in force on a day, and which internal process applies."""

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from motcua.accounts.models import Agency
from motcua.catalogue.models import (
    Case,
    InternalProcess,
    ProcedureVersion,
    ProcessStep,
    VersionStatus,
)
from motcua.catalogue.specs import (
    CaseSpec,
    DocumentSpec,
    FeeSpec,
    ProcedureSpec,
    StepSpec,
)


def versions_in_force(on: dt.date | None = None) -> QuerySet[ProcedureVersion]:
    """Versions in force today (status published), or on ``on`` by their validity dates."""
    queryset = ProcedureVersion.objects.select_related("procedure", "field", "published_by")
    if on is None:
        return queryset.filter(status=VersionStatus.PUBLISHED)
    return queryset.filter(
        Q(effective_from__lte=on), Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )


def version_with_details(version_id: int) -> ProcedureVersion:
    """A version with its cases, documents, fees and processes fetched in a few queries."""
    steps = ProcessStep.objects.select_related("responsible_agency").order_by("position")
    processes = InternalProcess.objects.select_related("agency").prefetch_related(
        Prefetch("steps", queryset=steps)
    )
    return (
        ProcedureVersion.objects.select_related("procedure", "field", "published_by", "ended_by")
        .prefetch_related(
            "cases__documents", "cases__fees", Prefetch("cases__processes", queryset=processes)
        )
        .get(pk=version_id)
    )


def process_for(case: Case, agency: Agency) -> InternalProcess | None:
    """The agency's own internal process for ``case``, else the template, else none."""
    processes = {p.agency_id: p for p in case.processes.all()}
    return processes.get(agency.pk) or processes.get(None)


def spec_of(version: ProcedureVersion) -> ProcedureSpec:
    """The published content of ``version`` (with its template processes) as a spec."""
    cases = []
    for case in version.cases.all():
        template = next((p for p in case.processes.all() if p.agency_id is None), None)
        steps = (
            tuple(
                StepSpec(
                    name=s.name,
                    role=s.role,
                    unit=s.unit,
                    allowance=Decimal(s.allowance).normalize(),
                    agency=s.responsible_agency.code if s.responsible_agency else "",
                )
                for s in template.steps.all()
            )
            if template
            else ()
        )
        cases.append(
            CaseSpec(
                code=case.code,
                name=case.name,
                processing_time=(
                    Decimal(case.processing_time).normalize()
                    if case.processing_time is not None
                    else None
                ),
                time_unit=case.time_unit,
                documents=tuple(
                    DocumentSpec(
                        name=d.name,
                        form=d.form,
                        copies=d.copies,
                        mandatory=d.mandatory,
                        eform=d.eform,
                    )
                    for d in case.documents.all()
                ),
                fees=tuple(
                    FeeSpec(kind=f.kind, name=f.name, amount=int(f.amount), note=f.note)
                    for f in case.fees.all()
                ),
                process=steps,
            )
        )
    return ProcedureSpec(
        code=version.procedure.code,
        name=version.name,
        field=version.field.code,
        levels=frozenset(version.levels),
        competent_authority=version.competent_authority,
        online_level=version.online_level,
        receiving_authority=version.receiving_authority,
        legal_basis=version.legal_basis,
        inter_agency=version.inter_agency,
        residence_free=version.residence_free,
        result_electronic=version.result_electronic,
        result=version.result,
        cases=tuple(cases),
    )
