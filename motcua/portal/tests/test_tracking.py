"""Tracking by code: the public status for anyone; the applicant's name and documents only
with the PIN from Form 01 or for the signed-in owner; an unknown code and a wrong PIN answer
alike; lookups limited per address."""

import re
from typing import Any

import pytest
from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import timeliness
from motcua.portal import tracking
from motcua.testing import Cast, make_user

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _same(body: str, code: str) -> str:
    """A page with its CSRF token and the code typed taken out, to compare two answers."""
    return TOKEN.sub("", body).replace(code, "CODE")


def test_anyone_sees_the_status_agency_dates_and_timeliness_but_nothing_personal(
    client: Client, at_desk: Dossier, cast: Cast
) -> None:
    response = client.get(f"/tra-cuu/{at_desk.code}")
    assert response.status_code == 200
    body = response.content.decode()
    assert cast.agency.name in body
    assert "Đăng ký thành lập hộ kinh doanh" in body
    assert at_desk.received_at is not None and at_desk.due_at is not None
    assert '<span class="status">đã tiếp nhận</span>' in body  # status 2, in Vietnamese
    assert "Đang trong hạn" in body
    assert "Nguyễn Văn Bình" not in body
    assert "Giấy đề nghị đăng ký hộ kinh doanh" not in body
    assert at_desk.tracking_pin not in body


