"""``POST /api/v1/dossiers/bulk/<action>/``: the list page's bulk actions through the API, with
the engine's ``actions.take_many``: one outcome per dossier, each in its own transaction with
its own revision check; and who may (the dossier's officer, another agency's, a citizen,
anonymous)."""

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Case
from motcua.dossiers import actions, intake, services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.dossiers.workflow import Status
from motcua.testing import Cast, field_problems, make_user


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


def _receive(cast: Cast, case: Case) -> Dossier:
    return intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)


def _item(d: Dossier) -> dict[str, Any]:
    return {"code": d.code, "revision": d.revision}


def _bulk(client: Client, user: User | None, name: str, body: dict[str, Any]) -> Any:
    if user is not None:
        client.force_login(user)
    return client.post(f"/api/v1/dossiers/bulk/{name}/", body, content_type="application/json")


def _forwards(d: Dossier) -> int:
    return DossierEvent.objects.filter(dossier=d, action="forward").count()


def test_the_desk_forwards_several_and_a_changed_one_is_a_conflict(
    client: Client, cast: Cast, case: Case
) -> None:
    first, second, third = (_receive(cast, case) for _ in range(3))
    sent = [_item(first), _item(second), _item(third)]
    services.forward(third, actor=cast.alice, note="someone else was quicker")

    response = _bulk(client, cast.alice, "forward", {"dossiers": sent, "note": "Đủ hồ sơ"})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["action"] == "forward"
    assert [(o["code"], o["result"], o["refusal"]) for o in body["outcomes"]] == [
        (first.code, "done", ""),
        (second.code, "done", ""),
        (third.code, "conflict", "dossier_changed"),
    ]
    for d in (first, second):
        d.refresh_from_db()
        assert d.status == Status.PROCESSING
        event = DossierEvent.objects.get(dossier=d, action="forward")
        assert (event.actor, event.reason) == (cast.alice, "Đủ hồ sơ")
    assert _forwards(third) == 1  # the direct call's, not a second


def test_send_back_returns_several_with_one_reason(client: Client, cast: Cast, case: Case) -> None:
    dossiers = [_receive(cast, case) for _ in range(2)]
    for d in dossiers:
        services.forward(d, actor=cast.alice)
        services.forward(d, actor=cast.bob)
        d.refresh_from_db()
    sent = [_item(d) for d in dossiers]

    response = _bulk(client, cast.carol, "send_back", {"dossiers": sent, "reason": "Sai mẫu"})

    assert [o["result"] for o in response.json()["outcomes"]] == ["done", "done"]
    for d in dossiers:
        assert DossierEvent.objects.get(dossier=d, action="send_back").reason == "Sai mẫu"


def test_another_agency_s_officer_gets_refused_as_missing_and_touches_nothing(
    client: Client, cast: Cast, case: Case
) -> None:
    d = _receive(cast, case)
    olga = make_user("olga", (Role.DESK_OFFICER, cast.other_agency))

    response = _bulk(client, olga, "forward", {"dossiers": [_item(d)]})

    assert response.status_code == 200
    [outcome] = response.json()["outcomes"]
    assert (outcome["code"], outcome["result"], outcome["refusal"]) == (
        d.code,
        "refused",
        "dossier_not_found",
    )
    assert _forwards(d) == 0


def test_an_officer_the_workflow_does_not_let_act_is_refused(
    client: Client, cast: Cast, case: Case
) -> None:
    d = _receive(cast, case)  # at the desk's step: bob (specialist) may not forward it

    outcome = _bulk(client, cast.bob, "forward", {"dossiers": [_item(d)]}).json()["outcomes"][0]

    assert (outcome["result"], outcome["refusal"]) == ("refused", "action_not_allowed")
    assert outcome["reason"]
    assert _forwards(d) == 0


def test_a_citizen_forwards_nothing_even_of_their_own(
    client: Client, cast: Cast, case: Case
) -> None:
    mine = intake.submit_online(
        complete_intake(case, "online"), agency=cast.agency, actor=cast.henry
    )
    other = _receive(cast, case)

    response = _bulk(client, cast.henry, "forward", {"dossiers": [_item(mine), _item(other)]})

    outcomes = response.json()["outcomes"]
    assert [(o["result"], o["refusal"]) for o in outcomes] == [
        ("refused", "action_not_allowed"),
        ("refused", "dossier_not_found"),
    ]
    assert _forwards(mine) == _forwards(other) == 0


def test_anonymous_is_refused(client: Client, cast: Cast, case: Case) -> None:
    d = _receive(cast, case)
    assert _bulk(client, None, "forward", {"dossiers": [_item(d)]}).status_code in {401, 403}
    assert _forwards(d) == 0


def test_only_the_bulk_actions_exist(client: Client, cast: Cast, case: Case) -> None:
    d = _receive(cast, case)
    for name in ("approve", "withdraw", "nothing"):
        assert _bulk(client, cast.alice, name, {"dossiers": [_item(d)]}).status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"dossiers": []}, "dossiers", "empty"),
        ({"dossiers": "A-1"}, "dossiers", "not_a_list"),
        ({"dossiers": [{"code": "X"}]}, "dossiers.0.revision", "required"),
        ({"dossiers": [{"code": "X", "revision": 1}] * 2}, "dossiers", "bulk_duplicate"),
        ({"dossiers": [{"code": f"X{n}", "revision": 1} for n in range(actions.MAX_MANY + 1)]},
         "dossiers", "max_length"),
    ],
)  # fmt: skip
def test_a_bad_selection_is_a_400_before_anything_is_done(
    client: Client, cast: Cast, body: dict[str, Any], field: str, code: str
) -> None:
    response = _bulk(client, cast.alice, "forward", body)
    assert response.status_code == 400
    assert field_problems(response) == {field: [code]}


def test_the_shared_input_is_checked_before_anything_is_done(
    client: Client, cast: Cast, case: Case
) -> None:
    d = _receive(cast, case)
    response = _bulk(client, cast.carol, "send_back", {"dossiers": [_item(d)]})
    assert response.status_code == 400
    assert field_problems(response) == {"reason": ["required"]}
    assert not DossierEvent.objects.filter(dossier=d, action="send_back").exists()


def test_an_unknown_next_holder_refuses_each_dossier(
    client: Client, cast: Cast, case: Case
) -> None:
    d = _receive(cast, case)
    outcome = _bulk(client, cast.alice, "forward", {"dossiers": [_item(d)], "to": "nobody"})
    [refused] = outcome.json()["outcomes"]
    assert (refused["result"], refused["refusal"]) == ("refused", "no_such_user")
    assert refused["reason"]
    assert _forwards(d) == 0


def test_a_service_s_refusal_gives_the_outcome_its_code(
    client: Client, cast: Cast, case: Case
) -> None:
    """The service's own code: carol (head of department) holds no specialist's role, so
    forwarding to her from the desk is refused by ``services.forward``, not by the table."""
    d = _receive(cast, case)
    response = _bulk(client, cast.alice, "forward", {"dossiers": [_item(d)], "to": "carol"})
    [refused] = response.json()["outcomes"]
    assert (refused["result"], refused["refusal"]) == ("refused", "forward_recipient_not_eligible")
    assert _forwards(d) == 0
