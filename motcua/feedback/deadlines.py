"""The time to answer a feedback and its deadline on the working-day clock.

The answer is due within the province's time in working days (``AnswerTime``), 10 when the
province set none: the provincial rule recorded in /work/shared/domain (ONE-STOP.md §1 item 8;
Decree 20/2008/NĐ-CP leaves the time to the agencies' own rules). Counted on the calendar of the
agency that holds the feedback, from its receipt there, with the intake rules of the clock (a
receipt after the cut-off counts from the next working day: Decree 118/2025/NĐ-CP art. 21, as
for dossiers)."""

import datetime as dt

from django.conf import settings

from motcua.accounts.models import AdministrativeUnit, Agency, UnitLevel
from motcua.feedback.models import AnswerTime
from motcua.workdays import clock
from motcua.workdays.calendars import spec_for

DEFAULT_WORKING_DAYS = 10


def default_working_days() -> int:
    return int(getattr(settings, "MOTCUA_FEEDBACK_WORKING_DAYS", DEFAULT_WORKING_DAYS))


def province_of(agency: Agency) -> AdministrativeUnit | None:
    """The province of the agency's administrative unit (walking up from a commune)."""
    unit = agency.unit
    seen = 0
    while unit is not None and unit.level != UnitLevel.PROVINCE and seen < 5:
        unit = unit.parent
        seen += 1
    return unit if unit is not None and unit.level == UnitLevel.PROVINCE else None


def working_days_for(agency: Agency) -> int:
    province = province_of(agency)
    if province is not None:
        rule = AnswerTime.objects.filter(province=province).first()
        if rule is not None:
            return rule.working_days
    return default_working_days()


def answer_due(agency: Agency, received_at: dt.datetime) -> dt.datetime:
    """When the answer of a feedback received by ``agency`` at ``received_at`` is due."""
    days = working_days_for(agency)
    return clock.due(received_at, days, clock.Unit.WORKING_DAYS, spec_for(agency.calendar)).due_at