def test_the_pin_from_form_01_shows_the_applicant_and_documents(
    client: Client, at_desk: Dossier
) -> None:
    pin = at_desk.tracking_pin.lower()
    response = client.post(f"/tra-cuu/{at_desk.code}", {"pin": f"{pin[:4]}-{pin[4:]}"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nguyễn Văn Bình" in body
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in body
    # The form at /tra-cuu/ answers the same, with the PIN kept out of the address.
    response = client.post("/tra-cuu/", {"code": at_desk.code, "pin": at_desk.tracking_pin})
    assert response.status_code == 200
    assert "Nguyễn Văn Bình" in response.content.decode()


def test_the_form_without_a_pin_leads_to_the_codes_page(client: Client, at_desk: Dossier) -> None:
    response = client.post("/tra-cuu/", {"code": f" {at_desk.code} ", "pin": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/{at_desk.code}"
    assert client.get("/tra-cuu/").status_code == 200
    assert client.post("/tra-cuu/", {"code": ""}).status_code == 400


def test_a_wrong_pin_answers_exactly_as_an_unknown_code(
    client: Client, at_desk: Dossier, business: object
) -> None:
    unknown = "H56.22-990101-0001"
    wrong = client.post(f"/tra-cuu/{at_desk.code}", {"pin": "ZZZZZZZZ"})
    missing = client.post(f"/tra-cuu/{unknown}", {"pin": "ZZZZZZZZ"})
    missing_without_pin = client.get(f"/tra-cuu/{unknown}")
    assert wrong.status_code == missing.status_code == missing_without_pin.status_code == 404
    assert _same(wrong.content.decode(), at_desk.code) == _same(missing.content.decode(), unknown)
    assert _same(missing_without_pin.content.decode(), unknown) == _same(
        missing.content.decode(), unknown
    )
    assert "Nguyễn Văn Bình" not in wrong.content.decode()
    via_form = client.post("/tra-cuu/", {"code": at_desk.code, "pin": "ZZZZZZZZ"})
    assert via_form.status_code == 404


def test_a_dossier_without_a_pin_matches_no_pin(client: Client, at_desk: Dossier) -> None:
    Dossier.objects.filter(pk=at_desk.pk).update(tracking_pin="")
    assert client.post(f"/tra-cuu/{at_desk.code}", {"pin": ""}).status_code == 200
    assert client.post(f"/tra-cuu/{at_desk.code}", {"pin": "A"}).status_code == 404


def test_the_signed_in_owner_sees_the_personal_part_without_a_pin(
    client: Client, henrys: Dossier, cast: Cast
) -> None:
    client.force_login(cast.henry)
    body = client.get(f"/tra-cuu/{henrys.code}").content.decode()
    assert "Nguyễn Văn Bình" in body
    assert "Tờ khai đăng ký khai sinh" in body


def test_another_citizen_and_an_officer_see_only_the_public_part(
    client: Client, henrys: Dossier, cast: Cast
) -> None:
    for user in [make_user("peggy"), cast.alice, cast.grace]:
        client.force_login(user)
        response = client.get(f"/tra-cuu/{henrys.code}")
        assert response.status_code == 200
        assert "Nguyễn Văn Bình" not in response.content.decode(), user.username
        wrong = client.post(f"/tra-cuu/{henrys.code}", {"pin": "ZZZZZZZZ"})
        assert wrong.status_code == 404


@pytest.mark.django_db
def test_lookups_are_limited_per_address(
    client: Client, at_desk: Dossier, settings: object
) -> None:
    settings.MOTCUA_TRACK_RATE = "3/minute"  # type: ignore[attr-defined]
    for _ in range(3):
        assert client.get(f"/tra-cuu/{at_desk.code}").status_code == 200
    limited = client.get(f"/tra-cuu/{at_desk.code}")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    # Unknown codes count too, and the API shares the count.
    assert client.get("/tra-cuu/H56.22-990101-0001").status_code == 429
    assert client.get(f"/api/v1/public/track/{at_desk.code}").status_code == 429
    # Another address is not held.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(f"/tra-cuu/{at_desk.code}").status_code == 200


def test_the_empty_form_is_not_counted(client: Client, db: None, settings: object) -> None:
    settings.MOTCUA_TRACK_RATE = "1/minute"  # type: ignore[attr-defined]
    for _ in range(3):
        assert client.get("/tra-cuu/").status_code == 200


def test_tracking_judges_as_the_desk_and_the_reports_do(
    client: Client, at_desk: Dossier, cast: Cast
) -> None:
    """``deadlines.standing`` through ``queries.timeliness``: a stopped dossier is still in
    time or overdue (its clock is not stopped), a withdrawn one says so, on the page and in
    the API alike, the same as the desk's dossier page."""
    services.stop(at_desk, actor=cast.dave, reason="Vượt thẩm quyền")
    assert timeliness(at_desk) == "in_time"
    body = client.get(f"/tra-cuu/{at_desk.code}").content.decode()
    assert "Đang trong hạn" in body
    assert client.get(f"/api/v1/public/track/{at_desk.code}").json()["timeliness"] == "in_time"


def test_a_withdrawn_dossier_is_shown_withdrawn(
    client: Client, at_desk: Dossier, cast: Cast
) -> None:
    services.withdraw(at_desk, actor=cast.alice, reason="Người nộp đề nghị rút")
    body = client.get(f"/tra-cuu/{at_desk.code}").content.decode()
    assert "Đã rút hồ sơ" in body
    assert client.get(f"/api/v1/public/track/{at_desk.code}").json()["timeliness"] == "withdrawn"


def test_a_lookup_reads_one_row_and_the_names_come_from_the_cache(
    at_desk: Dossier, henrys: Dossier, cast: Cast, django_assert_num_queries: Any
) -> None:
    """The first lookup also reads the procedure's and the agency's names; later lookups of
    any dossier of that procedure and agency read only the dossier (and its documents with the
    PIN): the figure the tracking benchmark relies on (bench/RESULTS.md)."""
    with django_assert_num_queries(3):
        first = tracking.track(at_desk.code)
    assert first is not None
    assert first.receiving_agency == cast.agency.name
    assert first.procedure == at_desk.version.name
    with django_assert_num_queries(1):
        again = tracking.track(at_desk.code)
    assert again == first
    with django_assert_num_queries(2):
        mine = tracking.track(at_desk.code, pin=at_desk.tracking_pin)
    assert mine is not None and mine.personal is not None
    assert mine.personal.documents
    with django_assert_num_queries(2):  # another procedure: its name is read once
        other = tracking.track(henrys.code)
    assert other is not None and other.procedure == henrys.version.name
    with django_assert_num_queries(1):
        assert tracking.track("H56.22-990101-0001") is None
