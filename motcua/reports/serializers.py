"""Query parameters and answers of the report endpoints, with explicit fields."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from motcua.reports import windows
from motcua.reports.processing import GROUPINGS
from motcua.workdays.bounds import validate_supported_date

LONGEST_PERIOD = dt.timedelta(days=3 * 366)


class ProcessingQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """Either ``from`` and ``to``, or ``window`` with ``year`` (and ``number``)."""

    group_by = serializers.ChoiceField(choices=GROUPINGS, default="agency")
    interagency = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: inter-agency (liên thông) procedures only; false: the others",
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    number = serializers.IntegerField(min_value=1, max_value=12, required=False, default=1)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # ``from`` is a Python keyword: declared here under its query-string name.
        # Dates outside the supported range (workdays.bounds) are refused with a 400.
        for name in ("from", "to"):
            fields[name] = serializers.DateField(
                required=False, help_text="YYYY-MM-DD", validators=[validate_supported_date]
            )
        fields["window"] = serializers.ChoiceField(choices=windows.kinds(), required=False)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.get("window")
        if kind is not None:
            if "from" in attrs or "to" in attrs:
                raise serializers.ValidationError(
                    _("Give either a window or from and to."), code="window_and_dates"
                )
            if "year" not in attrs:
                raise serializers.ValidationError(
                    {"year": _("A window needs a year.")}, code="required"
                )
            try:
                attrs["from"], attrs["to"] = windows.window(kind, attrs["year"], attrs["number"])
            except ValueError as exc:
                raise serializers.ValidationError(
                    {"number": str(exc)}, code="no_such_window"
                ) from None
            return attrs
        missing = {
            name: _("Give the date as YYYY-MM-DD, or a window.")
            for name in ("from", "to")
            if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing, code="required")
        if attrs["to"] < attrs["from"]:
            raise serializers.ValidationError(
                {"to": _("The period ends before it starts.")}, code="period_reversed"
            )
        if attrs["to"] - attrs["from"] > LONGEST_PERIOD:
            raise serializers.ValidationError(
                {"to": _("A period is at most three years.")}, code="period_too_long"
            )

        return attrs


class CountsSerializer(serializers.Serializer[dict[str, Any]]):
    carried_over = serializers.IntegerField()
    received_online = serializers.IntegerField()
    received_direct_or_postal = serializers.IntegerField()
    received_total = serializers.IntegerField()
    resolved_early = serializers.IntegerField()
    resolved_on_time = serializers.IntegerField()
    resolved_late = serializers.IntegerField()
    resolved_total = serializers.IntegerField()
    withdrawn = serializers.IntegerField(
        help_text="withdrawn at the applicant's request, not graded"
    )
    pending_in_time = serializers.IntegerField()
    pending_overdue = serializers.IntegerField()
    pending_paused = serializers.IntegerField()
    pending_total = serializers.IntegerField()
    on_time_rate = serializers.FloatField(
        allow_null=True, help_text="(early + on time) ÷ resolved, percent"
    )


class RowSerializer(CountsSerializer):
    key = serializers.CharField()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # ``label`` is an attribute of every serializer field: declared here by name.
        fields["label"] = serializers.CharField(help_text="Vietnamese name of the group")
        return fields


class ProcessingReportSerializer(serializers.Serializer[dict[str, Any]]):
    """The answer: ``from`` and ``to`` are added under their names by ``get_fields``."""

    group_by = serializers.ChoiceField(choices=GROUPINGS)
    interagency = serializers.BooleanField(allow_null=True)
    rows = RowSerializer(many=True)
    totals = CountsSerializer()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields
