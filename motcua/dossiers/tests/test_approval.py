"""Approving the result (issue 10 item 1): only the holder of the last processing step of the
internal process approves, once every earlier step is done; the workspace and the API offer
it nowhere else; a correct run prints every step on the control sheet (Form 06) with the one
who took it.

The process (``factories.STEPS``) is that of the driving-licence exchange: desk → specialist
(bob) → head "Xem xét, trình ký" (carol) → signing leader "Ký duyệt" (dave) → desk."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Case
from motcua.catalogue.specs import DocumentSpec, StepSpec
from motcua.dossiers import intake, printing, services
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.permissions import actions_for
from motcua.dossiers.tests.factories import (
    at,
    complete_intake,
    household_business_case,
    publish_case,
)
from motcua.dossiers.workflow import Action, Status
from motcua.testing import Cast, make_user


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


def _at_step(cast: Cast, case: Case, position: int) -> Dossier:
    """A dossier received Monday 2 March 2026 and forwarded up to step ``position``."""
    d = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    holders = {1: cast.alice, 2: cast.bob, 3: cast.carol}
    for step in range(1, position):
        services.forward(d, actor=holders[step], now=at(f"2026-03-0{step + 2}T09:00"))
    assert d.current_step is not None and d.current_step.position == position
    return d


def _code(refusal: ValidationError) -> str | None:
    return refusal.error_list[0].code


def test_the_head_at_step_3_may_not_approve_and_the_signing_step_stays_to_be_taken(
    cast: Cast, case: Case
) -> None:
    d = _at_step(cast, case, 3)
    with pytest.raises(ValidationError) as refused:
        services.approve(d, actor=cast.carol, result="GPLX số 1", now=at("2026-03-05T09:00"))
    assert _code(refused.value) == "approve_not_last_step"
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.finished_at is None and d.result == ""
    assert d.current_step is not None and d.current_step.name == "Xem xét, trình ký"
    assert not d.events.filter(action=Action.APPROVE).exists()
    # The page and the API offer the head the forward, not the approval.
    allowed = actions_for(cast.carol, d)
    assert Action.FORWARD in allowed and Action.APPROVE not in allowed


def test_the_specialist_at_step_2_may_not_approve(cast: Cast, case: Case) -> None:
    d = _at_step(cast, case, 2)
    with pytest.raises(ValidationError) as refused:
        services.approve(d, actor=cast.bob, result="x", now=at("2026-03-04T09:00"))
    assert _code(refused.value) == "approve_not_last_step"
    assert Action.APPROVE not in actions_for(cast.bob, d)


def test_only_the_signing_leader_at_the_last_step_approves(cast: Cast, case: Case) -> None:
    d = _at_step(cast, case, 4)
    leader_elsewhere = make_user("lena", (Role.SIGNING_LEADER, cast.other_agency))
    for user in (cast.alice, cast.bob, cast.carol, cast.henry, cast.oscar, leader_elsewhere):
        assert Action.APPROVE not in actions_for(user, d), user
        with pytest.raises(ActionRefused):
            services.approve(d, actor=user, result="x", now=at("2026-03-06T09:00"))
    assert actions_for(cast.dave, d).count(Action.APPROVE) == 1
    assert Action.FORWARD not in actions_for(cast.dave, d)  # nothing left to forward to

    services.approve(d, actor=cast.dave, result="GPLX số 1", now=at("2026-03-06T09:00"))
    assert d.status == Status.PROCESSED
    assert d.current_step is not None and d.current_step.role == Role.DESK_OFFICER
    # Once: a second approval is refused.
    with pytest.raises(ActionRefused):
        services.approve(d, actor=cast.dave, result="GPLX số 2", now=at("2026-03-06T10:00"))
    assert d.events.filter(action=Action.APPROVE).count() == 1


def test_the_leader_may_not_approve_while_an_earlier_step_is_not_done(
    cast: Cast, case: Case
) -> None:
    """Order: with an earlier step still open (e.g. a row imported half-done), no approval."""
    d = _at_step(cast, case, 4)
    d.steps.filter(position=3).update(status=StepStatus.WAITING)
    with pytest.raises(ValidationError) as refused:
        services.approve(d, actor=cast.dave, result="x", now=at("2026-03-06T09:00"))
    assert _code(refused.value) == "approve_earlier_steps_open"
    assert Action.APPROVE not in actions_for(cast.dave, d)


def test_in_an_inter_agency_process_the_holder_of_the_last_step_approves_after_the_signature(
    cast: Cast,
) -> None:
    """Birth registration + residence (liên thông): the leader signs at step 3 and forwards;
    the specialist who registers the residence holds the last step and finishes processing."""
    case = publish_case(
        cast.agency,
        code="1.013046",
        name="Liên thông đăng ký khai sinh, đăng ký thường trú",
        field=("HT", "Hộ tịch"),
        documents=(DocumentSpec("Tờ khai", "original"),),
        process=(
            StepSpec("Tiếp nhận", Role.DESK_OFFICER, "", Decimal("0.5")),
            StepSpec("Đăng ký khai sinh", Role.SPECIALIST, "", Decimal("1")),
            StepSpec("Ký giấy khai sinh", Role.SIGNING_LEADER, "", Decimal("1")),
            StepSpec("Đăng ký thường trú", Role.SPECIALIST, "", Decimal("2")),
            StepSpec("Trả kết quả", Role.DESK_OFFICER, "", Decimal("0.5")),
        ),
    )
    d = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    services.forward(d, actor=cast.alice, now=at("2026-03-02T10:00"))
    services.forward(d, actor=cast.bob, now=at("2026-03-03T10:00"))
    with pytest.raises(ValidationError) as refused:
        services.approve(d, actor=cast.dave, result="x", now=at("2026-03-04T09:00"))
    assert _code(refused.value) == "approve_not_last_step"
    services.forward(d, actor=cast.dave, now=at("2026-03-04T09:00"))
    assert Action.APPROVE in actions_for(cast.bob, d)
    services.approve(d, actor=cast.bob, result="Giấy khai sinh số 1", now=at("2026-03-05T09:00"))
    assert d.status == Status.PROCESSED


def test_form_05_shows_each_step_taken_by_its_holder_after_a_correct_run(
    cast: Cast, case: Case
) -> None:
    d = _at_step(cast, case, 4)
    services.approve(d, actor=cast.dave, result="GPLX số 1", now=at("2026-03-06T09:00"))
    # The fee is collected before the result is returned (issue 10 item 13).
    services.collect_fee(
        d,
        actor=cast.alice,
        amount=services.fees_owed(d),
        receipt="BL-0001",
        method="cash",
        now=at("2026-03-06T13:00"),
    )
    services.return_result(d, actor=cast.alice, method="in_person", now=at("2026-03-06T14:00"))
    sheet = printing.control_sheet_for(d)
    rows = [(r.step, r.giver, r.handed_at is not None) for r in sheet.rows]
    assert rows == [
        ("Tiếp nhận hồ sơ", "Alice", True),
        ("Thẩm định hồ sơ", "Bob", True),
        ("Xem xét, trình ký", "Carol", True),
        ("Ký duyệt", "Dave", True),
        ("Trả kết quả", "Alice", True),
    ]
    assert set(d.steps.values_list("status", flat=True)) == {StepStatus.DONE}


def _post(client: Client, user: User, url: str, data: dict[str, Any]) -> Any:
    client.force_login(user)
    return client.post(url, data, content_type="application/json")


def test_the_api_refuses_the_heads_approval_with_a_code(
    client: Client, cast: Cast, case: Case
) -> None:
    d = _at_step(cast, case, 3)
    url = f"/api/v1/dossiers/{d.code}/actions/approve/"
    response = _post(client, cast.carol, url, {"result": "GPLX số 1"})
    assert response.status_code == 400
    assert response.json()["code"] == "approve_not_last_step"
    detail = client.get(f"/api/v1/dossiers/{d.code}/").json()
    assert "approve" not in detail["allowed_actions"]
    assert "forward" in detail["allowed_actions"]


def test_the_workspace_offers_approve_only_at_the_last_step(
    client: Client, cast: Cast, case: Case
) -> None:
    d = _at_step(cast, case, 3)
    client.force_login(cast.carol)
    page = client.get(f"/workspace/dossiers/{d.code}/")
    assert "approve" not in [name for name, _, _ in page.context["action_forms"]]
    posted = client.post(
        f"/workspace/dossiers/{d.code}/act/approve/", {"revision": d.revision, "result": "x"}
    )
    assert posted.status_code == 400
    d.refresh_from_db()
    assert d.status == Status.PROCESSING
    services.forward(d, actor=cast.carol, now=at("2026-03-05T09:00"))
    client.force_login(cast.dave)
    page = client.get(f"/workspace/dossiers/{d.code}/")
    assert [n for n, _, _ in page.context["action_forms"] if n in ("approve", "forward")] == [
        "approve"
    ]
