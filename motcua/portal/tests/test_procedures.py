"""Finding a procedure: accent-insensitive search, browsing by field, level and agency, a
procedure's page, only what is in force today, and 410 for an abolished procedure."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from motcua.catalogue import services as catalogue
from motcua.catalogue.models import Case, OnlineLevel, ProcedureVersion
from motcua.catalogue.tests.factories import make_decision
from motcua.dossiers.tests.factories import publish_case
from motcua.testing import Cast, make_user


def test_the_home_page_offers_search_tracking_and_fields_to_anyone(
    client: Client, birth: Case
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hộ tịch" in body  # browse by field
    assert 'action="/tra-cuu/"' in body
    assert 'action="/thu-tuc/"' in body


def test_the_root_no_longer_sends_to_the_workspace_and_the_workspace_still_answers(
    client: Client, db: None
) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/workspace/").status_code in {200, 302}


def test_search_without_accents_finds_the_procedure_with_them(
    client: Client, birth: Case, business: Case
) -> None:
    response = client.get("/thu-tuc/", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đăng ký khai sinh" in body
    assert "hộ kinh doanh" not in body


def test_search_in_capitals_with_accents_and_by_code_find_it_too(
    client: Client, birth: Case
) -> None:
    for q in ["ĐĂNG KÝ KHAI SINH", "Khai Sinh", "1.001193"]:
        assert "Đăng ký khai sinh" in client.get("/thu-tuc/", {"q": q}).content.decode(), q


def test_browse_by_field_level_and_agency(
    client: Client, cast: Cast, birth: Case, business: Case
) -> None:
    by_field = client.get("/thu-tuc/", {"field": "HT"}).content.decode()
    assert "Đăng ký khai sinh" in by_field and "hộ kinh doanh" not in by_field
    by_level = client.get("/thu-tuc/", {"level": "commune"}).content.decode()
    assert "Đăng ký khai sinh" in by_level and "hộ kinh doanh" in by_level
    assert "Đăng ký khai sinh" not in client.get("/thu-tuc/", {"level": "central"}).content.decode()
    by_agency = client.get("/thu-tuc/", {"agency": cast.agency.code}).content.decode()
    assert "Đăng ký khai sinh" in by_agency


def test_an_unknown_field_or_level_is_a_400_with_the_form(client: Client, birth: Case) -> None:
    assert client.get("/thu-tuc/", {"level": "galaxy"}).status_code == 400
    assert client.get("/thu-tuc/", {"field": "NOPE"}).status_code == 400


def test_the_procedure_page_has_cases_documents_fees_time_basis_agencies_and_online_button(
    client: Client, cast: Cast, business: Case
) -> None:
    response = client.get("/thu-tuc/2.000720/")
    assert response.status_code == 200
    body = response.content.decode()
    for expected in [
        "Đăng ký thành lập hộ kinh doanh",
        "Giấy đề nghị đăng ký hộ kinh doanh",
        "Hợp đồng thuê địa điểm",
        "Lệ phí đăng ký",
        "100000",
        cast.agency.name,
        'href="/thu-tuc/2.000720/nop-truc-tuyen/"',
    ]:
        assert expected in body, expected
    # The button leads anonymous visitors to the sign-in first (tests in test_submission.py).
    assert client.get("/thu-tuc/2.000720/nop-truc-tuyen/").status_code == 302


def test_a_procedure_not_online_has_no_button_and_no_submission_page(
    client: Client, cast: Cast
) -> None:
    publish_case(
        cast.agency, code="1.000001", name="Chứng thực bản sao", field=("CT", "Chứng thực"),
        documents=(), online_level=OnlineLevel.NONE, decision="3/QĐ-UBND",
    )  # fmt: skip
    body = client.get("/thu-tuc/1.000001/").content.decode()
    assert "nop-truc-tuyen" not in body
    client.force_login(cast.henry)
    assert client.get("/thu-tuc/1.000001/nop-truc-tuyen/").status_code == 404


def test_a_partly_online_procedure_takes_the_dossier_online_too(client: Client, cast: Cast) -> None:
    """Decree 42/2022 art. 11: "một phần" still takes the dossier online."""
    publish_case(
        cast.agency, code="1.000002", name="Chứng thực chữ ký", field=("CT", "Chứng thực"),
        documents=(), online_level=OnlineLevel.PARTIAL, decision="4/QĐ-UBND",
    )  # fmt: skip
    assert "nop-truc-tuyen" in client.get("/thu-tuc/1.000002/").content.decode()
    client.force_login(cast.henry)
    assert client.get("/thu-tuc/1.000002/nop-truc-tuyen/").status_code == 200


def test_an_abolished_procedure_answers_410_naming_the_decision(
    client: Client, cast: Cast, birth: Case
) -> None:
    ending = make_decision("99/QĐ-UBND", (timezone.localdate() - dt.timedelta(days=3)).isoformat())
    catalogue.abolish_procedure(birth.version.procedure, decision=ending, actor=None)
    response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 410
    assert "99/QĐ-UBND" in response.content.decode()
    assert "Đăng ký khai sinh" not in client.get("/thu-tuc/", {"q": "khai sinh"}).content.decode()
    client.force_login(cast.henry)
    assert client.get("/thu-tuc/1.001193/nop-truc-tuyen/").status_code == 404


def test_a_procedure_abolished_from_a_later_day_is_still_offered_today(
    client: Client, birth: Case
) -> None:
    later = make_decision("98/QĐ-UBND", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    catalogue.abolish_procedure(birth.version.procedure, decision=later, actor=None)
    assert client.get("/thu-tuc/1.001193/").status_code == 200


def test_a_procedure_not_yet_in_force_and_an_unknown_code_are_404(
    client: Client, birth: Case
) -> None:
    ProcedureVersion.objects.filter(pk=birth.version.pk).update(
        effective_from=timezone.localdate() + dt.timedelta(days=1)
    )
    assert client.get("/thu-tuc/1.001193/").status_code == 404
    assert "Đăng ký khai sinh" not in client.get("/thu-tuc/", {"q": "khai sinh"}).content.decode()
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_signed_in_citizens_and_officers_see_the_same_public_pages(
    client: Client, cast: Cast, birth: Case
) -> None:
    for user in [cast.henry, cast.alice, make_user("peggy")]:
        client.force_login(user)
        assert client.get("/thu-tuc/1.001193/").status_code == 200
        assert client.get("/thu-tuc/", {"q": "khai sinh"}).status_code == 200


def test_the_list_reads_a_fixed_number_of_queries(
    client: Client, cast: Cast, birth: Case, business: Case, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert client.get("/thu-tuc/").status_code == 200


def test_the_pages_speak_vietnamese_first_and_english_on_request(
    client: Client, birth: Case
) -> None:
    assert "Tra cứu hồ sơ" in client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Track a dossier" in english and "Tra cứu hồ sơ" not in english
    page = client.get("/thu-tuc/1.001193/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Required documents" in page and "Submit online" in page
