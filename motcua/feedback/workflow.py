"""The feedback workflow (phản ánh, kiến nghị; Decree 20/2008/NĐ-CP) as a table: statuses,
actions, and which roles may take each action from which statuses. Pure: no database.

received ──assign──▶ assigned ──draft──▶ drafted ──approve──▶ answered ──publish──▶ published
               ▲   └─transfer─┘ ▲        │ └─redraft─┘                 (only with consent)
               │                └─return─┘
recorded: an anonymous submission, kept but not processed (Decree 20/2008/NĐ-CP requires the
sender's name and contact for a feedback to be handled; see docs/feedback.md).

Who acts, and where (``Scope``): the reform officer (Role.REFORM_OFFICER, province-wide) routes
and re-routes; inside the agency that holds the feedback the specialist (or the head of
department) drafts, the signing leader (or the head of department) sends a draft back or
approves it, and a leader or the reform officer publishes an approved answer whose asker
consented.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role


class Status(models.TextChoices):
    RECEIVED = "received", _("received, awaiting routing")
    RECORDED = "recorded", _("recorded, not processed (anonymous)")
    ASSIGNED = "assigned", _("with the competent agency")
    DRAFTED = "drafted", _("answer drafted")
    ANSWERED = "answered", _("answered")
    PUBLISHED = "published", _("answered and published")


class Action(models.TextChoices):
    SUBMIT = "submit", _("submitted")
    RECORD = "record", _("recorded without processing")
    ASSIGN = "assign", _("routed to an agency")
    TRANSFER = "transfer", _("transferred to another agency")
    DRAFT = "draft", _("answer drafted")
    RETURN = "return", _("draft sent back")
    APPROVE = "approve", _("answer approved")
    PUBLISH = "publish", _("answer published")
    REMIND = "remind", _("reminder sent")
    RESCHEDULE = "reschedule", _("deadline moved by a calendar change")


class Scope(StrEnum):
    """Where the actor's role must be held: anywhere (a province-wide reform officer) or in
    the agency that holds the feedback now."""

    PROVINCE = "province"
    HOLDER = "holder"


@dataclass(frozen=True)
class Rule:
    action: Action
    sources: frozenset[Status]
    target: Status | None  # None: the status does not change (a redraft keeps "drafted")
    roles: frozenset[Role]
    scope: Scope


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ASSIGNED, Status.DRAFTED})
# Answered or published: the agency's work is done; the report counts these as answered.
ANSWERED_STATUSES = frozenset({Status.ANSWERED, Status.PUBLISHED})
# Statuses with a running deadline (the routed ones; "received" has no agency yet).
CLOCKED_STATUSES = frozenset({Status.ASSIGNED, Status.DRAFTED})

LEADERS = frozenset({Role.SIGNING_LEADER, Role.HEAD_OF_DEPARTMENT})

RULES: dict[Action, Rule] = {
    rule.action: rule
    for rule in (
        Rule(Action.ASSIGN, frozenset({Status.RECEIVED}), Status.ASSIGNED,
             frozenset({Role.REFORM_OFFICER}), Scope.PROVINCE),
        # An agency that is not competent hands it on through its leader; the reform officer
        # may re-route it too.
        Rule(Action.TRANSFER, frozenset({Status.ASSIGNED, Status.DRAFTED}), Status.ASSIGNED,
             frozenset({Role.REFORM_OFFICER}), Scope.PROVINCE),
        Rule(Action.DRAFT, frozenset({Status.ASSIGNED, Status.DRAFTED}), Status.DRAFTED,
             frozenset({Role.SPECIALIST, Role.HEAD_OF_DEPARTMENT}), Scope.HOLDER),
        Rule(Action.RETURN, frozenset({Status.DRAFTED}), Status.ASSIGNED, LEADERS, Scope.HOLDER),
        Rule(Action.APPROVE, frozenset({Status.DRAFTED}), Status.ANSWERED, LEADERS, Scope.HOLDER),
        Rule(Action.PUBLISH, frozenset({Status.ANSWERED}), Status.PUBLISHED,
             frozenset({Role.SIGNING_LEADER, Role.REFORM_OFFICER}), Scope.HOLDER),
    )
}  # fmt: skip

# A leader of the holding agency may also transfer (not only the reform officer).
HOLDER_TRANSFER_ROLES = LEADERS


def allowed_from(action: Action, status: str) -> bool:
    rule = RULES[action]
    return status in rule.sources


def target_of(action: Action, status: str) -> Status:
    rule = RULES[action]
    return rule.target or Status(status)


def actions_from(status: str) -> list[Action]:
    """The actions the table allows from ``status``, in the table's order."""
    return [action for action, rule in RULES.items() if status in rule.sources]
