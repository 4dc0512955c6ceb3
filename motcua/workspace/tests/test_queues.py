"""The work queues: what each officer sees at their agency, counts, order, and a bounded
number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Agency, Role, User
from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, complete_intake
from motcua.testing import Cast, make_user
from motcua.workdays.calendars import spec_for
from motcua.workspace import queues


def _receive(cast: Cast, case: Case, now: dt.datetime | None = None) -> Dossier:
    return intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=now
    )


def _codes(user: User, cast: Cast, key: str, agency: Agency | None = None) -> list[str]:
    return [d.code for d in queues.queue(user, agency or cast.agency, key)]


@pytest.fixture
def board(cast: Cast, case: Case) -> dict[str, Dossier]:
    """One dossier in each situation."""
    online = intake.submit_online(complete_intake(case), agency=cast.agency, actor=cast.henry)
    fresh = _receive(cast, case)
    late = _receive(cast, case, now=at("2026-01-05T09:00"))
    with_bob = _receive(cast, case)
    services.forward(with_bob, actor=cast.alice)
    paused = _receive(cast, case)
    services.forward(paused, actor=cast.alice)
    services.request_supplement(paused, actor=cast.bob, items=["Bản sao CCCD"])
    moved = _receive(cast, case)
    services.forward(moved, actor=cast.alice)
    services.transfer(
        moved, actor=cast.bob, to_agency=cast.other_agency, allowance=Decimal(1), reason="Xác minh"
    )
    done = _receive(cast, case)
    services.forward(done, actor=cast.alice)
    services.forward(done, actor=cast.bob)
    services.forward(done, actor=cast.carol)
    services.approve(done, actor=cast.dave, result="Giấy chứng nhận số 1")
    return {
        "online": online,
        "fresh": fresh,
        "late": late,
        "with_bob": with_bob,
        "paused": paused,
        "moved": moved,
        "done": done,
    }


def test_the_desk_officer_sees_what_to_receive_and_to_return(
    cast: Cast, board: dict[str, Dossier]
) -> None:
    assert _codes(cast.alice, cast, "to_receive") == [board["online"].code]
    assert _codes(cast.alice, cast, "ready_to_return") == [board["done"].code]
    # Received at the desk: the first step is the desk's own, still active.
    assert set(_codes(cast.alice, cast, "my_steps")) == {board["fresh"].code, board["late"].code}


def test_the_specialist_sees_their_steps_and_not_the_desk_queues(
    cast: Cast, board: dict[str, Dossier]
) -> None:
    assert _codes(cast.bob, cast, "my_steps") == [board["with_bob"].code]
    assert _codes(cast.bob, cast, "to_receive") == []
    assert _codes(cast.bob, cast, "ready_to_return") == []


def test_overdue_paused_and_due_soon(cast: Cast, board: dict[str, Dossier]) -> None:
    assert _codes(cast.alice, cast, "overdue") == [board["late"].code]
    assert _codes(cast.alice, cast, "paused") == [board["paused"].code]
    assert board["late"].code not in _codes(cast.alice, cast, "due_soon")


def test_the_other_agency_sees_the_transferred_dossier(
    cast: Cast, board: dict[str, Dossier]
) -> None:
    assert _codes(cast.ivan, cast, "transferred", cast.other_agency) == [board["moved"].code]
    assert _codes(cast.alice, cast, "transferred") == []


def test_queues_are_sorted_by_due_instant(cast: Cast, case: Case) -> None:
    later = _receive(cast, case, now=at("2026-03-02T09:00"))
    sooner = _receive(cast, case, now=at("2026-02-02T09:00"))
    assert _codes(cast.alice, cast, "overdue") == [sooner.code, later.code]


def test_overdue_is_told_in_working_days(cast: Cast) -> None:
    spec = spec_for(cast.agency.calendar)
    due = at("2026-11-16T17:00")  # a Monday, end of the day
    assert queues.overdue_working_days(due, at("2026-11-17T10:00"), spec) == 1
    assert queues.overdue_working_days(due, at("2026-11-19T17:00"), spec) == 3
    assert queues.overdue_working_days(due, at("2026-11-16T10:00"), spec) == 0
    assert queues.overdue_working_days(None, at("2026-11-16T10:00"), spec) == 0


def test_the_page_shows_counts_and_the_overdue_in_red(
    client: Client, cast: Cast, board: dict[str, Dossier]
) -> None:
    client.force_login(cast.alice)
    response = client.get("/workspace/", {"queue": "overdue"})
    page = response.content.decode()
    assert response.status_code == 200
    assert board["late"].code in page
    assert 'class="overdue"' in page
    assert "quá hạn" in page and "ngày làm việc" in page
    counts = dict((key, n) for key, _, n in response.context["tabs"])
    assert counts == {
        "to_receive": 1,
        "my_steps": 2,
        "due_soon": 0,
        "overdue": 1,
        "paused": 1,
        "transferred": 0,
        "ready_to_return": 1,
    }


def test_the_search_uses_the_shared_filter(
    client: Client, cast: Cast, board: dict[str, Dossier]
) -> None:
    client.force_login(cast.alice)
    response = client.get("/workspace/", {"q": board["done"].code})
    assert [r.dossier.code for r in response.context["rows"]] == [board["done"].code]


def test_an_officer_of_two_agencies_chooses_which_one(
    client: Client, cast: Cast, board: dict[str, Dossier]
) -> None:
    client.force_login(cast.ivan)
    assert client.get("/workspace/").context["agency"] == cast.agency
    client.post("/workspace/agency/", {"agency": cast.other_agency.pk})
    response = client.get("/workspace/", {"queue": "transferred"})
    assert response.context["agency"] == cast.other_agency
    assert [r.dossier.code for r in response.context["rows"]] == [board["moved"].code]


def test_an_agency_the_user_does_not_work_in_cannot_be_chosen(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    client.post("/workspace/agency/", {"agency": cast.other_agency.pk})
    assert client.get("/workspace/").context["agency"] == cast.agency


def test_citizens_and_outsiders_have_no_queues(client: Client, cast: Cast) -> None:
    """They are told so after signing in (403 with an explanation), and see no dossier."""
    client.cookies["django_language"] = "en"
    for user in (cast.henry, cast.oscar):
        client.force_login(user)
        response = client.get("/workspace/")
        assert response.status_code == 403
        assert "for officers" in response.content.decode()
        assert "rows" not in response.context


@pytest.mark.parametrize("queue", ["my_steps", "overdue", "to_receive"])
def test_the_queue_page_makes_as_many_queries_for_ten_dossiers_as_for_two(
    client: Client, cast: Cast, case: Case, queue: str
) -> None:
    client.force_login(cast.alice)

    def measure() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/workspace/", {"queue": queue}).status_code == 200
        return len(captured)

    for _ in range(2):
        _receive(cast, case, now=at("2026-01-05T09:00"))
        intake.submit_online(complete_intake(case), agency=cast.agency, actor=cast.henry)
    two = measure()
    for _ in range(8):
        _receive(cast, case, now=at("2026-01-05T09:00"))
        intake.submit_online(complete_intake(case), agency=cast.agency, actor=cast.henry)
    assert measure() == two


def test_a_specialist_of_another_agency_sees_only_what_was_transferred_to_them(
    cast: Cast, board: dict[str, Dossier]
) -> None:
    judy = make_user("judy", (Role.SPECIALIST, cast.other_agency))
    for key in queues.QUEUE_KEYS:
        expected = [board["moved"].code] if key in {"transferred", "my_steps"} else []
        assert _codes(judy, cast, key, cast.other_agency) == expected, key


def test_report_readers_and_agency_admins_land_on_their_pages(client: Client, cast: Cast) -> None:
    """Signing in leads to /workspace/: a reform officer with no officer role is sent to the
    reports dashboard, an agency administrator to the agency screens, a citizen gets a 404."""
    client.force_login(cast.frank)
    assert client.get("/workspace/").url == "/workspace/reports/"  # type: ignore[attr-defined]
    client.force_login(cast.erin)
    assert client.get("/workspace/").url == "/workspace/admin/"  # type: ignore[attr-defined]
    client.force_login(cast.henry)
    assert client.get("/workspace/").status_code == 403
