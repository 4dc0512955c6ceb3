"""Timeliness: early / on time / late for finished work, in time / overdue for open work.

Domain §4 (the deployed system's rule, date level in local time): finished before the due date
→ early; on the due date → on time; after it → late. In progress on a report date D: due date
≥ D → in time, else overdue. Paused dossiers are counted apart by the reports."""

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


def iso(instant: dt.datetime) -> str:
    """An instant as ISO 8601 in Vietnam's time zone, as events and the API show it."""
    return instant.astimezone(VIETNAM).isoformat()
