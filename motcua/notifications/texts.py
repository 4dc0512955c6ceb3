"""The words of every notice and of the events the scanner and the rescheduler record.

Message ids are English, the Vietnamese is in the project's catalogue (``motcua/locale/vi``).
Notices are rendered in the site's language (``LANGUAGE_CODE``, Vietnamese), whoever triggered
them; event reasons in the active language, as the other services write them.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.catalogue.money import format_vnd
from motcua.workdays.clock import DayChange


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def when(instant: dt.datetime) -> str:
    """``16:30 09/03/2026`` in the site's time zone, as Form 01 prints an appointment."""
    return timezone.localtime(instant).strftime("%H:%M %d/%m/%Y")


def due_soon_step(code: str, procedure: str, step: str, due_at: dt.datetime) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "step": step, "due": when(due_at)}
        return Text(
            _("Dossier %(code)s: step “%(step)s” is due soon") % values,
            _(
                "The step “%(step)s” of dossier %(code)s (%(procedure)s) is due at %(due)s. "
                "Please finish it and hand the dossier over in time."
            )
            % values,
        )


def due_soon_dossier(code: str, procedure: str, applicant: str, due_at: dt.datetime) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "applicant": applicant,
                  "due": when(due_at)}  # fmt: skip
        return Text(
            _("Dossier %(code)s is due soon") % values,
            _(
                "Dossier %(code)s (%(procedure)s) of %(applicant)s must be returned by "
                "%(due)s, the appointment on its receipt."
            )
            % values,
        )


def overdue_step(code: str, procedure: str, step: str, due_at: dt.datetime) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "step": step, "due": when(due_at)}
        return Text(
            _("Dossier %(code)s: step “%(step)s” is overdue") % values,
            _(
                "The step “%(step)s” of dossier %(code)s (%(procedure)s) was due at %(due)s "
                "and is not finished."
            )
            % values,
        )


def overdue_dossier(code: str, procedure: str, applicant: str, due_at: dt.datetime) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "applicant": applicant,
                  "due": when(due_at)}  # fmt: skip
        return Text(
            _("Dossier %(code)s is overdue") % values,
            _(
                "Dossier %(code)s (%(procedure)s) of %(applicant)s was due at %(due)s and its "
                "result has not been approved."
            )
            % values,
        )


def escalation(code: str, procedure: str, agency: str, due_at: dt.datetime) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "agency": agency, "due": when(due_at)}
        return Text(
            _("Overdue dossier %(code)s needs the leaders' attention") % values,
            _(
                "Dossier %(code)s (%(procedure)s) at %(agency)s has been overdue since "
                "%(due)s. If the result cannot be returned soon, the agency must send the "
                "applicant a letter of apology with a new return date (Form 04)."
            )
            % values,
        )


def deadline_moved(
    code: str, old_due: dt.datetime, new_due: dt.datetime, changes: Sequence[DayChange]
) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "code": code,
            "old": when(old_due),
            "new": when(new_due),
            "days": describe_changes(changes),
        }
        return Text(
            _("Dossier %(code)s: the return date has changed") % values,
            _(
                "The working calendar changed (%(days)s). The date for returning the result "
                "of dossier %(code)s moved from %(old)s to %(new)s."
            )
            % values,
        )


def describe_changes(changes: Sequence[DayChange]) -> str:
    """``02/06/2026: Working day → Day off set by calendar H56: storm (Letter 12/UBND)``,
    in the active language."""
    return "; ".join(
        f"{change.date:%d/%m/%Y}: {change.before.reason.text()} → {change.after.reason.text()}"
        for change in changes
    )


def deadline_moved_reason(calendar: str, changes: Sequence[DayChange], why: str) -> str:
    """The reason of a ``deadline_moved`` event: which days of which calendar changed, and why."""
    reason = _("The working calendar %(calendar)s changed: %(days)s.") % {
        "calendar": calendar,
        "days": describe_changes(changes),
    }
    if why:
        reason += " " + _("Reason given: %(why)s") % {"why": why}
    return reason


