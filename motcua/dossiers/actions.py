"""The engine's registry of the actions taken on a dossier: for each, its service, its payload
(a typed dataclass, the engine's own schema) and who may take it (the workflow table, through
``permissions.actions_for``). The API and the officers' screens both adapt this registry: a
serializer or a form parses the request into the action's payload, ``take`` runs it.

``take_many`` runs one action on several dossiers (the bulk actions of the list page and of
``POST /api/v1/dossiers/bulk/<action>/``), each in its own transaction with its own revision
check; the outcome per dossier says whether it was done, refused or in conflict, and neither a
refusal nor a conflict stops the others.

Creating a dossier (``intake``, ``reception``) and attaching a file (``documents.attach``) are
services of their own: they take no existing dossier or take a file, not a payload."""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.accounts.permissions import AnyUser
from motcua.dossiers import queries, services
from motcua.dossiers.extra_papers import ExtraPaper
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import actions_for
from motcua.dossiers.signatures import SignedPdf
from motcua.dossiers.workflow import Action
from motcua.errors import Conflict, invalid, refusal_errors, together

# --- payloads ----------------------------------------------------------------------------

# A payload field's metadata key: computed by the adapter (e.g. a signature made with the key the
# screen received), not an input a serializer or form parses.
DERIVED = "derived"


@dataclass(frozen=True, kw_only=True)
class Payload:
    """What every action carries: the revision the user saw (``None``: not checked). A later
    change of the dossier makes the action a conflict."""

    revision: int | None = None


@dataclass(frozen=True, kw_only=True)
class Note(Payload):
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Reason(Payload):
    reason: str


@dataclass(frozen=True, kw_only=True)
class Forward(Note):
    to: str | None = None  # the next holder's username; empty: anyone holding the step's role


@dataclass(frozen=True, kw_only=True)
class Transfer(Reason):
    to_agency: str  # the other agency's code
    allowance: Decimal
    step_name: str = ""


@dataclass(frozen=True, kw_only=True)
class Supplement(Payload):
    items: Sequence[str] = ()
    reason: str = ""
    # Papers outside the case's published list, each with its legal basis (a serializer gives
    # mappings {name, legal_basis}).
    extra_papers: Sequence[ExtraPaper | Mapping[str, str]] = ()


@dataclass(frozen=True, kw_only=True)
class PaymentRequest(Reason):
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class Payment(Payload):
    amount: Decimal
    receipt: str = ""
    method: str = ""


@dataclass(frozen=True, kw_only=True)
class Fee(Payload):
    amount: Decimal
    receipt: str
    method: str


@dataclass(frozen=True, kw_only=True)
class Extension(Reason):
    new_return_at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class Approval(Payload):
    result: str
    # The result PDF as the leader signed it (``signatures``), when they sign on approval:
    # made by the screen that holds the key, never parsed from a request's fields (``DERIVED``).
    signed_result: SignedPdf | None = field(default=None, metadata={DERIVED: True})


@dataclass(frozen=True, kw_only=True)
class Return(Note):
    method: str
    unpaid_reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Posting(Note):
    tracking_number: str
    unpaid_reason: str = ""


@dataclass(frozen=True)
class ActionEntry[P: Payload]:
    """One action of the registry: its name in the workflow table, its payload and the service
    call taking the dossier, the actor and the payload. ``bulk``: offered for several dossiers
    at once (``take_many``)."""

    name: Action
    payload: type[P]
    service: Callable[[Dossier, User, P], Dossier]
    bulk: bool = False

    def fields(self) -> tuple[str, ...]:
        """The payload's input field names (``revision`` first): those a serializer or a form
        parses; a field marked ``DERIVED`` is computed by the adapter instead."""
        return tuple(f.name for f in fields(self.payload) if not f.metadata.get(DERIVED))

    def all_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.payload))

    def required(self) -> tuple[str, ...]:
        """The payload's fields without a default."""
        return tuple(
            f.name
            for f in fields(self.payload)
            if f.default is MISSING and f.default_factory is MISSING
        )

    def parse(self, data: Mapping[str, Any]) -> P:
        """The payload from parsed input (a serializer's ``validated_data``, a form's
        ``cleaned_data``): the payload's fields, others ignored; a missing required one is a
        ``ValidationError`` on that field."""
        missing = [name for name in self.required() if name not in data]
        if missing:
            raise together(
                invalid("required", _("This field is required."), name) for name in missing
            )
        return self.payload(**{name: data[name] for name in self.all_fields() if name in data})

    def may(self, user: AnyUser, dossier: Dossier) -> bool:
        """Whether the workflow table lets ``user`` take this action on ``dossier`` now (the
        service checks again, under lock)."""
        return self.name in actions_for(user, dossier)


# --- the calls ---------------------------------------------------------------------------


def _user(username: str | None) -> User | None:
    if not username:
        return None
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise invalid("no_such_user", f"Không có người dùng / no user “{username}”", "to")
    return found


