"""The words of the working-day clock: why a day has its sessions, why a start or a deadline
moved, what was counted on a day.

Message ids are English, the Vietnamese is in the project's catalogue (``motcua/locale/vi``), as
for every other message. A :class:`Reason` keeps its message and values and is translated when it
is read: :meth:`Reason.text` in the active language, :attr:`Reason.vi` and :attr:`Reason.en` in
either (the API and the ``due`` command show both). Values are rendered in the same language:
dates and instants in its format, hours with its decimal separator, nested reasons translated.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Union

from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Named:
    """A name that comes translated from elsewhere: a public holiday as the ``holidays``
    package names it in each language."""

    vi: str
    en: str


# A value shown in a reason. ``str`` is shown as it is (a time "07:00", a calendar code, the
# reason an administrator typed).
Value = Union[str, "Reason", Named, dt.datetime, dt.date, Decimal]


@dataclass(frozen=True, eq=False)
class Reason:
    """A message of the clock with its values, translated when it is read. Two reasons are
    equal when their message ids and values are, whatever the active language."""

    message: "StrOrPromise"
    values: tuple[tuple[str, Value], ...] = ()

    @property
    def message_id(self) -> str:
        """The message untranslated (a lazy message compares and hashes by its translation)."""
        with translation.override(None):
            return str(self.message)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reason):
            return NotImplemented
        return (self.message_id, self.values) == (other.message_id, other.values)

    def __hash__(self) -> int:
        return hash((self.message_id, self.values))

    def text(self) -> str:
        """The reason in the active language."""
        if not self.values:
            return str(self.message)
        return str(self.message) % {name: _render(value) for name, value in self.values}

    def in_language(self, language: str) -> str:
        with translation.override(language):
            return self.text()

    @property
    def vi(self) -> str:
        return self.in_language("vi")

    @property
    def en(self) -> str:
        return self.in_language("en")


def _render(value: Value) -> str:
    if isinstance(value, Reason):
        return value.text()
    if isinstance(value, Named):
        return value.vi if (translation.get_language() or "").startswith("vi") else value.en
    if isinstance(value, dt.datetime):
        return value.strftime(pgettext("strftime format of an instant", "%Y-%m-%d %H:%M"))
    if isinstance(value, dt.date):
        return value.strftime(pgettext("strftime format of a date", "%Y-%m-%d"))
    if isinstance(value, Decimal):
        # ``5``, ``0.5``, ``10``: no trailing zeros, no exponent; "0,5" in Vietnamese.
        plain = format(value.normalize(), "f")
        return plain.replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))
    return value


def _reason(message: "StrOrPromise", **values: Value) -> Reason:
    return Reason(message, tuple(values.items()))


_WEEKDAYS = (
    pgettext_lazy("weekday", "Monday"),
    pgettext_lazy("weekday", "Tuesday"),
    pgettext_lazy("weekday", "Wednesday"),
    pgettext_lazy("weekday", "Thursday"),
    pgettext_lazy("weekday", "Friday"),
    pgettext_lazy("weekday", "Saturday"),
    pgettext_lazy("weekday", "Sunday"),
)


def weekday(day: dt.date) -> Reason:
    return Reason(_WEEKDAYS[day.weekday()])


# --- why a day has its sessions (``days.py``) ----------------------------------------------------


def working_day() -> Reason:
    return Reason(_("Working day"))


def weekend(day: dt.date) -> Reason:
    return _reason(_("Weekend (%(weekday)s)"), weekday=weekday(day))


def public_holiday(name: Named) -> Reason:
    return _reason(_("Public holiday: %(name)s"), name=name)


def swapped_working_day(day: dt.date, partner: dt.date | None) -> Reason:
    if partner is None:
        return _reason(
            _("Swapped working %(weekday)s (working days exchanged)"), weekday=weekday(day)
        )
    return _reason(
        _("Swapped working %(weekday)s, in exchange for the day off on %(partner)s"),
        weekday=weekday(day),
        partner=partner,
    )


def override_day_off(source: str, why: str) -> Reason:
    return _reason(_("Day off set by calendar %(calendar)s: %(why)s"), calendar=source, why=why)


def override_working_day(source: str, why: str) -> Reason:
    return _reason(_("Working day set by calendar %(calendar)s: %(why)s"), calendar=source, why=why)


def override_morning_only(source: str, why: str) -> Reason:
    return _reason(
        _("Morning only, set by calendar %(calendar)s: %(why)s"), calendar=source, why=why
    )


def override_afternoon_only(source: str, why: str) -> Reason:
    return _reason(
        _("Afternoon only, set by calendar %(calendar)s: %(why)s"), calendar=source, why=why
    )


# --- why the clock starts when it does (``clock.effective_start``) -------------------------------


def received_before_opening(opening: str) -> Reason:
    return _reason(_("Received before opening: the clock starts at %(time)s"), time=opening)


def received_in_lunch_break(afternoon: str) -> Reason:
    return _reason(
        _("Received during the lunch break: the clock starts at %(time)s"), time=afternoon
    )


def received_on_day_off(day: Reason, start: dt.datetime) -> Reason:
    return _reason(
        _(
            "Received on a non-working day (%(day)s): the clock starts at the next working "
            "day's opening (%(start)s)"
        ),
        day=day,
        start=start,
    )


def received_after_cutoff(received: str, cutoff: str, start: dt.datetime) -> Reason:
    return _reason(
        _(
            "Received at %(time)s, at or after the %(cutoff)s cut-off: the clock starts at the "
            "next working day's opening (%(start)s)"
        ),
        time=received,
        cutoff=cutoff,
        start=start,
    )


def received_after_hours(received: str, start: dt.datetime) -> Reason:
    return _reason(
        _(
            "Received outside office hours (%(time)s): the clock starts at the next working "
            "day's opening (%(start)s)"
        ),
        time=received,
        start=start,
    )


# --- what was counted, and where a calendar-day deadline landed (``clock.due``) ------------------


def counted(day: Reason, hours: Decimal, span: str) -> Reason:
    return _reason(
        _("%(day)s: %(hours)s working hours counted (%(span)s)"), day=day, hours=hours, span=span
    )


def deadline_moved_same_day(landing: str, opening: str) -> Reason:
    return _reason(
        _("The deadline fell outside working time (%(time)s): moved to %(opening)s the same day"),
        time=landing,
        opening=opening,
    )


def deadline_after_hours(landing: str, moved: dt.datetime) -> Reason:
    return _reason(
        _(
            "The deadline fell after office hours (%(time)s): moved to the next working day's "
            "opening (%(moved)s)"
        ),
        time=landing,
        moved=moved,
    )


def deadline_on_day_off(day: Reason, moved: dt.datetime) -> Reason:
    return _reason(
        _(
            "The deadline fell on a non-working day (%(day)s): moved to the next working day's "
            "opening (%(moved)s)"
        ),
        day=day,
        moved=moved,
    )
