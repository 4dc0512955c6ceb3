"""The calendar FilterSet, shared by the API and any web list."""

import django_filters

from motcua.workdays.models import Calendar


class CalendarFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(lookup_expr="iexact")
    name = django_filters.CharFilter(lookup_expr="icontains")
    parent = django_filters.CharFilter(field_name="parent__code", lookup_expr="iexact")
    holiday_country = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Calendar
        fields = ["code", "name", "parent", "holiday_country"]
