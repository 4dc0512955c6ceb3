"""Read API for administrative units and agencies (public information)."""

import datetime as dt

import django_filters
from django.db.models import Q, QuerySet
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from motcua.accounts.models import AdministrativeUnit, Agency, AgencyKind, UnitLevel
from motcua.workdays.models import Calendar


def _valid_on(queryset: QuerySet, name: str, value: dt.date) -> QuerySet:  # type: ignore[type-arg]
    return queryset.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=value),
        Q(valid_to__isnull=True) | Q(valid_to__gte=value),
    )


class UnitFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices)
    parent = django_filters.CharFilter(field_name="parent__code", label="parent code")
    name = django_filters.CharFilter(field_name="full_name", lookup_expr="icontains")
    valid_on = django_filters.DateFilter(method=_valid_on, label="valid on (YYYY-MM-DD)")
    current = django_filters.BooleanFilter(field_name="valid_to", lookup_expr="isnull")

    class Meta:
        model = AdministrativeUnit
        fields = ["level", "parent", "code", "name", "valid_on", "current"]


class UnitSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    parent_code = serializers.SlugRelatedField[AdministrativeUnit](
        source="parent", slug_field="code", read_only=True
    )
    successor_code = serializers.SlugRelatedField[AdministrativeUnit](
        source="successor", slug_field="code", read_only=True
    )

    class Meta:
        model = AdministrativeUnit
        fields = [
            "id",
            "code",
            "level",
            "name",
            "full_name",
            "name_en",
            "full_name_en",
            "parent_code",
            "valid_from",
            "valid_to",
            "successor_code",
            "legal_basis",
        ]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Administrative units (provinces, districts, communes) with their validity dates."""

    queryset = AdministrativeUnit.objects.select_related("parent", "successor").order_by(
        "level", "code", "valid_from"
    )
    serializer_class = UnitSerializer
    filterset_class = UnitFilter


class AgencyFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices)
    parent = django_filters.CharFilter(field_name="parent__code", label="parent code")
    unit = django_filters.CharFilter(field_name="unit__code", label="administrative unit code")
    name = django_filters.CharFilter(lookup_expr="icontains")
    valid_on = django_filters.DateFilter(method=_valid_on, label="valid on (YYYY-MM-DD)")
    current = django_filters.BooleanFilter(field_name="valid_to", lookup_expr="isnull")

    class Meta:
        model = Agency
        fields = ["kind", "parent", "unit", "name", "valid_on", "current"]


class AgencySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    parent_code = serializers.SlugRelatedField[Agency](
        source="parent", slug_field="code", read_only=True
    )
    successor_code = serializers.SlugRelatedField[Agency](
        source="successor", slug_field="code", read_only=True
    )
    calendar_code = serializers.SlugRelatedField[Calendar](
        source="calendar", slug_field="code", read_only=True
    )
    unit = UnitSerializer(read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent_code",
            "unit",
            "calendar_code",
            "address",
            "phone",
            "email",
            "valid_from",
            "valid_to",
            "successor_code",
        ]


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Agencies by electronic ID code, with their unit, calendar and successor."""

    queryset = Agency.objects.select_related(
        "parent", "successor", "calendar", "unit__parent", "unit__successor"
    ).order_by("code")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    lookup_field = "code"
    lookup_value_regex = r"[A-Z0-9.]+"


def register(router: DefaultRouter) -> None:
    router.register("units", UnitViewSet, basename="unit")
    router.register("agencies", AgencyViewSet, basename="agency")
