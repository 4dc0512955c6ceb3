"""The API's pages (issue #18 item 2, docs/api.md "Pages"): ``page_size`` honoured and cut to
``MOTCUA_API_MAX_PAGE_SIZE``."""

from django.test import Client, override_settings

from motcua.accounts.models import AdministrativeUnit, UnitLevel


def _units(count: int) -> None:
    AdministrativeUnit.objects.bulk_create(
        AdministrativeUnit(
            code=f"{n:05d}", level=UnitLevel.COMMUNE, name=f"Xã {n}", full_name=f"Xã {n}"
        )
        for n in range(count)
    )


def test_numbered_pages_honour_page_size_up_to_the_maximum(client: Client, db: None) -> None:
    _units(130)
    assert len(client.get("/api/v1/units/").json()["results"]) == 50  # PAGE_SIZE
    page = client.get("/api/v1/units/", {"page_size": 7, "page": 2}).json()
    assert len(page["results"]) == 7 and page["count"] == 130
    assert "page_size=7" in page["next"]
    assert len(client.get("/api/v1/units/", {"page_size": 1000}).json()["results"]) == 100
    with override_settings(MOTCUA_API_MAX_PAGE_SIZE=120):
        assert len(client.get("/api/v1/units/", {"page_size": 1000}).json()["results"]) == 120
