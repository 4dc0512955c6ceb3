"""Publicity: the month's processing figures and the Decision 766 index for the province and
each receiving agency, from the reports, to anyone."""

import pytest
from django.test import Client

from motcua.reports.tests.factories import cases, receive, sign
from motcua.testing import Cast, aware, make_agency, make_user


@pytest.fixture
def march(cast: Cast) -> None:
    """Two dossiers received in March 2026: one approved early, one approved late."""
    business, _birth = cases(cast)
    early = receive(cast, business, aware("2026-03-02T09:00"))
    sign(cast, early, aware("2026-03-04T15:00"))
    late = receive(cast, business, aware("2026-03-02T10:00"))
    sign(cast, late, aware("2026-03-20T15:00"))  # due 9 March


def test_the_province_page_shows_the_months_figures_and_index(
    client: Client, cast: Cast, march: None
) -> None:
    response = client.get("/cong-khai/", {"thang": "2026-03"})
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.totals.received_direct_or_postal == 2
    assert figures.totals.resolved_early + figures.totals.resolved_on_time == 1
    assert figures.totals.resolved_late == 1
    assert figures.index.max_points > 0
    body = response.content.decode()
    assert cast.agency.name in body
    assert f'href="/cong-khai/{cast.agency.code}/?thang=2026-03"' in body
    assert "766" in body


def test_the_agency_page_shows_its_own_figures_and_index(
    client: Client, cast: Cast, march: None
) -> None:
    response = client.get(f"/cong-khai/{cast.agency.code}/", {"thang": "2026-03"})
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.agency == cast.agency
    assert figures.totals.resolved_late == 1
    assert figures.index is not None and figures.index.key == cast.agency.code


def test_another_month_has_none_of_them(client: Client, cast: Cast, march: None) -> None:
    figures = client.get("/cong-khai/", {"thang": "2026-02"}).context["figures"]
    assert figures.totals.received_direct_or_postal == 0
    assert figures.lines == []


def test_the_pages_are_public_to_anyone_signed_in_or_not(
    client: Client, cast: Cast, march: None
) -> None:
    for user in [None, cast.henry, cast.alice, make_user("peggy")]:
        if user is not None:
            client.force_login(user)
        assert client.get("/cong-khai/").status_code == 200
        assert client.get(f"/cong-khai/{cast.agency.code}/").status_code == 200


def test_an_agency_receiving_nothing_and_bad_months_are_404(
    client: Client, cast: Cast, march: None
) -> None:
    make_agency("H56.99", "Sở Không Nhận")
    assert client.get("/cong-khai/H56.99/").status_code == 404
    assert client.get("/cong-khai/NOPE/").status_code == 404
    for month in ["2026-13", "march", "1999-12", "2999-01"]:
        assert client.get("/cong-khai/", {"thang": month}).status_code == 404, month
