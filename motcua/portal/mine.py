"""Reads for "my dossiers" (``/ho-so-cua-toi/``): a citizen's dossier as its page shows it, from
the engine's ``dossiers.applicant`` (which events, documents and forms are the applicant's to
see, how the due date was reached) and ``queries.timeliness`` (the desk's and the reports'
judgement, ``deadlines.standing``)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.catalogue.money import format_vnd
from motcua.dossiers import applicant
from motcua.dossiers.form_numbering import Form, numbered
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent, ReturnMethod
from motcua.dossiers.permissions import actions_for
from motcua.dossiers.queries import timeliness
from motcua.dossiers.workflow import Action, Status

# What each public event is called on the applicant's timeline (the officers' action names
# say what the officer does; these say what happened to the dossier).
HEADINGS = {
    Action.SUBMIT: gettext_lazy("Submitted online"),
    Action.RECEIVE: gettext_lazy("Received by the agency"),
    Action.REFUSE: gettext_lazy("Not accepted"),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Supplement requested"),
    Action.RESUBMIT: gettext_lazy("Supplement sent"),
    Action.REQUEST_PAYMENT: gettext_lazy("Payment requested"),
    Action.CONFIRM_PAYMENT: gettext_lazy("Payment confirmed"),
    Action.COLLECT_FEE: gettext_lazy("Fee paid"),
    Action.EXTEND: gettext_lazy("Apology: the result will be late"),
    Action.APPROVE: gettext_lazy("Result signed"),
    Action.RETURN_RESULT: gettext_lazy("Result returned"),
    Action.HAND_TO_POST: gettext_lazy("Result sent by public post"),
    Action.WITHDRAW: gettext_lazy("Withdrawn at your request"),
    Action.STOP: gettext_lazy("Processing stopped"),
    Action.DEADLINE_MOVED: gettext_lazy("Due date moved by a calendar change"),
    Action.ATTACH: gettext_lazy("Document sent"),
}


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: when, what happened, and what it said."""

    at: dt.datetime
    action: str
    heading: str
    lines: list[str]


@dataclass(frozen=True)
class Apology:
    """The latest apology (Form 04): why the result is late and the new return date."""

    at: dt.datetime
    reason: str
    new_return_at: dt.datetime | None


@dataclass(frozen=True)
class Page:
    """Everything the dossier's page shows its owner."""

    dossier: Dossier
    status_label: str
    standing: str
    timeline: list[Entry]
    due: applicant.DueStory
    apology: Apology | None
    documents: list[DossierDocument]
    results: list[DossierDocument]
    forms: list[tuple[str, str]]
    may_supplement: bool
    may_withdraw: bool
    requested: list[str]


def _when(value: object) -> str:
    if not isinstance(value, str) or not value:
        return ""
    return date_format(timezone.localtime(dt.datetime.fromisoformat(value)), "H:i d/m/Y")


def _payment(data: dict[str, Any]) -> list[str]:
    return [format_vnd(data.get("amount", 0))] if data.get("amount") is not None else []


def _lines(event: DossierEvent) -> list[str]:
    """What the applicant reads under an event: the reason given and the event's items."""
    data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    action = event.action
    if action == Action.REQUEST_SUPPLEMENT:
        extra = [
            str(p.get("name", "")) for p in data.get("extra_papers", []) if isinstance(p, dict)
        ]
        return [t for t in [event.reason, *map(str, data.get("items", [])), *extra] if t]
    if action == Action.REFUSE:
        return [str(r) for r in data.get("reasons", [])] or [event.reason]
    if action in (Action.CONFIRM_PAYMENT, Action.COLLECT_FEE):
        return _payment(data)
    if action == Action.EXTEND:
        when = _when(data.get("new_return_at"))
        return [event.reason, _("New return date: %(date)s") % {"date": when}]
    if action == Action.RECEIVE and data.get("due_at"):
        return [_("Result due on %(date)s") % {"date": _when(data.get("due_at"))}]
    if action == Action.HAND_TO_POST:
        return [_("Postal item number %(n)s") % {"n": data.get("tracking_number", "")}]
    if action == Action.RETURN_RESULT and data.get("method") in ReturnMethod.values:
        return [str(ReturnMethod(data["method"]).label)]
    if action == Action.ATTACH:
        return [str(data.get("document", ""))]
    if action in (Action.STOP, Action.WITHDRAW, Action.RESUBMIT, Action.REQUEST_PAYMENT):
        return [event.reason] if event.reason else []
    if action == Action.DEADLINE_MOVED:
        return [event.reason]
    return []


def timeline(events: list[DossierEvent]) -> list[Entry]:
    return [
        Entry(e.at, e.action, str(HEADINGS.get(Action(e.action), e.action)), _lines(e))
        for e in events
    ]


def _apology(dossier: Dossier, events: list[DossierEvent]) -> Apology | None:
    extended = [e for e in events if e.action == Action.EXTEND]
    if not extended:
        return None
    latest = extended[-1]
    return Apology(latest.at, latest.reason, dossier.promised_at)


def _forms(dossier: Dossier) -> list[tuple[str, str]]:
    found = []
    for form in applicant.applicant_forms(dossier):
        entry = numbered(form)
        found.append((form.value, f"{entry.label} — {entry.title}" if entry.label else entry.title))
    return found


def page(dossier: Dossier, user: User) -> Page:
    """``dossier`` as its page shows it to ``user``, its owner."""
    events = applicant.public_events(dossier)
    may = actions_for(user, dossier)
    supplementing = dossier.status == Status.SUPPLEMENT_REQUESTED and Action.RESUBMIT in may
    vietnamese = (translation.get_language() or "vi").startswith("vi")
    return Page(
        dossier=dossier,
        status_label=str(Status(dossier.status).label),
        standing=timeliness(dossier),
        timeline=timeline(events),
        due=applicant.due_story(dossier, now=timezone.now(), vietnamese=vietnamese),
        apology=_apology(dossier, events),
        documents=applicant.sent_documents(dossier, events),
        results=applicant.electronic_results(dossier),
        forms=_forms(dossier),
        may_supplement=supplementing,
        may_withdraw=Action.WITHDRAW in may,
        requested=applicant.requested_items(dossier) if supplementing else [],
    )


def printable(dossier: Dossier, name: str) -> Form | None:
    """The form ``name`` (its kind) if it is addressed to the applicant and applies now."""
    return next((f for f in applicant.applicant_forms(dossier) if f.value == name), None)
