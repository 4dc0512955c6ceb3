"""The FilterSet for procedure lists, shared by the API and (later) the web lists."""

import datetime as dt

import django_filters
from django.db.models import Q, QuerySet

from motcua.catalogue.models import OnlineLevel, ProcedureVersion, VersionStatus
from motcua.catalogue.text import search_key

LEVEL_FLAGS = {
    "central": "at_central",
    "province": "at_province",
    "district": "at_district",
    "commune": "at_commune",
}


class ProcedureFilter(django_filters.FilterSet):
    """Filters for procedure versions; without ``on`` only versions in force today are listed."""

    q = django_filters.CharFilter(
        method="search", label="search in name or code (accents optional)"
    )
    field = django_filters.CharFilter(field_name="field__code", label="field code")
    level = django_filters.ChoiceFilter(
        choices=[(k, k) for k in LEVEL_FLAGS], method="at_level", label="implementing level"
    )
    online_level = django_filters.ChoiceFilter(choices=OnlineLevel.choices)
    inter_agency = django_filters.BooleanFilter()
    agency = django_filters.CharFilter(
        method="assigned_to", label="agency code (receiving, competent or coordinating)"
    )
    on = django_filters.DateFilter(method="in_force_on", label="in force on (YYYY-MM-DD)")

    class Meta:
        model = ProcedureVersion
        fields = ["q", "field", "level", "online_level", "inter_agency", "agency", "on"]

    def search(
        self, queryset: QuerySet[ProcedureVersion], name: str, value: str
    ) -> QuerySet[ProcedureVersion]:
        key = search_key(value)
        return queryset.filter(Q(name_search__contains=key) | Q(procedure__code__startswith=value))

    def assigned_to(
        self, queryset: QuerySet[ProcedureVersion], name: str, value: str
    ) -> QuerySet[ProcedureVersion]:
        return queryset.filter(procedure__assignments__agency__code=value).distinct()

    def at_level(
        self, queryset: QuerySet[ProcedureVersion], name: str, value: str
    ) -> QuerySet[ProcedureVersion]:
        return queryset.filter(**{LEVEL_FLAGS[value]: True})

    def in_force_on(
        self, queryset: QuerySet[ProcedureVersion], name: str, value: dt.date
    ) -> QuerySet[ProcedureVersion]:
        return queryset.filter(
            Q(effective_from__lte=value), Q(effective_to__isnull=True) | Q(effective_to__gte=value)
        )

    @property
    def qs(self) -> QuerySet[ProcedureVersion]:
        queryset: QuerySet[ProcedureVersion] = super().qs
        if not self.form.cleaned_data.get("on"):
            queryset = queryset.filter(status=VersionStatus.PUBLISHED)
        return queryset
