"""Bad input to the dossier API: names composed and cleaned of invisible characters, ID
numbers, tax codes and phone numbers checked, reasons and missing items bounded. Each refusal
is a 400 naming the field, with a message and a code, and creates nothing."""

import unicodedata
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.validators import MAX_LINE_LENGTH, MAX_LINES
from motcua.catalogue.models import Case
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import household_business_case
from motcua.testing import Cast, field_problems


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


def _post(client: Client, user: User, url: str, data: dict[str, Any]) -> Any:
    client.force_login(user)
    return client.post(url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def _intake(case: Case, **applicant: str) -> dict[str, Any]:
    return {
        "agency": "H56.22",
        "procedure": "2.000720",
        "applicant": {"name": "Nguyễn Văn Bình", "id_number": "087090001234", **applicant},
        "checklist": [{"required_id": d.pk} for d in case.documents.filter(mandatory=True)],
    }


def test_names_and_numbers_are_stored_composed_and_without_invisible_characters(
    client: Client, cast: Cast, case: Case
) -> None:
    typed = {
        "name": unicodedata.normalize("NFD", "Nguyễn\u200b Văn\u202e Bình"),
        "id_number": "087\u200c090 001\u2066234",
        "phone": "+84 91 234 5678",
        "proxy_name": "Lê\u200d Thị Hoa",
    }
    response = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case, **typed))
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == "Nguyễn Văn Bình"
    assert unicodedata.is_normalized("NFC", dossier.applicant_name)
    assert dossier.applicant_id_number == "087090001234"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.proxy_name == "Lê Thị Hoa"


@pytest.mark.parametrize(
    ("applicant", "field", "code", "words"),
    [
        ({"id_number": "08709000123"}, "id_number", "invalid_personal_id", "12 digits"),
        ({"id_number": "123456789"}, "id_number", "invalid_personal_id", "12 digits"),
        (
            {"kind": "organisation", "id_number": "0312345678001"},
            "id_number",
            "invalid_tax_code",
            "a dash and 3 digits",
        ),
        ({"proxy_id_number": "12345"}, "proxy_id_number", "invalid_personal_id", "12 digits"),
        ({"phone": "091234"}, "phone", "invalid_phone", "10 digits"),
        ({"proxy_phone": "12345678901"}, "proxy_phone", "invalid_phone", "10 digits"),
        ({"name": "\u200b\u202e\u200b"}, "name", "required", "name is required"),
    ],
)
def test_bad_identifiers_are_a_400_on_their_field_and_create_nothing(
    client: Client,
    cast: Cast,
    case: Case,
    applicant: dict[str, str],
    field: str,
    code: str,
    words: str,
) -> None:
    response = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case, **applicant))
    assert response.status_code == 400
    (error,) = [p for p in response.json()["errors"] if p.get("field") == f"applicant.{field}"]
    assert error["code"] == code
    assert words in error["message"]
    assert not Dossier.objects.exists()


def test_an_organisation_gives_its_tax_code(client: Client, cast: Cast, case: Case) -> None:
    data = _intake(case, kind="organisation", id_number="0312345678-001", name="Công ty TNHH An")
    response = _post(client, cast.alice, "/api/v1/dossiers/receive/", data)
    assert response.status_code == 201, response.json()
    assert Dossier.objects.get().applicant_id_number == "0312345678-001"


def test_the_messages_are_vietnamese_by_default(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    response = client.post(
        "/api/v1/dossiers/receive/",
        _intake(case, id_number="123"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "applicant.id_number"
    assert "12 chữ số" in response.json()["message"]


@pytest.mark.parametrize(
    ("reasons", "code"),
    [
        (["Thiếu giấy tờ"] * (MAX_LINES + 1), "max_length"),
        (["x" * (MAX_LINE_LENGTH + 1)], "max_length"),
    ],
)
def test_a_refusal_with_too_many_or_too_long_reasons_is_a_400(
    client: Client, cast: Cast, case: Case, reasons: list[str], code: str
) -> None:
    """50,000 reasons took 4 s to print on Form 03."""
    data = {**_intake(case), "reasons": reasons}
    response = _post(client, cast.alice, "/api/v1/dossiers/refuse/", data)
    assert response.status_code == 400
    on_reasons = [p for p in response.json()["errors"] if p.get("field", "").startswith("reasons")]
    assert on_reasons[0]["code"] == code
    assert not Dossier.objects.exists()


def test_a_supplement_request_with_too_many_items_is_a_400(
    client: Client, cast: Cast, case: Case
) -> None:
    code = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case)).json()["code"]
    _post(client, cast.alice, f"/api/v1/dossiers/{code}/actions/forward/", {})
    url = f"/api/v1/dossiers/{code}/actions/request_supplement/"
    response = _post(client, cast.bob, url, {"items": ["Bản sao"] * (MAX_LINES + 1)})
    assert response.status_code == 400
    assert field_problems(response) == {"items": ["max_length"]}
    assert "no more than 50" in response.json()["message"]

    assert not DossierEvent.objects.filter(action="request_supplement").exists()


def test_the_services_refuse_too_many_lines_whoever_calls_them(cast: Cast, case: Case) -> None:
    """The screens and the API share the bound: it lives in the services too."""
    from django.core.exceptions import ValidationError

    from motcua.dossiers import intake, services
    from motcua.dossiers.tests.factories import complete_intake

    with pytest.raises(ValidationError) as refused:
        intake.refuse_at_desk(
            complete_intake(case), agency=cast.agency, actor=cast.alice,
            reasons=["Thiếu"] * 50_000,
        )  # fmt: skip
    assert refused.value.error_dict["reasons"][0].code == "too_many_lines"
    assert not Dossier.objects.exists()
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    services.forward(dossier, actor=cast.alice)
    with pytest.raises(ValidationError) as refused:
        services.request_supplement(dossier, actor=cast.bob, items=["x" * 5000])
    assert refused.value.error_dict["items"][0].code == "line_too_long"


def test_a_list_filter_instant_with_any_offset_is_read_in_utc(
    client: Client, cast: Cast, case: Case
) -> None:
    """An offset PostgreSQL cannot store (+20:26) denotes an instant all the same: the list
    filters read it in UTC, on both databases (found by the API fuzzing)."""
    created = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case))
    assert created.status_code == 201, created.json()
    received = created.json()["received_at"]
    client.force_login(cast.alice)
    for query in (
        "received_from=2025-01-01T00:00:00%2B20:26",
        "received_to=2099-01-01T00:00:00-20:26",
        "due_from=2025-01-01T00:00:00Z",
    ):
        response = client.get(f"/api/v1/dossiers/?{query}")
        assert response.status_code == 200, (query, response.json())
        assert [d["received_at"] for d in response.json()["results"]] == [received]


def test_a_list_filter_instant_outside_the_supported_years_is_a_400(
    client: Client, cast: Cast
) -> None:
    """Year 1 with an offset east of UTC would fall before year 1 in UTC: refused as out of
    range with its code, never a server error."""
    client.force_login(cast.alice)
    for value in ("0001-01-01T00:00:00%2B10:00", "1347-06-28T18:08:01%2B18:38"):
        response = client.get(f"/api/v1/dossiers/?due_from={value}")
        assert response.status_code == 400
        assert field_problems(response) == {"due_from": ["date_out_of_range"]}