def agency_by_code(code: str, field: str = "to_agency") -> Agency:
    """The agency with ``code``, else a refusal on ``field`` (the API's intake names its
    receiving agency this way too)."""
    found = Agency.objects.filter(code=code).first()
    if found is None:
        raise invalid("no_such_agency", f"Không có cơ quan / no agency “{code}”", field)
    return found


def _receive(d: Dossier, u: User, p: Payload) -> Dossier:
    return services.receive(d, actor=u, expected_revision=p.revision)


def _forward(d: Dossier, u: User, p: Forward) -> Dossier:
    to = _user(p.to)
    return services.forward(d, actor=u, to=to, note=p.note, expected_revision=p.revision)


def _send_back(d: Dossier, u: User, p: Reason) -> Dossier:
    return services.send_back(d, actor=u, reason=p.reason, expected_revision=p.revision)


def _transfer(d: Dossier, u: User, p: Transfer) -> Dossier:
    return services.transfer(
        d, actor=u, to_agency=agency_by_code(p.to_agency), allowance=p.allowance, reason=p.reason,
        step_name=p.step_name, expected_revision=p.revision,
    )  # fmt: skip


def _request_supplement(d: Dossier, u: User, p: Supplement) -> Dossier:
    papers = [
        x if isinstance(x, ExtraPaper) else ExtraPaper(x.get("name", ""), x.get("legal_basis", ""))
        for x in p.extra_papers
    ]
    return services.request_supplement(
        d, actor=u, items=list(p.items), reason=p.reason, extra_papers=papers,
        expected_revision=p.revision,
    )  # fmt: skip


def _allow_further_supplement(d: Dossier, u: User, p: Reason) -> Dossier:
    return services.allow_further_supplement(
        d, actor=u, reason=p.reason, expected_revision=p.revision
    )


def _resubmit(d: Dossier, u: User, p: Note) -> Dossier:
    return services.resubmit(d, actor=u, note=p.note, expected_revision=p.revision)


def _request_payment(d: Dossier, u: User, p: PaymentRequest) -> Dossier:
    return services.request_payment(
        d, actor=u, amount=p.amount, reason=p.reason, expected_revision=p.revision
    )


def _confirm_payment(d: Dossier, u: User, p: Payment) -> Dossier:
    return services.confirm_payment(
        d, actor=u, amount=p.amount, receipt=p.receipt, method=p.method,
        expected_revision=p.revision,
    )  # fmt: skip


def _collect_fee(d: Dossier, u: User, p: Fee) -> Dossier:
    return services.collect_fee(
        d, actor=u, amount=p.amount, receipt=p.receipt, method=p.method,
        expected_revision=p.revision,
    )  # fmt: skip


def _extend(d: Dossier, u: User, p: Extension) -> Dossier:
    return services.extend(
        d, actor=u, reason=p.reason, new_return_at=p.new_return_at, expected_revision=p.revision
    )


def _approve(d: Dossier, u: User, p: Approval) -> Dossier:
    return services.approve(
        d, actor=u, result=p.result, signed_result=p.signed_result, expected_revision=p.revision
    )


def _return_result(d: Dossier, u: User, p: Return) -> Dossier:
    return services.return_result(
        d, actor=u, method=p.method, note=p.note, unpaid_reason=p.unpaid_reason,
        expected_revision=p.revision,
    )  # fmt: skip


def _hand_to_post(d: Dossier, u: User, p: Posting) -> Dossier:
    return services.hand_to_post(
        d, actor=u, tracking_number=p.tracking_number, note=p.note,
        unpaid_reason=p.unpaid_reason, expected_revision=p.revision,
    )  # fmt: skip


def _withdraw(d: Dossier, u: User, p: Reason) -> Dossier:
    return services.withdraw(d, actor=u, reason=p.reason, expected_revision=p.revision)


def _stop(d: Dossier, u: User, p: Reason) -> Dossier:
    return services.stop(d, actor=u, reason=p.reason, expected_revision=p.revision)


_ENTRIES: tuple[ActionEntry[Any], ...] = (
    ActionEntry(Action.RECEIVE, Payload, _receive),
    ActionEntry(Action.FORWARD, Forward, _forward, bulk=True),
    ActionEntry(Action.SEND_BACK, Reason, _send_back, bulk=True),
    ActionEntry(Action.TRANSFER, Transfer, _transfer),
    ActionEntry(Action.REQUEST_SUPPLEMENT, Supplement, _request_supplement),
    ActionEntry(Action.ALLOW_FURTHER_SUPPLEMENT, Reason, _allow_further_supplement),
    ActionEntry(Action.RESUBMIT, Note, _resubmit),
    ActionEntry(Action.REQUEST_PAYMENT, PaymentRequest, _request_payment),
    ActionEntry(Action.CONFIRM_PAYMENT, Payment, _confirm_payment),
    ActionEntry(Action.COLLECT_FEE, Fee, _collect_fee),
    ActionEntry(Action.EXTEND, Extension, _extend),
    ActionEntry(Action.APPROVE, Approval, _approve),
    ActionEntry(Action.RETURN_RESULT, Return, _return_result),
    ActionEntry(Action.HAND_TO_POST, Posting, _hand_to_post),
    ActionEntry(Action.WITHDRAW, Reason, _withdraw),
    ActionEntry(Action.STOP, Reason, _stop),
)

