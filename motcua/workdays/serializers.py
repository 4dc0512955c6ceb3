"""Serializers for the calendar API and the due-date question (shared with ``motcua due``)."""

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from motcua.workdays.bounds import validate_supported_date
from motcua.workdays.clock import Unit
from motcua.workdays.models import Calendar, CalendarOverride

# Ten years of working days; larger amounts are typing mistakes, and refusing them keeps one
# request from counting for minutes.
MAX_AMOUNT = Decimal(10_000)


class CalendarOverrideSerializer(serializers.ModelSerializer[CalendarOverride]):
    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "reason", "legal_basis"]


class CalendarSerializer(serializers.ModelSerializer[Calendar]):
    working_day_hours = serializers.SerializerMethodField(
        help_text=_("Length of one working day in hours (the two sessions together).")
    )
    overrides = CalendarOverrideSerializer(many=True, read_only=True)

    class Meta:
        model = Calendar
        fields = [
            "code",
            "name",
            "parent",
            "holiday_country",
            "time_zone",
            "morning_start",
            "morning_end",
            "afternoon_start",
            "afternoon_end",
            "intake_cutoff",
            "working_day_hours",
            "overrides",
        ]

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # Declared here: a class attribute named "parent" would shadow ``Field.parent``.
        fields["parent"] = serializers.SlugRelatedField(
            slug_field="code", read_only=True, help_text=_("Code of the parent calendar.")
        )
        return fields

    def get_working_day_hours(self, calendar: Calendar) -> float:
        day = dt.date(2000, 1, 3)
        length = (
            dt.datetime.combine(day, calendar.morning_end)
            - dt.datetime.combine(day, calendar.morning_start)
            + dt.datetime.combine(day, calendar.afternoon_end)
            - dt.datetime.combine(day, calendar.afternoon_start)
        )
        return length.total_seconds() / 3600


class DueQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """The question "when is this due?". A ``start`` without a UTC offset is read in the
    calendar's time zone (pass it as ``context={"time_zone": ...}``)."""

    start = serializers.CharField(
        help_text=_(
            "Receipt instant, ISO 8601 (2026-02-13T09:00 or 2026-02-13T09:00:00+07:00); "
            "without an offset it is read in the calendar's time zone."
        )
    )
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=MAX_AMOUNT,
        help_text=_("How many units; 0.5 is half a day."),
    )
    unit = serializers.ChoiceField(
        choices=[(unit.value, unit.value) for unit in Unit],
        help_text=_("working_days, working_hours or calendar_days."),
    )

    def validate_start(self, value: str) -> dt.datetime:
        try:
            start = dt.datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise serializers.ValidationError(
                _("Not a date and time: %(value)s. Write it like 2026-02-13T09:00.")
                % {"value": value},
                code="not_a_datetime",
            ) from exc

        # Checked before any arithmetic: near year 1 or 9999 a time-zone shift alone overflows.
        validate_supported_date(start)
        if start.tzinfo is None:
            start = start.replace(tzinfo=ZoneInfo(self.context.get("time_zone", "UTC")))
        return start


class ExplanationItemSerializer(serializers.Serializer[dict[str, Any]]):
    """One line of the explanation (documents the response; the clock builds the data)."""

    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=["start_moved", "counted", "skipped", "moved"])
    day_kind = serializers.CharField(allow_null=True)
    reason_vi = serializers.CharField()
    reason_en = serializers.CharField()
    hours = serializers.FloatField()
    to = serializers.DateTimeField(allow_null=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # Declared here: "from" is a Python keyword and "source" would shadow ``Field.source``.
        fields["from"] = serializers.DateTimeField(allow_null=True)
        fields["source"] = serializers.CharField(
            help_text=_("Calendar whose override applies, if any.")
        )
        return fields


class DueResultSerializer(serializers.Serializer[dict[str, Any]]):
    """The due instant with its effective start and explanation."""

    calendar = serializers.CharField()
    start = serializers.DateTimeField()
    amount = serializers.CharField()
    unit = serializers.CharField()
    effective_start = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    explanation = ExplanationItemSerializer(many=True)