def reminded_reason(kind_label: str, count: int, due_at: dt.datetime) -> str:
    """The reason of a ``reminded`` event."""
    return _("%(kind)s notice sent to %(count)s recipient(s); due at %(due)s.") % {
        "kind": kind_label,
        "count": count,
        "due": when(due_at),
    }


# Notices to the applicant (issue 13 item 6). The dossier's code and procedure open each one;
# the body says what happened and what the applicant should do.


def received(code: str, procedure: str, agency: str, due_at: dt.datetime | None) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "agency": agency}
        body = _("%(agency)s has received your dossier %(code)s (%(procedure)s).") % values
        if due_at is not None:
            body += " " + _("The result is due at %(due)s.") % {"due": when(due_at)}
        return Text(_("Dossier %(code)s has been received") % values, body + _track(code))


def supplement_requested(code: str, procedure: str, agency: str, items: Sequence[str]) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "agency": agency,
                  "items": "; ".join(items)}  # fmt: skip
        return Text(
            _("Dossier %(code)s: please supplement your dossier") % values,
            _(
                "%(agency)s asks you to supplement dossier %(code)s (%(procedure)s) with: "
                "%(items)s. The processing time is paused until the dossier is complete."
            )
            % values
            + _track(code),
        )


def payment_requested(code: str, procedure: str, agency: str, amount: object, reason: str) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "agency": agency,
                  "amount": format_vnd(amount), "reason": reason}  # fmt: skip
        return Text(
            _("Dossier %(code)s: a payment is required") % values,
            _(
                "%(agency)s asks you to pay %(amount)s for dossier %(code)s (%(procedure)s): "
                "%(reason)s. The processing time is paused until it is paid."
            )
            % values
            + _track(code),
        )


def apology(code: str, procedure: str, agency: str, reason: str, new_at: dt.datetime) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "agency": agency, "reason": reason,
                  "new": when(new_at)}  # fmt: skip
        return Text(
            _("Dossier %(code)s: apology and new return date") % values,
            _(
                "%(agency)s apologises: dossier %(code)s (%(procedure)s) cannot be returned on "
                "the date promised. Reason: %(reason)s. The new return date is %(new)s."
            )
            % values
            + _track(code),
        )


def result_ready(code: str, procedure: str, agency: str, return_method: str) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "agency": agency}
        how = {
            "post": _("It will be sent to you by public post."),
            "electronic": _("You can download it on the portal."),
        }.get(return_method, _("Collect it at %(agency)s, bringing your receipt.") % values)
        return Text(
            _("Dossier %(code)s: the result is ready") % values,
            _("The result of dossier %(code)s (%(procedure)s) is ready.") % values
            + " "
            + how
            + _track(code),
        )


def result_posted(
    code: str, procedure: str, agency: str, tracking_number: str, posted_at: dt.datetime
) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "agency": agency,
                  "number": tracking_number, "at": when(posted_at)}  # fmt: skip
        return Text(
            _("Dossier %(code)s: the result was sent by public post") % values,
            _(
                "%(agency)s handed the result of dossier %(code)s (%(procedure)s) to the public "
                "post at %(at)s. Postal item number: %(number)s."
            )
            % values
            + _track(code),
        )


def refused(code: str, procedure: str, agency: str, reasons: Sequence[str]) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": code, "procedure": procedure, "agency": agency,
                  "reasons": "; ".join(reasons)}  # fmt: skip
        return Text(
            _("Dossier %(code)s was not accepted") % values,
            _("%(agency)s could not accept dossier %(code)s (%(procedure)s). Reasons: %(reasons)s.")
            % values,
        )


def _track(code: str) -> str:
    """`` Track it at https://…/tra-cuu/<code>.`` when ``PUBLIC_BASE_URL`` is set."""
    base = str(getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    if not base:
        return ""
    return " " + _("Track it at %(url)s.") % {"url": f"{base}/tra-cuu/{code}"}
