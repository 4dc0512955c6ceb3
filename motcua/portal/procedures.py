"""Reads of the catalogue for the portal: the procedures in force today, searched (accents
optional) and browsed by field, level and agency through the catalogue's own FilterSet (the
one the API uses), and one procedure's page."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from motcua.accounts.models import Agency
from motcua.catalogue.filters import ProcedureFilter
from motcua.catalogue.models import (
    AssignmentRole,
    Field,
    Procedure,
    ProcedureAssignment,
    ProcedureVersion,
    VersionStatus,
)
from motcua.catalogue.queries import version_with_details


def in_force(today: dt.date) -> QuerySet[ProcedureVersion]:
    """Versions in force on ``today`` by their validity dates: one announced today but taking
    effect later is not offered yet, one abolished from a later day still is."""
    return ProcedureVersion.objects.filter(effective_from__lte=today).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=today)
    )


def search(filters: dict[str, Any], today: dt.date) -> QuerySet[ProcedureVersion]:
    """``filters`` (q, field, level, agency; empty ones ignored) applied by ``ProcedureFilter``
    to the versions in force today, by name."""
    data = {k: v for k, v in filters.items() if v}
    data["on"] = today.isoformat()  # the FilterSet's own "in force on" rule
    found = ProcedureFilter(data=data, queryset=in_force(today)).qs
    return found.select_related("procedure", "field").order_by("name", "procedure__code")


def fields_in_force(today: dt.date) -> QuerySet[Field]:
    return Field.objects.filter(versions__in=in_force(today)).distinct().order_by("name")


def receiving_agencies(today: dt.date) -> QuerySet[Agency]:
    """Agencies open today that receive dossiers of some procedure."""
    return (
        Agency.objects.filter(procedure_assignments__role=AssignmentRole.RECEIVING)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .distinct()
        .order_by("name")
    )


@dataclass
class Gone:
    """A procedure no longer in force: the decision that ended it and what replaces it."""

    version: ProcedureVersion
    replaced_by: ProcedureVersion | None


@dataclass
class Page:
    version: ProcedureVersion
    agencies: list[Agency]


def procedure_page(code: str, today: dt.date) -> Page | Gone | None:
    """The page of procedure ``code`` in force today; ``Gone`` when its last version was
    abolished or replaced; ``None`` when there is no such procedure in force or ended."""
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        return None
    current = in_force(today).filter(procedure=procedure).first()
    if current is None:
        last = (
            procedure.versions.filter(
                status__in=[VersionStatus.ABOLISHED, VersionStatus.REPLACED],
                effective_to__lt=today,
            )
            .select_related("ended_by", "replaced_by")
            .order_by("-number")
            .first()
        )
        if last is None:
            return None
        successor = (
            in_force(today).filter(procedure=last.replaced_by).first()
            if last.replaced_by_id
            else None
        )
        return Gone(last, successor)
    agencies = [
        a.agency
        for a in ProcedureAssignment.objects.filter(
            procedure=procedure, role=AssignmentRole.RECEIVING
        )
        .filter(Q(agency__valid_to__isnull=True) | Q(agency__valid_to__gte=today))
        .select_related("agency")
        .order_by("agency__name")
    ]
    return Page(version_with_details(current.pk), agencies)
