"""The PAR self-assessment's workflow as a table: statuses, actions, who takes each and from
which statuses. Pure: no database.

draft ──submit──▶ submitted ──appraise (per sub-criterion, status kept)──▶ …
  ▲                  │ └──return (reason)──▶ draft
  └──────────────────┘
submitted ──finish──▶ appraised ──publish (the year's ranking, all at once)──▶ published

The agency's focal point (đầu mối, designated by the reform office) scores and submits its own
agency's self-assessment while it is a draft; the reform office (Role.REFORM_OFFICER, the
Department of Home Affairs) appraises a submitted one, may send it back with a reason, finishes
the appraisal and publishes the year's results. Nothing is edited after submission but by the
appraisal, and nothing at all after publication.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("self-scoring")
    SUBMITTED = "submitted", _("submitted, under appraisal")
    APPRAISED = "appraised", _("appraised")
    PUBLISHED = "published", _("published")


class Action(models.TextChoices):
    IMPORT = "import", _("criteria imported")
    DESIGNATE = "designate", _("focal point designated")
    OPEN = "open", _("self-assessment opened")
    SCORE = "score", _("self-scored")
    MEASURE = "measure", _("filled from the system's figures")
    ATTACH = "attach", _("evidence attached")
    DETACH = "detach", _("evidence removed")
    SUBMIT = "submit", _("submitted")
    RETURN = "return", _("sent back for rework")
    APPRAISE = "appraise", _("appraised")
    FINISH = "finish", _("appraisal finished")
    PUBLISH = "publish", _("published")


class Actor(StrEnum):
    """Who may take an action: the agency's own focal point or the reform office."""

    FOCAL_POINT = "focal_point"
    REFORM_OFFICE = "reform_office"


@dataclass(frozen=True)
class Rule:
    action: Action
    sources: frozenset[Status]
    target: Status
    actor: Actor


DRAFT_ONLY = frozenset({Status.DRAFT})

RULES: dict[Action, Rule] = {
    rule.action: rule
    for rule in (
        Rule(Action.SCORE, DRAFT_ONLY, Status.DRAFT, Actor.FOCAL_POINT),
        Rule(Action.MEASURE, DRAFT_ONLY, Status.DRAFT, Actor.FOCAL_POINT),
        Rule(Action.ATTACH, DRAFT_ONLY, Status.DRAFT, Actor.FOCAL_POINT),
        Rule(Action.DETACH, DRAFT_ONLY, Status.DRAFT, Actor.FOCAL_POINT),
        Rule(Action.SUBMIT, DRAFT_ONLY, Status.SUBMITTED, Actor.FOCAL_POINT),
        Rule(Action.RETURN, frozenset({Status.SUBMITTED}), Status.DRAFT, Actor.REFORM_OFFICE),
        Rule(Action.APPRAISE, frozenset({Status.SUBMITTED}), Status.SUBMITTED, Actor.REFORM_OFFICE),
        Rule(Action.FINISH, frozenset({Status.SUBMITTED}), Status.APPRAISED, Actor.REFORM_OFFICE),
        Rule(Action.PUBLISH, frozenset({Status.APPRAISED}), Status.PUBLISHED, Actor.REFORM_OFFICE),
    )
}


def allowed(action: Action, status: str) -> bool:
    """Whether ``action`` may be taken on an assessment in ``status``."""
    return status in RULES[action].sources


def target(action: Action) -> Status:
    return RULES[action].target


# Who is ranked: departments among departments, communes among communes.
class Group(models.TextChoices):
    DEPARTMENT = "department", _("departments and provincial agencies")
    COMMUNE = "commune", _("communes, wards and special zones")
    OTHER = "other", _("other agencies")
