"""Working calendars: office sessions, intake cut-off and the days an administrator overrides.

The national public holidays themselves come from the ``holidays`` package (``holidays.VN``), which
knows the lunar dates and the yearly swapped working days; the tables here hold only what a
province or agency changes on top of that. Due-date arithmetic lives in ``clock.py`` as pure
functions over a ``CalendarSpec`` built from these rows (``calendars.spec_for``).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.events import AppendOnlyEvent
from motcua.workdays.days import DayOverride


# The office hours' defaults are functions, not fixed values: Django's check (fields.W161) warns
# about a fixed time default during the ten seconds around that time of day, which made
# `check --deploy --fail-level WARNING` fail at 15:00:00 UTC.
def morning_start_default() -> dt.time:
    return dt.time(7, 0)


def morning_end_default() -> dt.time:
    return dt.time(11, 30)


def afternoon_start_default() -> dt.time:
    return dt.time(13, 30)


def afternoon_end_default() -> dt.time:
    return dt.time(17, 0)


def intake_cutoff_default() -> dt.time:
    return dt.time(15, 0)


class Calendar(models.Model):
    """A working calendar used by agencies.

    A calendar with a parent inherits the parent's overrides (a provincial calendar inherits the
    national one) and adds its own, which win on the same date. Office sessions and the intake
    cut-off are the calendar's own. One working day is the total length of the two sessions
    (07:00–11:30 and 13:30–17:00 give 8 hours).
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent calendar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    holiday_country = models.CharField(
        _("public holidays of"),
        max_length=2,
        default="VN",
        blank=True,
        help_text=_("Country whose public holidays apply (from the holidays package)."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Ho_Chi_Minh")
    morning_start = models.TimeField(_("morning session starts"), default=morning_start_default)
    morning_end = models.TimeField(_("morning session ends"), default=morning_end_default)
    afternoon_start = models.TimeField(
        _("afternoon session starts"), default=afternoon_start_default
    )
    afternoon_end = models.TimeField(_("afternoon session ends"), default=afternoon_end_default)
    # Decree 118/2025 art. 21 (earlier Decree 61/2018 art. 19(1)(b)): a dossier received after
    # 15:00 goes to the competent department at the start of the next working day.
    intake_cutoff = models.TimeField(_("intake cut-off"), default=intake_cutoff_default)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_start__lt=models.F("morning_end"))
                & models.Q(morning_end__lte=models.F("afternoon_start"))
                & models.Q(afternoon_start__lt=models.F("afternoon_end")),
                name="calendar_sessions_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class OverrideKind(models.TextChoices):
    """What an override makes of its date; the values are the clock's ``DayOverride``."""

    DAY_OFF = DayOverride.DAY_OFF.value, _("extra day off")
    WORKING_DAY = DayOverride.WORKING_DAY.value, _("extra working day")
    MORNING_ONLY = DayOverride.MORNING_ONLY.value, _("half day: morning only")
    AFTERNOON_ONLY = DayOverride.AFTERNOON_ONLY.value, _("half day: afternoon only")


class CalendarOverride(models.Model):
    """One date on which a calendar departs from the national holidays and weekends.

    Added by an administrator when a province or the government announces a change (a holiday
    announced late, a swapped working Saturday, a half day). Changing or removing one is recorded
    in ``CalendarEvent`` and may move open dossiers' deadlines.
    """

    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="overrides"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    legal_basis = models.CharField(
        _("announced by"),
        max_length=300,
        blank=True,
        help_text=_("The document that announced the change, e.g. Official Letter 123/UBND-VX."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="one_override_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.calendar.code} {self.date.isoformat()} {self.get_kind_display()}"


class CalendarEventAction(models.TextChoices):
    CREATED = "created", _("calendar created")
    SETTINGS_CHANGED = "settings_changed", _("sessions or cut-off changed")
    OVERRIDE_ADDED = "override_added", _("override added")
    OVERRIDE_CHANGED = "override_changed", _("override changed")
    OVERRIDE_REMOVED = "override_removed", _("override removed")


class CalendarEvent(AppendOnlyEvent):
    """Append-only history of a calendar: who changed what and when. Never edited."""

    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=32, choices=CalendarEventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        ordering = ["calendar", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.calendar.code} {self.at.isoformat()} {self.action}"
