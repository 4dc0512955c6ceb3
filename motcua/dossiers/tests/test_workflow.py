"""The workflow table, exhaustively: every action × every status × every role × every place
the role may be held, allowed or refused, against a matrix written out here by hand."""

import pytest

from motcua.accounts.models import Role
from motcua.dossiers.workflow import (
    NONE,
    RESTORE,
    RULES,
    Action,
    Scope,
    Status,
    allowed_actions,
    find_rule,
    target_status,
)

DESK = "desk_officer@receiving"
WORKERS_AT_STEP = {
    "specialist@step",
    "head_of_department@step",
    "signing_leader@step",
}
LEADERS_CURRENT = {"head_of_department@current", "signing_leader@current"}
OWNER_OR_DESK = {"citizen@owner", DESK}

# action → status → who may: "<role>@<scope>". Anything not listed is refused.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "submit": {NONE: {"citizen@anyone"}},
    "receive": {NONE: {DESK}, "1": {DESK}},
    "refuse": {NONE: {DESK}, "1": {DESK}},
    "request_supplement": {"1": {DESK}, "4": WORKERS_AT_STEP},
    # A further supplement request: only the head of the agency holding the dossier allows it.
    "allow_further_supplement": {"4": {"signing_leader@current"}},
    "resubmit": {"5": OWNER_OR_DESK},
    "forward": {"2": {DESK}, "4": WORKERS_AT_STEP | {"desk_officer@step"}},
    "send_back": {"4": WORKERS_AT_STEP},
    "transfer": {"4": WORKERS_AT_STEP},
    "request_payment": {"4": WORKERS_AT_STEP},
    "confirm_payment": {
        "6": {DESK, "specialist@current", "head_of_department@current", "signing_leader@current"}
    },
    # Fees of the procedure, at the receiving desk from the submission to the return.
    "collect_fee": {status: {DESK} for status in ("1", "2", "4", "5", "9")},
    "extend": {
        "2": LEADERS_CURRENT,
        "4": LEADERS_CURRENT,
        "9": {"head_of_department@receiving", "signing_leader@receiving"},
    },
    # Which step is the last processing one is the engine's question (test_approval.py).
    "approve": {"4": WORKERS_AT_STEP},
    "return_result": {"9": {DESK}},
    "hand_to_post": {"9": {DESK}},
    "withdraw": {
        "1": {"citizen@owner"},
        "2": OWNER_OR_DESK,
        "4": OWNER_OR_DESK,
        "5": OWNER_OR_DESK,
        "6": OWNER_OR_DESK,
    },
    "stop": {
        "2": LEADERS_CURRENT,
        "4": LEADERS_CURRENT,
        "5": LEADERS_CURRENT,
        "6": LEADERS_CURRENT,
    },
    "attach": {
        "1": {DESK, "citizen@owner"},
        "2": {DESK},
        "4": WORKERS_AT_STEP,
        "5": {DESK, "citizen@owner"},
    },
    # The receiving desk signs the electronic copies of Form 01 and the scans while it is open.
    "sign": {status: {DESK} for status in ("2", "4", "5", "6")},
    # Recorded by the system only.
    "imported": {},
    "deadline_moved": {},
    "reminded": {},
    "refund": {},  # recorded by payments.refunds through dossiers.refunds, not the table
}

STATUSES = [NONE, *Status.values]


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", STATUSES)
def test_each_role_in_each_place_is_allowed_exactly_as_the_matrix_says(
    action: Action, status: str
) -> None:
    expected = EXPECTED[action.value].get(status, set())
    for role in Role.values:
        for scope in Scope:
            allowed = find_rule(action, status, {(role, scope)}) is not None
            assert allowed == (f"{role}@{scope}" in expected), (action, status, role, scope)


def test_the_matrix_covers_every_action() -> None:
    assert set(EXPECTED) == set(Action.values)


def test_every_rule_is_reachable_and_unique() -> None:
    keys = [(r.action, r.source, r.scope, frozenset(r.roles)) for r in RULES]
    assert len(keys) == len(set(keys))
    for rule in RULES:
        for role in rule.roles:
            assert find_rule(rule.action, rule.source, {(role, rule.scope)}) is not None


def test_pauses_restore_the_status_they_interrupted() -> None:
    resume = find_rule(Action.RESUBMIT, Status.SUPPLEMENT_REQUESTED, {(Role.CITIZEN, Scope.OWNER)})
    assert resume is not None and resume.target == RESTORE
    assert target_status(resume, Status.PROCESSING) == Status.PROCESSING
    assert target_status(resume, Status.NEW) == Status.NEW


def test_finished_dossiers_allow_nothing() -> None:
    everyone = {(role, scope) for role in Role.values for scope in Scope}
    for status in [Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED]:
        assert allowed_actions(status, everyone) == []


def test_the_desk_sees_forward_and_withdraw_on_a_received_dossier() -> None:
    grants = {(Role.DESK_OFFICER.value, Scope.RECEIVING), (Role.DESK_OFFICER.value, Scope.CURRENT)}
    assert allowed_actions(Status.RECEIVED, grants) == [
        Action.FORWARD,
        Action.COLLECT_FEE,
        Action.WITHDRAW,
        Action.ATTACH,
        Action.SIGN,
    ]
