"""The API's pages (issue #18 item 2, docs/api.md "Pages"): ``page_size`` honoured and cut to
``MOTCUA_API_MAX_PAGE_SIZE``; the dossier list in keyset pages that walk the whole list without
gaps or repeats while dossiers are added, at the same cost anywhere, with no COUNT and no
SELECT DISTINCT."""

import base64
import json
from typing import Any

import pytest
from django.db import connection
from django.db.models import F, QuerySet
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from motcua.accounts.models import AdministrativeUnit, UnitLevel
from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.testing import Cast, problems


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


# --- the dossier list: keyset pages -------------------------------------------------------


def _receive(cast: Cast, case: Case, count: int) -> list[Dossier]:
    return [
        intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)
        for _ in range(count)
    ]


def _order(dossiers: "QuerySet[Dossier]") -> list[str]:
    """The list's order: newest received first, the never received last, then by id."""
    rows = dossiers.order_by(F("received_at").desc(nulls_last=True), F("pk").desc())
    return list(rows.values_list("code", flat=True))


def _walk(client: Client, url: str, between: Any = None) -> tuple[list[str], list[str]]:
    """The codes of every page following ``next`` from ``url`` (calling ``between`` after each
    page), and the links followed."""
    codes: list[str] = []
    links: list[str] = []
    while url:
        assert len(links) < 50, "the walk does not end"
        body = client.get(url).json()
        assert set(body) == {"next", "previous", "results"}  # no count
        codes += [d["code"] for d in body["results"]]
        url = body["next"]
        if url:
            links.append(url)
        if between is not None:
            between()
    return codes, links


@pytest.fixture
def listed(cast: Cast) -> list[Dossier]:
    """Ten dossiers at alice's agency: four received at the same instant (ties broken by id),
    two never received (an online submission waiting: no received_at, listed last)."""
    case = household_business_case(cast.agency)
    made = _receive(cast, case, 10)
    same = made[2].received_at
    Dossier.objects.filter(pk__in=[d.pk for d in made[3:7]]).update(received_at=same)
    Dossier.objects.filter(pk__in=[made[0].pk, made[8].pk]).update(received_at=None)
    return made


def test_cursors_walk_the_whole_list_without_gaps_or_repeats_while_rows_are_added(
    cast: Cast, listed: list[Dossier]
) -> None:
    """Page by page (3 a page) through ties and empty instants, with a dossier received and
    another left unreceived between every two pages: every dossier that was there is seen
    exactly once, in the list's order; then the previous links walk back over the same pages."""
    client = Client()
    client.force_login(cast.alice)
    before = _order(Dossier.objects.all())
    case = listed[0].case

    def add() -> None:
        _received, waiting = _receive(cast, case, 2)
        Dossier.objects.filter(pk=waiting.pk).update(received_at=None)

    codes, links = _walk(client, "/api/v1/dossiers/?page_size=3", between=add)
    assert len(codes) == len(set(codes))  # no repeat
    assert set(before) <= set(codes)  # no gap
    now = _order(Dossier.objects.all())
    assert codes == [c for c in now if c in set(codes)]  # in the list's order
    assert [c for c in codes if c in before] == before
    # The newly received sort before the walk's start: none of them is met on the way.
    assert (
        not set(codes)
        - set(before)
        - set(Dossier.objects.filter(received_at__isnull=True).values_list("code", flat=True))
    )

    last = client.get(links[-1]).json()
    back: list[str] = [d["code"] for d in last["results"]]
    url = last["previous"]
    while url:
        body = client.get(url).json()
        back = [d["code"] for d in body["results"]] + back
        url = body["previous"]
    assert back == [c for c in now if c in set(back)]
    assert set(codes) <= set(back)


def test_the_dossier_list_honours_page_size_up_to_the_maximum(
    cast: Cast, listed: list[Dossier]
) -> None:
    client = Client()
    client.force_login(cast.alice)
    body = client.get("/api/v1/dossiers/", {"page_size": 4}).json()
    assert len(body["results"]) == 4 and "page_size=4" in body["next"]
    assert len(client.get("/api/v1/dossiers/").json()["results"]) == 10
    for wrong in ("0", "-3", "many"):
        assert len(client.get("/api/v1/dossiers/", {"page_size": wrong}).json()["results"]) == 10
    with override_settings(MOTCUA_API_MAX_PAGE_SIZE=6):
        body = client.get("/api/v1/dossiers/", {"page_size": 1000}).json()
        assert len(body["results"]) == 6 and body["next"]


def test_a_page_costs_the_same_queries_anywhere_in_the_list_without_count_or_distinct(
    cast: Cast, listed: list[Dossier]
) -> None:
    """The first page and one deep in the list run the same number of queries; none counts
    the dossiers, none is SELECT DISTINCT (the status filter's column needs none)."""
    client = Client()
    client.force_login(cast.alice)
    with CaptureQueriesContext(connection) as first:
        body = client.get("/api/v1/dossiers/?page_size=2&status=2&status=3").json()
    for _ in range(2):
        body = client.get(body["next"]).json()
    with CaptureQueriesContext(connection) as deep:
        assert client.get(body["next"]).status_code == 200
    assert len(deep) == len(first)
    for query in [*first.captured_queries, *deep.captured_queries]:
        sql = query["sql"].upper()
        assert "COUNT(" not in sql and "DISTINCT" not in sql and "OFFSET" not in sql, sql


def test_a_forged_cursor_is_refused(cast: Cast, listed: list[Dossier]) -> None:
    client = Client()
    client.force_login(cast.alice)

    def forged(data: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()

    for cursor in (
        "garbage",
        forged({"v": 1}),
        forged({"v": "2026-01-01T00:00", "id": 1, "b": False}),  # no offset
        forged({"v": None, "id": "1", "b": False}),
        forged({"v": None, "id": 2**70, "b": False}),
    ):
        response = client.get("/api/v1/dossiers/", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert problems(response) == ["invalid_cursor"]


def test_the_schema_documents_the_dossier_lists_pages() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    operation = schema["paths"]["/api/v1/dossiers/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"cursor", "page_size"} <= names and "page" not in names
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(page["properties"]) == {"next", "previous", "results"}
    units = schema["paths"]["/api/v1/units/"]["get"]
    assert {"page", "page_size"} <= {p["name"] for p in units["parameters"]}