# action name → its entry: every action of the workflow table taken on an existing dossier,
# except ``attach`` (a file, ``documents.attach``).
REGISTRY: dict[str, ActionEntry[Any]] = {entry.name.value: entry for entry in _ENTRIES}
BULK: frozenset[str] = frozenset(name for name, entry in REGISTRY.items() if entry.bulk)


def entry(name: str) -> ActionEntry[Any]:
    """The entry of action ``name``; ``KeyError`` for a name the registry does not hold."""
    return REGISTRY[name]


def take(dossier: Dossier, name: str, actor: User, payload: Payload | Mapping[str, Any]) -> Dossier:
    """Take action ``name`` on ``dossier`` as ``actor``: the payload parsed (from a mapping)
    and its references resolved (a username, an agency code), then the service, which checks
    the workflow table and the revision under lock. Raises the service's refusals:
    ``ActionRefused``, ``DossierConflict``, ``ValidationError``."""
    found = entry(name)
    parsed = found.parse(payload) if isinstance(payload, Mapping) else payload
    if not isinstance(parsed, found.payload):
        raise TypeError(f"{name} takes a {found.payload.__name__}, not {type(parsed).__name__}")
    return found.service(dossier, actor, parsed)


# --- several dossiers at once ------------------------------------------------------------

DONE, REFUSED, CONFLICT = "done", "refused", "conflict"
RESULTS = (DONE, REFUSED, CONFLICT)
# The most dossiers one call acts on (the list page's size).
MAX_MANY = 50


@dataclass(frozen=True)
class Outcome:
    """What happened to the selected dossier ``code``: ``result`` DONE, REFUSED or CONFLICT,
    the ``reason`` in words and, unless done, its stable code (``refusal``, docs/errors.md):
    ``dossier_not_found``, ``action_not_allowed``, ``dossier_changed``, or the service's own
    (``forward_recipient_not_eligible``, ``no_such_user``…)."""

    code: str
    result: str
    reason: str = ""
    refusal: str = ""


def one_line(refusal: Exception) -> str:
    """A service's refusal (its reasons, by field or not) as one line."""
    return " ".join(problem["message"] for problem in refusal_errors(refusal))


def first_code(refusal: Exception, default: str = "invalid") -> str:
    """The stable code of a service's refusal (its first reason's, docs/errors.md), or
    ``default`` when it gives none."""
    found = refusal_errors(refusal)
    return found[0]["code"] if found else default


def _conflict(code: str) -> Outcome:
    return Outcome(code, CONFLICT, _("Changed since the list was loaded."), "dossier_changed")


def _one(
    actor: User, found: ActionEntry[Any], dossier: Dossier, revision: int, values: Mapping[str, Any]
) -> Outcome:
    code = dossier.code
    if dossier.revision != revision:
        return _conflict(code)
    if not found.may(actor, dossier):
        message = _("The workflow does not let you take this action on it now.")
        return Outcome(code, REFUSED, message, "action_not_allowed")
    try:
        with transaction.atomic():
            take(dossier, found.name.value, actor, {**values, "revision": revision})
    except Conflict:
        return _conflict(code)
    except (ValidationError, PermissionDenied) as refusal:
        return Outcome(code, REFUSED, one_line(refusal), first_code(refusal))
    return Outcome(code, DONE)


def take_many(
    actor: User, name: str, selected: Sequence[tuple[str, int]], values: Mapping[str, Any]
) -> list[Outcome]:
    """Take bulk action ``name`` on each selected ``(code, revision)`` with the shared
    ``values`` (the payload without its revision); one outcome per dossier, in the order
    selected. A code ``actor`` may not read is refused as missing. ``ValueError`` for an
    action not offered in bulk or more than ``MAX_MANY`` dossiers."""
    if name not in BULK:
        raise ValueError(name)
    if len(selected) > MAX_MANY:
        raise ValueError(f"at most {MAX_MANY} dossiers at once")
    found = entry(name)
    codes = [code for code, _revision in selected]
    dossiers = {
        d.code: d
        for d in queries.visible_dossiers(actor)
        .filter(code__in=codes)
        .select_related("current_step", "current_agency", "receiving_agency")
    }
    outcomes = []
    for code, revision in selected:
        dossier = dossiers.get(code)
        if dossier is None:
            outcomes.append(Outcome(code, REFUSED, _("No such dossier."), "dossier_not_found"))
        else:
            outcomes.append(_one(actor, found, dossier, revision, values))
    return outcomes
