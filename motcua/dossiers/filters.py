"""The FilterSet for dossier lists, shared by the API and the officers' web lists."""

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters.fields import IsoDateTimeField

from motcua.catalogue.text import search_key
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import OPEN_STATUSES, Channel, Status
from motcua.workdays.bounds import validate_supported_date


class InstantField(IsoDateTimeField):
    """An ISO 8601 instant in the supported range (``bounds``, ``date_out_of_range``), turned
    into UTC: PostgreSQL refuses an offset beyond ±15:59 (``+20:26``) with an error where any
    offset denotes the same instant in UTC."""

    def to_python(self, value: Any) -> dt.datetime | None:
        instant: dt.datetime | None = super().to_python(value)
        if instant is None:
            return None
        validate_supported_date(instant)
        return instant.astimezone(dt.UTC)


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


class DossierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="code or part of it, applicant name (accents optional), ID number"
    )
    # A column of the dossier itself: no join, nothing to duplicate, so no SELECT DISTINCT
    # (django-filter's default for multiple choices sorts every column of every row).
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    agency = django_filters.CharFilter(
        method="at_agency", label="agency code (receiving, current or lead)"
    )
    procedure = django_filters.CharFilter(
        field_name="version__procedure__code", label="procedure code"
    )
    received_from = InstantFilter(field_name="received_at", lookup_expr="gte")
    received_to = InstantFilter(field_name="received_at", lookup_expr="lte")
    due_from = InstantFilter(field_name="due_at", lookup_expr="gte")
    due_to = InstantFilter(field_name="due_at", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(method="is_overdue", label="open and past due")
    # The stored flag (``Dossier.extra_papers``): no event scan (Decree 61/2018 art. 5).
    extra_papers = django_filters.BooleanFilter(
        method="has_extra_papers", label="papers beyond the published list asked for"
    )

    class Meta:
        model = Dossier
        fields = [
            "q",
            "status",
            "channel",
            "agency",
            "procedure",
            "received_from",
            "received_to",
            "due_from",
            "due_to",
            "overdue",
            "extra_papers",
        ]

    def search(self, queryset: QuerySet[Dossier], name: str, value: str) -> QuerySet[Dossier]:
        """Part of the code ("261123" finds every code of that day), the ID number, or part of
        the applicant's name matched on its search key: case and diacritics are ignored the
        same way on SQLite and PostgreSQL ("LÊ VĂN NĂM", "Le Van Nam" find "Lê Văn Năm")."""
        value = value.strip()
        if not value:
            return queryset
        condition = Q(code__icontains=value) | Q(applicant_id_number=value)
        key = search_key(value)
        if key:
            condition |= Q(applicant_name_search__contains=key)
        return queryset.filter(condition)

    def at_agency(self, queryset: QuerySet[Dossier], name: str, value: str) -> QuerySet[Dossier]:
        return queryset.filter(
            Q(receiving_agency__code=value)
            | Q(current_agency__code=value)
            | Q(lead_agency__code=value)
        )

    def has_extra_papers(
        self, queryset: QuerySet[Dossier], name: str, value: bool
    ) -> QuerySet[Dossier]:
        return queryset.filter(extra_papers__gt=0) if value else queryset.filter(extra_papers=0)

    def is_overdue(self, queryset: QuerySet[Dossier], name: str, value: bool) -> QuerySet[Dossier]:
        overdue = Q(status__in=sorted(OPEN_STATUSES), due_at__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
