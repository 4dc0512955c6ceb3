"""The read API for administrative units and agencies, and the health check."""

from django.test import Client

from motcua.accounts import services
from motcua.accounts.tests.test_services import SAMPLE
from motcua.testing import Cast


def test_units_can_be_filtered_by_level_and_parent(client: Client, db: None) -> None:
    services.load_units(SAMPLE, source="sample")
    response = client.get("/api/v1/units/", {"level": "commune", "parent": "815"})
    assert response.status_code == 200
    codes = {item["code"] for item in response.json()["results"]}
    assert codes == {"28249", "28252"}
    first = response.json()["results"][0]
    assert first["parent_code"] == "815"


def test_units_can_be_searched_by_name(client: Client, db: None) -> None:
    services.load_units(SAMPLE, source="sample")
    response = client.get("/api/v1/units/", {"name": "mỹ tho"})
    assert [item["code"] for item in response.json()["results"]] == ["815"]


def test_agencies_are_read_by_electronic_code(client: Client, cast: Cast) -> None:
    response = client.get("/api/v1/agencies/H56.22/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "H56.22"
    assert body["calendar_code"] == "VN"
    assert client.get("/api/v1/agencies/", {"kind": "provincial_department"}).json()["count"] == 1
    assert client.get("/api/v1/agencies/NOPE/").status_code == 404


def test_the_agency_list_does_not_query_per_row(client: Client, cast: Cast) -> None:
    """Two queries (count and page) whatever the number of agencies."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/agencies/").status_code == 200
    assert len(ctx.captured_queries) == 2


def test_healthz_answers_with_the_database_checked(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_openapi_schema_and_its_docs_page_are_served(client: Client, db: None) -> None:
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/agencies/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    # Swagger UI comes from the sidecar package, never from a CDN.
    assert b"cdn" not in docs.content.lower()
