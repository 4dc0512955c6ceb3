"""The national catalogue's changes in the workspace: the catalogue officer pulls (over HTTP
from the simulator), reads a change field by field, accepts it into a new version or rejects
it with a reason; no one else sees or does any of it."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers.tests.factories import birth_registration_case
from motcua.integration.models import CatalogueChange, CatalogueSyncEvent, ChangeState
from motcua.integration.simulator import NationalSimulator
from motcua.integration.tests.test_catalogue_sync import changed_catalogue
from motcua.testing import Cast

PAGE = "/workspace/national/catalogue/"


@pytest.fixture
def national(cast: Cast, settings: Any) -> Iterator[NationalSimulator]:
    """The simulator serving a catalogue that amends, adds and abolishes, configured."""
    from motcua.dossiers.tests.factories import household_business_case

    household_business_case(cast.agency)
    birth_registration_case(cast.agency)
    simulator = NationalSimulator(catalogue=changed_catalogue())
    with simulator.running() as url:
        settings.MOTCUA_NATIONAL_URL = url
        yield simulator


@pytest.fixture
def officer(client: Client, cast: Cast) -> Client:
    client.force_login(cast.grace)
    return client


def _pulled(officer: Client) -> dict[str, CatalogueChange]:
    assert officer.post(f"{PAGE}pull/").status_code == 302
    return {c.procedure_code: c for c in CatalogueChange.objects.filter(state="pending")}


def test_the_officer_pulls_and_sees_the_pending_changes(
    officer: Client, national: NationalSimulator, cast: Cast
) -> None:
    changes = _pulled(officer)
    assert set(changes) == {"2.000720", "2.001001", "1.001193"}
    html = officer.get(PAGE).content.decode()
    for change in changes.values():
        assert f'href="{PAGE}{change.pk}/"' in html
    assert CatalogueSyncEvent.objects.get(kind="pulled").actor == cast.grace


def test_the_change_page_shows_the_diff_with_changed_fields_marked(
    officer: Client, national: NationalSimulator
) -> None:
    change = _pulled(officer)["2.000720"]
    response = officer.get(f"{PAGE}{change.pk}/")
    assert response.status_code == 200
    rows = [row for row in response.context["rows"] if row.changed]
    assert len(rows) == 3 and response.context["changed"] == 3
    html = response.content.decode()
    assert html.count('<tr class="changed">') == 3
    assert "Đăng ký thành lập hộ kinh doanh (sửa đổi)" in html


def test_accepting_makes_a_new_version(officer: Client, national: NationalSimulator) -> None:
    change = _pulled(officer)["2.000720"]
    response = officer.post(f"{PAGE}{change.pk}/accept/")
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.state == ChangeState.ACCEPTED
    current = ProcedureVersion.objects.get(procedure__code="2.000720", status="published")
    assert (current.number, change.result) == (2, current)


def test_rejecting_needs_a_reason(officer: Client, national: NationalSimulator) -> None:
    change = _pulled(officer)["1.001193"]
    response = officer.post(f"{PAGE}{change.pk}/reject/", {"reason": ""}, follow=True)
    assert '<li class="error">' in response.content.decode()
    change.refresh_from_db()
    assert change.state == ChangeState.PENDING
    officer.post(f"{PAGE}{change.pk}/reject/", {"reason": "Chờ hướng dẫn của Bộ"})
    change.refresh_from_db()
    assert (change.state, change.reason) == (ChangeState.REJECTED, "Chờ hướng dẫn của Bộ")


def test_a_portal_that_is_down_is_a_message_not_an_error_page(
    officer: Client, national: NationalSimulator
) -> None:
    national.behaviour.down = True
    response = officer.post(f"{PAGE}pull/", follow=True)
    assert response.status_code == 200
    assert '<li class="error">' in response.content.decode()
    assert CatalogueSyncEvent.objects.get(kind="pull_failed").reason.startswith("HTTP 500")


@pytest.mark.parametrize("who", ["alice", "erin", "frank"])
def test_no_one_else_sees_pulls_or_decides(
    client: Client, cast: Cast, national: NationalSimulator, who: str
) -> None:
    officer = Client()
    officer.force_login(cast.grace)
    change = _pulled(officer)["2.001001"]
    client.force_login(getattr(cast, who))
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}{change.pk}/").status_code == 403
    assert client.post(f"{PAGE}pull/").status_code == 403
    assert client.post(f"{PAGE}{change.pk}/accept/").status_code == 403
    assert client.post(f"{PAGE}{change.pk}/reject/", {"reason": "x"}).status_code == 403
    change.refresh_from_db()
    assert change.state == ChangeState.PENDING
    assert CatalogueSyncEvent.objects.filter(kind="pulled").count() == 1


def test_a_stranger_is_sent_to_sign_in(client: Client) -> None:
    assert client.get(PAGE).status_code == 302
