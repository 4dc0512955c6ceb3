"""The catalogue's read API."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.catalogue import services
from motcua.catalogue.tests.factories import (
    birth_registration,
    make_decision,
    publish_birth_registration,
)
from motcua.testing import Cast


def test_procedures_are_listed_with_their_field_and_levels(client: Client, db: None) -> None:
    publish_birth_registration()
    body = client.get("/api/v1/procedures/").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["code"] == "1.001193"
    assert item["field"]["code"] == "HT"
    assert item["levels"] == ["commune"]
    assert item["published_by"]["number"] == "2150/QĐ-UBND"


def test_search_ignores_accents(client: Client, db: None) -> None:
    """ "dang ky khai sinh" finds "Đăng ký khai sinh"; a code prefix finds it too."""
    publish_birth_registration()
    for query in ["dang ky khai sinh", "ĐĂNG KÝ", "khai  sinh", "1.0011"]:
        assert client.get("/api/v1/procedures/", {"q": query}).json()["count"] == 1, query
    assert client.get("/api/v1/procedures/", {"q": "ket hon"}).json()["count"] == 0


def test_procedures_filter_by_level_field_and_online_level(client: Client, db: None) -> None:
    publish_birth_registration()

    def get(**params: str) -> int:
        count: int = client.get("/api/v1/procedures/", params).json()["count"]
        return count

    assert get(level="commune") == 1
    assert get(level="province") == 0
    assert get(field="HT") == 1
    assert get(field="XD") == 0
    assert get(online_level="full") == 1
    assert get(online_level="none") == 0
    assert client.get("/api/v1/procedures/", {"level": "galaxy"}).status_code == 400


def test_the_detail_shows_cases_documents_fees_and_process(client: Client, db: None) -> None:
    publish_birth_registration()
    response = client.get("/api/v1/procedures/1.001193/")
    assert response.status_code == 200
    case = response.json()["cases"][0]
    assert case["processing_time"] == "3.00"
    assert case["documents"][0]["name"] == "Tờ khai đăng ký khai sinh"
    assert case["fees"][0]["amount"] == "0"
    assert [s["role"] for s in case["processes"][0]["steps"]] == [
        "desk_officer",
        "specialist",
        "signing_leader",
    ]
    assert client.get("/api/v1/procedures/9.999999/").status_code == 404


def test_versions_and_dates_in_force_are_visible(client: Client, db: None) -> None:
    first = publish_birth_registration()
    services.amend_procedure(
        first.procedure,
        birth_registration("5"),
        decision=make_decision("2387/QĐ-UBND", "2025-09-01"),
        actor=None,
    )
    versions = client.get("/api/v1/procedures/1.001193/versions/").json()
    assert [(v["number"], v["status"]) for v in versions] == [(1, "amended"), (2, "published")]
    assert versions[0]["ended_by"]["number"] == "2387/QĐ-UBND"
    on_august = client.get("/api/v1/procedures/", {"on": "2025-08-01"}).json()["results"]
    assert [v["number"] for v in on_august] == [1]
    assert client.get("/api/v1/procedures/9.9/versions/").status_code == 404


def test_the_procedure_list_does_not_query_per_row(client: Client, db: None) -> None:
    publish_birth_registration()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/procedures/").status_code == 200
    assert len(ctx.captured_queries) == 2


def test_fields_and_decisions_are_listed(client: Client, db: None) -> None:
    publish_birth_registration()
    assert client.get("/api/v1/fields/").json() == [
        {"code": "HT", "name": "Hộ tịch", "name_en": ""}
    ]
    assert client.get("/api/v1/decisions/").json()["results"][0]["number"] == "2150/QĐ-UBND"


def test_procedures_filter_by_assigned_agency_and_show_assignments(
    client: Client, cast: Cast
) -> None:
    version = publish_birth_registration()
    services.assign_procedure(version.procedure, cast.agency, "receiving", actor=None)
    services.assign_procedure(version.procedure, cast.agency, "competent", actor=None)
    listed = client.get("/api/v1/procedures/", {"agency": "H56.22"}).json()
    assert listed["count"] == 1
    assert client.get("/api/v1/procedures/", {"agency": "H56.23"}).json()["count"] == 0
    detail = client.get("/api/v1/procedures/1.001193/").json()
    assert {(a["agency_code"], a["role"]) for a in detail["assignments"]} == {
        ("H56.22", "receiving"),
        ("H56.22", "competent"),
    }
