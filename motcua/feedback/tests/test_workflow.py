"""The feedback workflow table, exhaustively: every action from every status."""

import pytest

from motcua.accounts.models import Role
from motcua.feedback.workflow import (
    RULES,
    Action,
    Status,
    actions_from,
    allowed_from,
    target_of,
)

EXPECTED = {
    Status.RECEIVED: [Action.ASSIGN],
    Status.RECORDED: [],
    Status.ASSIGNED: [Action.TRANSFER, Action.DRAFT],
    Status.DRAFTED: [Action.TRANSFER, Action.DRAFT, Action.RETURN, Action.APPROVE],
    Status.ANSWERED: [Action.PUBLISH],
    Status.PUBLISHED: [],
}


@pytest.mark.parametrize("status", list(Status))
def test_each_status_allows_exactly_the_expected_actions(status: Status) -> None:
    assert actions_from(status) == EXPECTED[status]
    for action in RULES:
        assert allowed_from(action, status) == (action in EXPECTED[status])


def test_an_anonymous_recording_and_a_published_answer_are_final() -> None:
    """Nothing moves a recorded (anonymous) feedback or a published answer."""
    assert actions_from(Status.RECORDED) == actions_from(Status.PUBLISHED) == []


def test_targets() -> None:
    assert target_of(Action.ASSIGN, Status.RECEIVED) == Status.ASSIGNED
    assert target_of(Action.TRANSFER, Status.DRAFTED) == Status.ASSIGNED
    assert target_of(Action.DRAFT, Status.DRAFTED) == Status.DRAFTED
    assert target_of(Action.RETURN, Status.DRAFTED) == Status.ASSIGNED
    assert target_of(Action.APPROVE, Status.DRAFTED) == Status.ANSWERED
    assert target_of(Action.PUBLISH, Status.ANSWERED) == Status.PUBLISHED


def test_only_leaders_approve_and_specialists_do_not() -> None:
    assert Role.SPECIALIST not in RULES[Action.APPROVE].roles
    assert Role.SIGNING_LEADER in RULES[Action.APPROVE].roles
    assert RULES[Action.ASSIGN].roles == {Role.REFORM_OFFICER}
