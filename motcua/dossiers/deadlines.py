"""Timeliness: early / on time / late for finished work, in time / overdue for open work.

Domain §4 (the deployed system's rule, date level in local time): finished before the due date
→ early; on the due date → on time; after it → late. In progress on a report date D: due date
≥ D → in time, else overdue. Paused dossiers are counted apart by the reports.

``standing`` is the one rule both the rollups of the reports (``rollup.py``) and the dossier's
``timeliness`` (API, dossier page) follow, status by status."""

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class Finished(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


class Open(StrEnum):
    IN_TIME = "in_time"
    OVERDUE = "overdue"


class Apart(StrEnum):
    """Standings outside the grading: withdrawn (finished, not graded) and paused (open, its
    clock stopped, so in time)."""

    WITHDRAWN = "withdrawn"
    PAUSED = "paused"


Standing = Finished | Open | Apart

# The statuses (``workflow.Status`` values, kept here as text so that this module depends on
# nothing) that decide the standing.
NOT_COUNTED = frozenset({"1", "3"})  # newly registered, not accepted at the desk
GRADED = frozenset({"9", "10"})  # processed, result returned
WITHDRAWN = "7"
# Supplement requested, financial obligation requested: the clock stops while the applicant
# supplements or pays (domain ONE-STOP.md §1.5; the due date moves on resume), so the dossier
# cannot fall overdue while it waits.
CLOCK_STOPPED = frozenset({"5", "6"})


def local_date(instant: dt.datetime, tz: ZoneInfo = VIETNAM) -> dt.date:
    return instant.astimezone(tz).date()


def classify_finished(
    finished_at: dt.datetime, due_at: dt.datetime | None, tz: ZoneInfo = VIETNAM
) -> Finished:
    """A procedure without a fixed return date (no ``due_at``) is never late."""
    if due_at is None:
        return Finished.ON_TIME
    done, due = local_date(finished_at, tz), local_date(due_at, tz)
    if done < due:
        return Finished.EARLY
    if done == due:
        return Finished.ON_TIME
    return Finished.LATE


def classify_open(due_at: dt.datetime | None, on: dt.date, tz: ZoneInfo = VIETNAM) -> Open:
    if due_at is None or local_date(due_at, tz) >= on:
        return Open.IN_TIME
    return Open.OVERDUE


def standing(
    status: str,
    *,
    received_at: dt.datetime | None,
    due_at: dt.datetime | None,
    finished_at: dt.datetime | None,
    on: dt.date,
    tz: ZoneInfo = VIETNAM,
) -> Standing | None:
    """Where a dossier in ``status`` stands on the report date ``on``; ``None`` outside the
    reports (never received, or refused at the desk).

    Processed or returned (9, 10): early / on time / late by ``classify_finished``. Withdrawn
    (7): apart, never graded. Waiting for a supplement or a payment (5, 6): paused, in time.
    Otherwise (2, 4, and 8, stopped, whose clock is not stopped): in time / overdue on ``on``."""
    if received_at is None or status in NOT_COUNTED:
        return None
    if status in GRADED and finished_at is not None:
        return classify_finished(finished_at, due_at, tz)
    if status == WITHDRAWN:
        return Apart.WITHDRAWN
    if status in CLOCK_STOPPED:
        return Apart.PAUSED
    return classify_open(due_at, on, tz)


def iso(instant: dt.datetime) -> str:
    """An instant as ISO 8601 in Vietnam's time zone, as events and the API show it."""
    return instant.astimezone(VIETNAM).isoformat()
