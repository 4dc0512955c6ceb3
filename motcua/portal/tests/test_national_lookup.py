"""The public tracking page asks the national portal (the simulator, over HTTP) about a code
the province's system does not know: a dossier another system received is shown with its
public facts, labelled as the national portal's; a portal that is down or slow is a clear
message (503), never an error page; the look-ups count against the tracking rate."""

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.integration.simulator import NationalSimulator

TOKEN = "s3cret"
FOREIGN = {
    "dossier_code": "000.00.10.H12-260301-0042",
    "status_name": "Đang giải quyết",
    "procedure_name": "Cấp hộ chiếu phổ thông",
    "agency_name": "Cục Quản lý xuất nhập cảnh",
    "system": "Hệ thống giải quyết thủ tục hành chính Bộ Công an",
    "received_at": "2026-03-01T08:30:00+07:00",
    "due_at": "2026-03-09T17:00:00+07:00",
}
PAGE = f"/tra-cuu/{FOREIGN['dossier_code']}"


@pytest.fixture
def national(settings: Any) -> Iterator[NationalSimulator]:
    """The simulator, knowing one dossier another system received (told over HTTP)."""
    simulator = NationalSimulator(token=TOKEN)
    with simulator.running() as url:
        request = urllib.request.Request(  # noqa: S310 - a local test server
            f"{url}/_dossiers", data=json.dumps(FOREIGN).encode(), method="POST"
        )
        urllib.request.urlopen(request, timeout=5).close()  # noqa: S310
        settings.MOTCUA_NATIONAL_URL = url
        settings.MOTCUA_NATIONAL_TOKEN = TOKEN
        settings.MOTCUA_NATIONAL_LOOKUP_TIMEOUT = 1
        simulator.requests = 0
        yield simulator


def test_a_code_received_by_another_system_is_answered_from_the_national_portal(
    client: Client, db: None, national: NationalSimulator
) -> None:
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thông tin từ Cổng Dịch vụ công quốc gia" in html
    assert 'class="card national"' in html
    for fact in ("Đang giải quyết", "Cấp hộ chiếu phổ thông", "Cục Quản lý xuất nhập cảnh"):
        assert fact in html
    assert "Bộ Công an" in html
    assert "08:30 01/03/2026" in html and "17:00 09/03/2026" in html
    assert national.requests == 1


def test_a_code_nobody_knows_is_not_found(
    client: Client, db: None, national: NationalSimulator
) -> None:
    response = client.get("/tra-cuu/H99.99-260301-0001")
    assert response.status_code == 404
    assert "national" not in response.context or not response.context["national"]
    assert national.requests == 1


def test_a_portal_that_is_down_is_a_clear_message(
    client: Client, db: None, national: NationalSimulator
) -> None:
    national.behaviour.down = True
    response = client.get(PAGE)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Cổng Dịch vụ công quốc gia" in html and "hiện không phản hồi" in html
    assert 'name="code"' in html  # the form to try again, on the portal's own page


def test_a_slow_portal_is_given_up_on_with_the_same_message(
    client: Client, db: None, national: NationalSimulator
) -> None:
    national.behaviour.delay = 2.5  # more than MOTCUA_NATIONAL_LOOKUP_TIMEOUT
    response = client.get(PAGE)
    assert response.status_code == 503
    assert "hiện không phản hồi" in response.content.decode()


def test_our_own_dossiers_are_answered_here_without_asking(
    client: Client, at_desk: Dossier, national: NationalSimulator
) -> None:
    response = client.get(f"/tra-cuu/{at_desk.code}")
    assert response.status_code == 200
    assert 'class="card national"' not in response.content.decode()
    assert national.requests == 0


def test_without_a_national_portal_an_unknown_code_is_not_found(
    client: Client, db: None, national: NationalSimulator, settings: Any
) -> None:
    settings.MOTCUA_NATIONAL_URL = ""
    assert client.get(PAGE).status_code == 404
    assert national.requests == 0


def test_national_look_ups_count_against_the_tracking_rate(
    client: Client, db: None, national: NationalSimulator, settings: Any
) -> None:
    settings.MOTCUA_TRACK_RATE = "3/minute"
    for _ in range(3):
        assert client.get(PAGE).status_code == 200
    limited = client.get(PAGE)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert national.requests == 3  # the limited one never reached the portal


def test_a_code_that_cannot_be_a_dossier_code_is_not_sent(
    client: Client, db: None, national: NationalSimulator
) -> None:
    assert client.get("/tra-cuu/%20x%3F").status_code == 404
    assert national.requests == 0
