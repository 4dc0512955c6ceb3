"""The list page's full filter form (the API's ``DossierFilter``), pagination by due instant,
errors kept next to the fields, the ledger for the current filters, and a number of queries
that does not depend on the page size."""

import io

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.filters import DossierFilter
from motcua.dossiers.ledger import FIRST_DATA_ROW
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, complete_intake
from motcua.dossiers.workflow import Status
from motcua.testing import Cast
from motcua.workspace import queues
from motcua.workspace.tests.test_bulk import other_procedure


def _receive(cast: Cast, case: Case, when: str | None = None) -> Dossier:
    return intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at(when) if when else None
    )


def _codes(response: object) -> list[str]:
    return [row.dossier.code for row in response.context["rows"]]  # type: ignore[attr-defined]


def _ledger_codes(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [
        str(sheet.cell(row, 2).value)
        for row in range(FIRST_DATA_ROW, sheet.max_row + 1)
        if sheet.cell(row, 2).value
    ]


def test_every_filter_of_the_api_is_on_the_form_with_the_agencys_procedures_only(
    client: Client, cast: Cast, case: Case
) -> None:
    other_procedure(cast.other_agency)
    client.force_login(cast.alice)
    response = client.get("/workspace/")
    form = response.context["filter_form"]
    assert set(form.fields) == set(DossierFilter.base_filters)
    assert [code for code, _label in form.fields["procedure"].choices] == ["", "2.000720"]
    page = response.content.decode()
    for name in DossierFilter.base_filters:
        assert f'name="{name}"' in page, name
    assert "Lọc nâng cao" in page or "Advanced filters" in page
    assert 'type="datetime-local"' in page
    assert 'value="4"' in page  # the statuses as boxes


def test_the_filters_combine_like_the_api_and_sort_by_due_instant(
    client: Client, cast: Cast, case: Case
) -> None:
    later = _receive(cast, case, "2026-03-02T09:00")
    sooner = _receive(cast, case, "2026-02-02T09:00")
    forwarded = _receive(cast, case, "2026-02-03T09:00")
    services.forward(forwarded, actor=cast.alice, now=at("2026-02-03T10:00"))
    _receive(cast, case, "2025-12-01T09:00")  # received before the range
    elsewhere = other_procedure(cast.other_agency)
    theirs = intake.receive_new_dossier(
        complete_intake(elsewhere), agency=cast.other_agency, actor=cast.ivan
    )
    client.force_login(cast.alice)

    response = client.get(
        "/workspace/",
        {
            "status": [Status.RECEIVED, Status.PROCESSING],
            "procedure": "2.000720",
            "received_from": "2026-01-01T00:00",
            "overdue": "true",
        },
    )
    assert response.status_code == 200
    assert _codes(response) == [sooner.code, forwarded.code, later.code]
    received_only = client.get("/workspace/", {"status": Status.RECEIVED, "q": sooner.code})
    assert _codes(received_only) == [sooner.code]
    # Another agency's dossier: not found by its code either.
    assert _codes(client.get("/workspace/", {"q": theirs.code})) == []
    api = client.get("/api/v1/dossiers/", {"status": Status.PROCESSING, "procedure": "2.000720"})
    assert [d["code"] for d in api.json()["results"]] == [forwarded.code]


def test_invalid_filters_show_errors_next_to_the_fields_and_keep_the_input(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    response = client.get(
        "/workspace/",
        {"received_from": "hôm qua", "procedure": "9.999999", "q": "Bình", "status": "2"},
    )
    assert response.status_code == 400
    errors = response.context["filter_form"].errors
    assert set(errors) == {"received_from", "procedure"}
    page = response.content.decode()
    assert 'value="hôm qua"' in page and 'value="Bình"' in page
    assert 'value="2" checked' in page or ('value="2"' in page and "checked" in page)
    assert page.count('class="errorlist') >= 2
    assert response.context["rows"] == []


def test_results_are_paginated_by_fifty_and_the_page_links_keep_the_filters(
    client: Client, cast: Cast, case: Case
) -> None:
    for _ in range(queues.PAGE_SIZE + 2):
        _receive(cast, case)
    client.force_login(cast.alice)
    first = client.get("/workspace/", {"status": Status.RECEIVED, "q": "Bình"})
    assert len(first.context["rows"]) == queues.PAGE_SIZE
    page = first.content.decode()
    assert 'href="?status=2&amp;q=B%C3%ACnh&amp;page=2"' in page
    second = client.get("/workspace/", {"status": Status.RECEIVED, "q": "Bình", "page": "2"})
    assert len(second.context["rows"]) == 2
    assert not set(_codes(first)) & set(_codes(second))


def test_the_list_makes_as_many_queries_for_fifty_rows_as_for_two(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    filters = {
        "status": [Status.RECEIVED],
        "procedure": "2.000720",
        "overdue": "true",
        "received_from": "2026-01-01T00:00",
    }

    def measure(expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/workspace/", filters)
        assert response.status_code == 200
        assert len(response.context["rows"]) == expected_rows
        return len(captured)

    for _ in range(2):
        _receive(cast, case, "2026-01-05T09:00")
    two = measure(2)
    for _ in range(48):
        _receive(cast, case, "2026-01-05T09:00")
    assert measure(50) == two


def test_the_ledger_link_prints_form_07_for_the_current_filters(
    client: Client, cast: Cast, case: Case
) -> None:
    march = [_receive(cast, case, "2026-03-02T09:00"), _receive(cast, case, "2026-03-20T09:00")]
    _receive(cast, case, "2026-04-01T09:00")
    stopped = _receive(cast, case, "2026-03-10T09:00")
    services.forward(stopped, actor=cast.alice, now=at("2026-03-10T10:00"))
    client.force_login(cast.alice)
    filters = {
        "status": Status.RECEIVED,
        "received_from": "2026-03-01T00:00",
        "received_to": "2026-03-31T23:59",
    }
    listing = client.get("/workspace/", filters).content.decode()
    assert 'href="/workspace/ledger.xlsx?status=2&amp;received_from=2026-03-01T00' in listing
    # The ledger is Form 07 in Circular 03/2025's numbering (the default).
    assert "Sổ theo dõi (Mẫu 07) theo bộ lọc này" in listing

    response = client.get("/workspace/ledger.xlsx", filters)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="so-theo-doi-')
    assert "20260301-20260331" in response["Content-Disposition"]
    assert _ledger_codes(response.content) == [d.code for d in march]


def test_the_ledger_is_for_officers_only_and_refuses_bad_periods(
    client: Client, cast: Cast, case: Case
) -> None:
    _receive(cast, case, "2026-01-06T09:00")
    for user in (cast.henry, cast.oscar):
        client.force_login(user)
        assert client.get("/workspace/ledger.xlsx", {"status": "2"}).status_code == 404
    client.logout()
    assert client.get("/workspace/ledger.xlsx").status_code == 302
    client.force_login(cast.alice)
    long = {"received_from": "2020-01-01T00:00", "received_to": "2026-01-31T00:00"}
    too_long = client.get("/workspace/ledger.xlsx", long)
    assert too_long.status_code == 302
    assert too_long["Location"].startswith("/workspace/?received_from=2020-01-01")
    shown = client.get(too_long["Location"]).content.decode()
    assert "ba năm" in shown or "three years" in shown
    invalid = client.get("/workspace/ledger.xlsx", {"received_from": "x"})
    assert invalid.status_code == 302
