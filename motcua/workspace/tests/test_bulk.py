"""Bulk actions from the list: several dossiers forwarded or returned at once, each through the
single action's service in its own transaction with its own revision check; the outcome per
dossier on a result page whose number of queries does not grow with the selection."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Agency, Role
from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier, DossierEvent, StepStatus
from motcua.dossiers.tests.factories import birth_registration_case, complete_intake
from motcua.dossiers.workflow import Status
from motcua.testing import Cast
from motcua.workspace import bulk


def other_procedure(agency: Agency) -> Case:
    """A procedure of another field, assigned to ``agency`` only."""
    return birth_registration_case(agency)


def _receive(cast: Cast, case: Case) -> Dossier:
    return intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)


def _box(d: Dossier) -> str:
    return f"{d.code}:{d.revision}"


def _events(d: Dossier, action: str) -> int:
    return DossierEvent.objects.filter(dossier=d, action=action).count()


def _post(client: Client, action: str, boxes: list[str], **fields: str) -> Any:
    return client.post(
        "/workspace/bulk/", {"action": action, "dossier": boxes, "confirm": "1", **fields}
    )


def test_the_selection_is_read_from_code_and_revision() -> None:
    assert bulk.parse_selection(["A-1:3", "B:0", "A-1:4", "bad", "C:x", ":2"]) == [
        ("A-1", 3),
        ("B", 0),
    ]


def test_three_forwarded_one_changed_meanwhile_gives_two_done_and_one_conflict(
    client: Client, cast: Cast, case: Case
) -> None:
    first, second, third = (_receive(cast, case) for _ in range(3))
    boxes = [_box(first), _box(second), _box(third)]  # what the list showed
    services.forward(third, actor=cast.alice, note="someone else was quicker")
    client.force_login(cast.alice)

    response = _post(client, "forward", boxes, note="Đủ hồ sơ")

    assert response.status_code == 302
    assert response["Location"] == "/workspace/bulk/result/"
    page = client.get("/workspace/bulk/result/")
    results = {o.code: o.result for o, _d in page.context["outcomes"]}
    assert results == {first.code: "done", second.code: "done", third.code: "conflict"}
    assert page.context["counts"] == {"done": 2, "refused": 0, "conflict": 1}
    for d in (first, second):
        d.refresh_from_db()
        assert d.status == Status.PROCESSING
        assert d.current_step is not None and d.current_step.position == 2
        event = DossierEvent.objects.filter(dossier=d, action="forward").get()
        assert event.actor == cast.alice
    # The conflicting one was forwarded once (by the direct call), not twice.
    assert _events(third, "forward") == 1
    third.refresh_from_db()
    assert third.current_step is not None and third.current_step.position == 2
    body = page.content.decode()
    assert first.code in body and third.code in body


def test_a_dossier_the_user_may_not_act_on_is_refused_and_left_untouched(
    client: Client, cast: Cast, case: Case
) -> None:
    at_the_desk = _receive(cast, case)  # the desk's step: bob (specialist) may not forward it
    with_bob = _receive(cast, case)
    services.forward(with_bob, actor=cast.alice)
    with_bob.refresh_from_db()
    revision = at_the_desk.revision
    client.force_login(cast.bob)

    _post(client, "forward", [_box(at_the_desk), _box(with_bob)])

    outcomes = {o["code"]: o for o in client.session[bulk.RESULT_SESSION_KEY]["outcomes"]}
    assert outcomes[at_the_desk.code]["result"] == "refused"
    assert outcomes[at_the_desk.code]["reason"]
    assert outcomes[with_bob.code]["result"] == "done"
    at_the_desk.refresh_from_db()
    assert at_the_desk.revision == revision
    assert _events(at_the_desk, "forward") == 0
    with_bob.refresh_from_db()
    assert with_bob.current_step is not None and with_bob.current_step.position == 3


def test_another_agencys_dossier_is_refused_as_missing(
    client: Client, cast: Cast, case: Case
) -> None:
    elsewhere = other_procedure(cast.other_agency)
    theirs = intake.receive_new_dossier(
        complete_intake(elsewhere), agency=cast.other_agency, actor=cast.ivan
    )
    mine = _receive(cast, case)
    client.force_login(cast.alice)

    _post(client, "forward", [_box(theirs), _box(mine)])

    page = client.get("/workspace/bulk/result/")
    results = {o.code: (o.result, d) for o, d in page.context["outcomes"]}
    assert results[theirs.code] == ("refused", None)
    assert results[mine.code][0] == "done"
    assert _events(theirs, "forward") == 0


def test_returning_needs_a_reason_in_the_shared_form_before_anything_is_done(
    client: Client, cast: Cast, case: Case
) -> None:
    dossiers = [_receive(cast, case) for _ in range(2)]
    for d in dossiers:
        services.forward(d, actor=cast.alice)
        services.forward(d, actor=cast.bob)
        d.refresh_from_db()
    boxes = [_box(d) for d in dossiers]
    client.force_login(cast.carol)

    ask = client.post("/workspace/bulk/", {"action": "send_back", "dossier": boxes})
    assert ask.status_code == 200
    assert 'name="reason"' in ask.content.decode()

    missing = _post(client, "send_back", boxes, reason="  ")
    assert missing.status_code == 400
    assert missing.context["form"].errors["reason"]
    assert missing.content.decode().count('name="dossier"') == 2  # the selection is kept
    assert all(_events(d, "send_back") == 0 for d in dossiers)

    done = _post(client, "send_back", boxes, reason="Dự thảo chưa đúng mẫu")
    assert done.status_code == 302
    for d in dossiers:
        d.refresh_from_db()
        # The specialist's step runs again (a fresh step with a fresh allowance).
        assert d.current_step is not None and d.current_step.role == Role.SPECIALIST
        assert d.current_step.status == StepStatus.ACTIVE
        event = DossierEvent.objects.get(dossier=d, action="send_back")
        assert event.reason == "Dự thảo chưa đúng mẫu"


def test_a_next_holder_outside_the_picker_is_an_error_next_to_the_field_and_keeps_the_input(
    client: Client, cast: Cast, case: Case
) -> None:
    """Issue 10 item 14: forward picks the next holder; a username posted from outside the
    picker (a citizen, an outsider, nobody) is refused and nothing is forwarded."""
    d = _receive(cast, case)
    client.force_login(cast.alice)
    for name in ("nobody", "henry", "oscar", "carol"):
        response = _post(client, "forward", [_box(d)], to=name, note="Chuyển gấp")
        assert response.status_code == 400
        assert response.context["form"].errors["to"]
        assert 'value="Chuyển gấp"' in response.content.decode()
    assert _events(d, "forward") == 0


def test_bulk_forward_offers_only_the_officers_every_selected_dossier_may_go_to(
    client: Client, cast: Cast, case: Case
) -> None:
    """The next step of a received dossier is the specialist's: bob and ivan hold it at the
    agency; no desk officer, head, leader, citizen or outsider is offered, nothing is typed."""
    first, second = _receive(cast, case), _receive(cast, case)
    client.force_login(cast.alice)
    response = client.post(
        "/workspace/bulk/", {"action": "forward", "dossier": [_box(first), _box(second)]}
    )
    assert response.status_code == 200
    field = response.context["form"].fields["to"]
    offered = {value for value, _label in field.choices if value}
    assert offered == {"bob", "ivan"}
    assert '<select name="to"' in response.content.decode()

    done = _post(client, "forward", [_box(first), _box(second)], to="ivan", note="Đủ")
    assert done.status_code == 302
    for d in (first, second):
        d.refresh_from_db()
        assert d.current_step is not None and d.current_step.assignee_id == cast.ivan.pk


def test_nothing_selected_goes_back_to_the_list(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    response = client.post(
        "/workspace/bulk/", {"action": "forward", "next": "/workspace/?status=2"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/workspace/?status=2"
    outside = client.post(
        "/workspace/bulk/", {"action": "forward", "next": "https://evil.example/"}
    )
    assert outside["Location"] == "/workspace/"


def test_only_forward_and_return_are_offered_and_only_to_officers(
    client: Client, cast: Cast, case: Case
) -> None:
    d = _receive(cast, case)
    client.force_login(cast.alice)
    assert _post(client, "approve", [_box(d)]).status_code == 404
    for user in (cast.henry, cast.oscar):
        client.force_login(user)
        assert _post(client, "forward", [_box(d)]).status_code == 404
    assert _events(d, "forward") == 0


def test_the_result_page_makes_as_many_queries_for_five_dossiers_as_for_two(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)

    def measure(n: int) -> int:
        boxes = [_box(_receive(cast, case)) for _ in range(n)]
        _post(client, "forward", boxes)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/workspace/bulk/result/")
        assert response.status_code == 200
        assert response.context["counts"]["done"] == n
        return len(captured)

    assert measure(5) == measure(2)
