"""Feedback codes ``PAKN-<year>-<6 digits>`` (e.g. PAKN-2026-000123), numbered per year without
gaps under concurrent submissions, and the secret PIN that lets a sender without an account
follow the feedback (the code alone is guessable: it is sequential)."""

import datetime as dt

from django.db.models import F

from motcua.feedback.models import FeedbackCounter


def next_code(day: dt.date) -> str:
    """Take the next number of ``day``'s year, inside the transaction that creates the feedback
    (a rollback gives it back). Insert-or-ignore, then increment under a row lock."""
    FeedbackCounter.objects.bulk_create(
        [FeedbackCounter(year=day.year, last=0)], ignore_conflicts=True
    )
    counter = FeedbackCounter.objects.select_for_update().get(year=day.year)
    FeedbackCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"PAKN-{day.year}-{counter.last:06d}"
