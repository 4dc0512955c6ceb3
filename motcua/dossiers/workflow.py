"""The dossier workflow as a table: statuses, actions, and which role, standing where, may take
which action from which status. Pure: no database. ``transitions.lock_for`` is the one place that
consults it.

Status codes are those of a deployed provincial system, close to the National Public Service
Portal's synchronisation codes (domain §1): 1 newly registered … 10 result returned.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role


class Status(models.TextChoices):
    NEW = "1", _("newly registered")
    RECEIVED = "2", _("received")
    NOT_ACCEPTED = "3", _("not accepted")
    PROCESSING = "4", _("processing")
    SUPPLEMENT_REQUESTED = "5", _("supplement requested")
    FINANCIAL_OBLIGATION = "6", _("financial obligation requested")
    WITHDRAWN = "7", _("withdrawn at the applicant's request")
    STOPPED = "8", _("processing stopped")
    PROCESSED = "9", _("processed")
    RETURNED = "10", _("result returned")


# Report groups of domain §1.
IN_PROGRESS = frozenset({Status.RECEIVED, Status.PROCESSING})
PAUSED = frozenset({Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION, Status.STOPPED})
DONE = frozenset({Status.WITHDRAWN, Status.PROCESSED, Status.RETURNED})
# The clock runs in these: the scanner looks for due and overdue dossiers among them.
OPEN_STATUSES = frozenset(s.value for s in IN_PROGRESS)
# The clock is stopped while the applicant supplements the file or pays (Decree 118/2025
# art. 17(3) and 19: the time to supplement is not counted in the processing time).
PAUSING = frozenset({Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION})


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    POST = "post", _("public postal service")


class Action(models.TextChoices):
    SUBMIT = "submit", _("submit online")
    RECEIVE = "receive", _("receive")
    REFUSE = "refuse", _("refuse")
    REQUEST_SUPPLEMENT = "request_supplement", _("request a supplement")
    RESUBMIT = "resubmit", _("resubmit the supplemented dossier")
    FORWARD = "forward", _("forward to the next step")
    SEND_BACK = "send_back", _("return to the previous step")
    TRANSFER = "transfer", _("transfer to another agency")
    REQUEST_PAYMENT = "request_payment", _("request a financial obligation")
    CONFIRM_PAYMENT = "confirm_payment", _("confirm the financial obligation is met")
    COLLECT_FEE = "collect_fee", _("collect a fee")
    EXTEND = "extend", _("extend with an apology")
    ALLOW_FURTHER_SUPPLEMENT = "allow_further_supplement", _("allow a further supplement request")
    APPROVE = "approve", _("approve and sign the result")
    RETURN_RESULT = "return_result", _("return the result")
    HAND_TO_POST = "hand_to_post", _("hand the result to the public post")
    WITHDRAW = "withdraw", _("withdraw at the applicant's request")
    STOP = "stop", _("stop processing")
    ATTACH = "attach", _("attach a document")
    SIGN = "sign", _("sign an electronic copy")
    # Recorded by the system, never taken by a person through the table.
    IMPORTED = "imported", _("imported from a legacy system")
    DEADLINE_MOVED = "deadline_moved", _("deadline moved by a calendar change")
    REMINDED = "reminded", _("due-soon or overdue notice sent")
    REFUND = "refund", _("online payment refunded")  # by payments.refunds (dossiers.refunds)


class Scope(StrEnum):
    """Where a user must hold the role for a row to apply."""

    ANYONE = "anyone"  # any signed-in citizen (submitting a new dossier)
    OWNER = "owner"  # the citizen whose dossier it is
    RECEIVING = "receiving"  # in the agency that received the dossier
    STEP = "step"  # the current step's role, in the current step's agency
    CURRENT = "current"  # any of the roles, in the agency holding the dossier now


NONE = ""  # the status of a dossier that does not exist yet
RESTORE = "restore"  # back to the status before the pause


@dataclass(frozen=True)
class Rule:
    action: Action
    source: str
    target: str
    roles: frozenset[str]
    scope: Scope


def _rule(action: Action, source: str, target: str, roles: set[str], scope: Scope) -> Rule:
    return Rule(action, source, target, frozenset(roles), scope)


DESK: set[str] = {Role.DESK_OFFICER}
WORKERS: set[str] = {Role.SPECIALIST, Role.HEAD_OF_DEPARTMENT, Role.SIGNING_LEADER}
LEADERS: set[str] = {Role.HEAD_OF_DEPARTMENT, Role.SIGNING_LEADER}
CITIZEN: set[str] = {Role.CITIZEN}
HEAD: set[str] = {Role.SIGNING_LEADER}  # the head of the agency (thủ trưởng), who signs
S = Status
A = Action

RULES: tuple[Rule, ...] = (
    _rule(A.SUBMIT, NONE, S.NEW, CITIZEN, Scope.ANYONE),
    # Reception at the desk, in person or by post (no prior record), or of an online submission.
    _rule(A.RECEIVE, NONE, S.RECEIVED, DESK, Scope.RECEIVING),
    _rule(A.RECEIVE, S.NEW, S.RECEIVED, DESK, Scope.RECEIVING),
    # Form 03: refusal at intake, with reasons.
    _rule(A.REFUSE, NONE, S.NOT_ACCEPTED, DESK, Scope.RECEIVING),
    _rule(A.REFUSE, S.NEW, S.NOT_ACCEPTED, DESK, Scope.RECEIVING),
    # Form 02: what is missing. Before receipt it only tells the applicant; during processing
    # it stops the clock until the applicant resubmits.
    _rule(A.REQUEST_SUPPLEMENT, S.NEW, S.SUPPLEMENT_REQUESTED, DESK, Scope.RECEIVING),
    _rule(A.REQUEST_SUPPLEMENT, S.PROCESSING, S.SUPPLEMENT_REQUESTED, WORKERS, Scope.STEP),
    # The applicant is told once, completely (``statutory.supplement_permission``): a further
    # request while processing needs the head of the agency holding the dossier to allow it.
    _rule(A.ALLOW_FURTHER_SUPPLEMENT, S.PROCESSING, S.PROCESSING, HEAD, Scope.CURRENT),
    _rule(A.RESUBMIT, S.SUPPLEMENT_REQUESTED, RESTORE, CITIZEN, Scope.OWNER),
    _rule(A.RESUBMIT, S.SUPPLEMENT_REQUESTED, RESTORE, DESK, Scope.RECEIVING),
    # The desk hands the received dossier to the first processing step; then each step's holder
    # hands it to the next.
    _rule(A.FORWARD, S.RECEIVED, S.PROCESSING, DESK, Scope.RECEIVING),
    _rule(A.FORWARD, S.PROCESSING, S.PROCESSING, WORKERS | DESK, Scope.STEP),
    _rule(A.SEND_BACK, S.PROCESSING, S.PROCESSING, WORKERS, Scope.STEP),
    _rule(A.TRANSFER, S.PROCESSING, S.PROCESSING, WORKERS, Scope.STEP),
    _rule(A.REQUEST_PAYMENT, S.PROCESSING, S.FINANCIAL_OBLIGATION, WORKERS, Scope.STEP),
    _rule(A.CONFIRM_PAYMENT, S.FINANCIAL_OBLIGATION, RESTORE, DESK, Scope.RECEIVING),
    _rule(A.CONFIRM_PAYMENT, S.FINANCIAL_OBLIGATION, RESTORE, WORKERS, Scope.CURRENT),
    # Fees and charges of the procedure, collected by the desk at reception or when the result
    # is returned (a financial obligation requested while processing is met by CONFIRM_PAYMENT).
    *(
        _rule(A.COLLECT_FEE, source, source, DESK, Scope.RECEIVING)
        for source in (S.NEW, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PROCESSED)
    ),
    # Form 04: an apology with a new return date, signed by the head of the agency.
    _rule(A.EXTEND, S.RECEIVED, S.RECEIVED, LEADERS, Scope.CURRENT),
    _rule(A.EXTEND, S.PROCESSING, S.PROCESSING, LEADERS, Scope.CURRENT),
    _rule(A.EXTEND, S.PROCESSED, S.PROCESSED, LEADERS, Scope.RECEIVING),
    # Only the holder of the last processing step approves, once every earlier step is done
    # (checked by the engine, ``steps.approval_refusal``, as the table holds no positions):
    # usually the leader who signs, or the head of the specialised office where the process
    # gives them the signature (household business); in an inter-agency process whose last
    # step follows the signature (birth + residence + health insurance), its specialist.
    _rule(A.APPROVE, S.PROCESSING, S.PROCESSED, WORKERS, Scope.STEP),
    _rule(A.RETURN_RESULT, S.PROCESSED, S.RETURNED, DESK, Scope.RECEIVING),
    # Return by public post: the receiving desk hands the result to the postal service; the
    # hand-over with the item's number is the return (``services.hand_to_post``).
    _rule(A.HAND_TO_POST, S.PROCESSED, S.RETURNED, DESK, Scope.RECEIVING),
    _rule(A.WITHDRAW, S.NEW, S.WITHDRAWN, CITIZEN, Scope.OWNER),
    *(
        _rule(A.WITHDRAW, source, S.WITHDRAWN, roles, scope)
        for source in (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION)
        for roles, scope in ((CITIZEN, Scope.OWNER), (DESK, Scope.RECEIVING))
    ),
    # Scans and uploads: the desk while the dossier is at intake or being supplemented, the
    # applicant while it waits or is being supplemented, the step's holder while processing.
    *(
        _rule(A.ATTACH, source, source, DESK, Scope.RECEIVING)
        for source in (S.NEW, S.RECEIVED, S.SUPPLEMENT_REQUESTED)
    ),
    _rule(A.ATTACH, S.NEW, S.NEW, CITIZEN, Scope.OWNER),
    _rule(A.ATTACH, S.SUPPLEMENT_REQUESTED, S.SUPPLEMENT_REQUESTED, CITIZEN, Scope.OWNER),
    _rule(A.ATTACH, S.PROCESSING, S.PROCESSING, WORKERS, Scope.STEP),
    # The receiving desk signs the electronic copy of the receipt (Form 01) and of the scanned
    # papers from receipt until the result leaves (``signatures.keep_signed_copy``).
    *(
        _rule(A.SIGN, source, source, DESK, Scope.RECEIVING)
        for source in (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION)
    ),
    *(
        _rule(A.STOP, source, S.STOPPED, LEADERS, Scope.CURRENT)
        for source in (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION)
    ),
)

# The result returned into the applicant's account by the system itself, in the approval's
# transaction, when the procedure issues its result electronically and the leader signed it
# (``services.deliver_electronically``; Decree 45/2020/NĐ-CP art. 14: the electronic result
# has the value of the paper one). No person takes it, so it is not in the table.
ELECTRONIC_DELIVERY = Rule(
    Action.RETURN_RESULT, Status.PROCESSED, Status.RETURNED, frozenset(), Scope.RECEIVING
)

# Grants a user holds on a dossier: (role, scope) pairs computed by ``permissions.grants_for``.
Grant = tuple[str, Scope]


def rules_for(action: str, source: str) -> list[Rule]:
    return [r for r in RULES if r.action == action and r.source == source]


def find_rule(action: str, source: str, grants: set[Grant]) -> Rule | None:
    """The rule that lets someone with ``grants`` take ``action`` from ``source``, if any."""
    for rule in rules_for(action, source):
        if any(role in rule.roles and scope == rule.scope for role, scope in grants):
            return rule
    return None


def allowed_actions(source: str, grants: set[Grant]) -> list[Action]:
    """The actions someone with ``grants`` may take on a dossier in ``source``."""
    return [a for a in Action if find_rule(a, source, grants) is not None]


def target_status(rule: Rule, before_pause: str) -> str:
    return before_pause if rule.target == RESTORE else rule.target
