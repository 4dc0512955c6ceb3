"""To whom a dossier is forwarded and where it is transferred (issue 10 items 6 and 14): only
officers holding the next step's role at that step's agency; only agencies taking part in the
procedure; a consulted agency hands back to the officer who asked. The engine checks it, so
the API cannot bypass the workspace's pickers, and the API lists the candidates."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from motcua.accounts import services as accounts
from motcua.accounts.models import AgencyKind, Role, User
from motcua.catalogue.models import Case
from motcua.dossiers import intake, recipients, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import assign, at, complete_intake, household_business_case
from motcua.testing import Cast, make_agency, make_user


@pytest.fixture
def case(cast: Cast) -> Case:
    case = household_business_case(cast.agency)
    assign(case, cast.other_agency)  # H56.23 coordinates
    return case


@pytest.fixture
def received(cast: Cast, case: Case) -> Dossier:
    return intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )


def _code(refusal: ValidationError, field: str) -> str | None:
    return refusal.error_dict[field][0].code


def test_forward_goes_only_to_an_officer_holding_the_next_steps_role_there(
    cast: Cast, received: Dossier
) -> None:
    """The next step is the specialist's at H56.22: bob and ivan hold it; a citizen, the head,
    a specialist of another agency and an inactive specialist do not."""
    judy = make_user("judy", (Role.SPECIALIST, cast.other_agency))
    gone = make_user("gone", (Role.SPECIALIST, cast.agency), is_active=False)
    assert recipients.forward_recipients(received) == [cast.bob, cast.ivan]
    for wrong in (cast.henry, cast.carol, judy, gone, cast.oscar):
        with pytest.raises(ValidationError) as refused:
            services.forward(received, actor=cast.alice, to=wrong, now=at("2026-03-02T10:00"))
        assert _code(refused.value, "to") == "forward_recipient_not_eligible"
    received.refresh_from_db()
    assert received.current_step is not None and received.current_step.position == 1
    services.forward(received, actor=cast.alice, to=cast.bob, now=at("2026-03-02T10:00"))
    assert received.assignee == cast.bob


def test_transfer_goes_only_to_an_agency_taking_part_in_the_procedure(
    cast: Cast, case: Case, received: Dossier
) -> None:
    services.forward(received, actor=cast.alice, now=at("2026-03-02T10:00"))
    stranger = make_agency("H56.60", "Sở Y tế", AgencyKind.PROVINCIAL_DEPARTMENT)
    closed = make_agency("H56.61", "Sở cũ", AgencyKind.PROVINCIAL_DEPARTMENT)
    assign(case, closed)
    accounts.close_agency(closed, last_day=dt.date(2025, 6, 30), successor=None, actor=None,
                          reason="Sáp nhập")  # fmt: skip
    assert recipients.transfer_agencies(received) == [cast.other_agency]
    with pytest.raises(ValidationError) as refused:
        services.transfer(received, actor=cast.bob, to_agency=stranger, allowance=Decimal(1),
                          reason="Xác minh", now=at("2026-03-02T11:00"))  # fmt: skip
    assert _code(refused.value, "to_agency") == "transfer_agency_not_taking_part"
    services.transfer(
        received, actor=cast.bob, to_agency=cast.other_agency, allowance=Decimal(1),
        reason="Xác minh", now=at("2026-03-02T11:00"),
    )  # fmt: skip
    assert received.current_agency == cast.other_agency


def test_the_consulted_agency_hands_back_to_the_officer_who_asked(
    cast: Cast, received: Dossier
) -> None:
    judy = make_user("judy", (Role.SPECIALIST, cast.other_agency))
    services.forward(received, actor=cast.alice, to=cast.ivan, now=at("2026-03-02T10:00"))
    services.transfer(
        received, actor=cast.ivan, to_agency=cast.other_agency, allowance=Decimal(1),
        reason="Xác minh", now=at("2026-03-02T11:00"),
    )  # fmt: skip
    # ivan asked: he alone is offered, and the head or bob are refused.
    assert recipients.forward_recipients(received) == [cast.ivan]
    for wrong in (cast.bob, cast.carol):
        with pytest.raises(ValidationError) as refused:
            services.forward(received, actor=judy, to=wrong, now=at("2026-03-03T10:00"))
        assert _code(refused.value, "to") == "forward_recipient_not_eligible"
    services.forward(received, actor=judy, now=at("2026-03-03T10:00"))
    step = received.current_step
    assert step is not None and step.role == Role.SPECIALIST and step.agency == cast.agency
    assert received.assignee == step.assignee == cast.ivan
    consulted = received.steps.get(agency=cast.other_agency)
    assert (consulted.assignee, consulted.handed_to) == (judy, cast.ivan)
    # The asker goes on with the rest of the process.
    services.forward(received, actor=cast.ivan, to=cast.carol, now=at("2026-03-03T11:00"))
    assert received.current_step is not None
    assert received.current_step.role == Role.HEAD_OF_DEPARTMENT


def _get(client: Client, user: User, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


def test_the_api_lists_the_candidates_to_whoever_may_take_the_action(
    client: Client, cast: Cast, received: Dossier
) -> None:
    base = f"/api/v1/dossiers/{received.code}/actions"
    body = _get(client, cast.alice, f"{base}/forward/candidates/").json()
    assert body["field"] == "to"
    assert [c["value"] for c in body["choices"]] == ["bob", "ivan"]
    # Only to those who may take the action now; unknown actions and other readers refused.
    refused = _get(client, cast.bob, f"{base}/forward/candidates/")
    assert refused.status_code == 403 and refused.json()["code"] == "action_not_allowed"
    assert _get(client, cast.alice, f"{base}/approve/candidates/").status_code == 404
    assert _get(client, cast.oscar, f"{base}/forward/candidates/").status_code == 404

    services.forward(received, actor=cast.alice, now=at("2026-03-02T10:00"))
    body = _get(client, cast.bob, f"{base}/transfer/candidates/").json()
    assert body == {
        "action": "transfer",
        "field": "to_agency",
        "choices": [{"value": "H56.23", "name": "Sở Tư pháp (H56.23)"}],
    }


def test_the_api_refuses_a_recipient_outside_the_candidates_with_a_code(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.alice)
    url = f"/api/v1/dossiers/{received.code}/actions/forward/"
    response = client.post(url, {"to": "henry"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "forward_recipient_not_eligible"
    assert response.json()["field"] == "to"

    services.forward(received, actor=cast.alice, now=at("2026-03-02T10:00"))
    client.force_login(cast.bob)
    make_agency("H56.60", "Sở Y tế", AgencyKind.PROVINCIAL_DEPARTMENT)
    response = client.post(
        f"/api/v1/dossiers/{received.code}/actions/transfer/",
        {"to_agency": "H56.60", "allowance": "1", "reason": "Xác minh"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "transfer_agency_not_taking_part"
