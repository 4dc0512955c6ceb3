"""The Decision 766 service index on a scenario with counts known by hand, its configurable
scoring table, the components without data, and GET /api/v1/reports/index766."""

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Agency
from motcua.catalogue.models import Case
from motcua.catalogue.specs import DocumentSpec
from motcua.dossiers import documents, services
from motcua.dossiers.legacy import DossierImport
from motcua.dossiers.tests.factories import at, publish_case
from motcua.reports.index766 import Index766, service_index
from motcua.reports.index766_scoring import DEFAULT
from motcua.reports.tests.factories import cases, receive, sign
from motcua.testing import Cast, field_problems

URL = "/api/v1/reports/index766"
PERIOD = {"from": "2026-03-09", "to": "2026-03-13"}
START, END = dt.date(2026, 3, 9), dt.date(2026, 3, 13)


def offline_procedure(agency: Agency) -> None:
    """A procedure received at ``agency`` and not offered online."""
    publish_case(
        agency,
        code="2.000815",
        name="Chứng thực bản sao từ bản chính",
        field=("CT", "Chứng thực"),
        documents=(DocumentSpec("Bản chính giấy tờ", "original"),),
        online_level="none",
        decision="3/QĐ-UBND",
        competent=False,
    )


@pytest.fixture
def case(cast: Cast, tmp_path: Any, settings: Any) -> Case:
    """Period 9–13 March 2026 at H56.22, which receives three procedures, two online (the
    household business and birth registration) and one not. Dossiers of the household business
    procedure (5 working days), with their place in the processing report:"""
    settings.MEDIA_ROOT = str(tmp_path)
    case = cases(cast)[0]
    offline_procedure(cast.agency)
    # Carried over, resolved late (due 9 March, signed 10 March).
    d1 = receive(cast, case, at("2026-03-02T09:00"))
    sign(cast, d1, at("2026-03-10T10:00"))
    # Carried over, pending, overdue (due 10 March).
    receive(cast, case, at("2026-03-03T09:00"))
    # Online, resolved early, its result issued as an electronic document and returned
    # electronically.
    d3 = receive(cast, case, at("2026-03-09T08:00"), channel="online")
    services.forward(d3, actor=cast.alice, now=at("2026-03-09T12:00"))
    result = SimpleUploadedFile("giay-chung-nhan.pdf", b"%PDF-1.4\n%%EOF\n")
    documents.attach(d3, actor=cast.bob, upload=result, result=True, now=at("2026-03-09T12:30"))
    services.forward(d3, actor=cast.bob, now=at("2026-03-09T13:00"))
    services.forward(d3, actor=cast.carol, now=at("2026-03-09T14:00"))
    services.approve(d3, actor=cast.dave, result="Giấy chứng nhận", now=at("2026-03-09T15:00"))
    services.return_result(
        d3,
        actor=cast.alice,
        method="electronic",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-09T16:00"),
    )
    # Online, pending in time.
    receive(cast, case, at("2026-03-10T09:00"), channel="online")
    # In person, resolved early, result returned at the desk.
    d5 = receive(cast, case, at("2026-03-09T08:00"))
    sign(cast, d5, at("2026-03-09T15:00"))
    services.return_result(
        d5,
        actor=cast.alice,
        method="in_person",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-11T09:00"),
    )
    # One dossier imported at H56.23 (no procedure assigned there), pending in time.
    path = tmp_path / "h5623.csv"
    path.write_text(
        "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status\n"
        "IMP-1,2.000720,H56.23,bcci,2026-03-10T09:00:00+07:00,2026-03-17T09:00:00+07:00,,4\n",
        encoding="utf-8",
    )
    assert DossierImport(path).run().imported == 1
    return case


def points(index: Index766, agency: str, component: str) -> float:
    return float(index.agency(agency).component(component).points)


def test_the_default_table_adds_up_to_the_weights_of_decision_766() -> None:
    weights = {g["key"]: Decimal(g["weight"]) for g in DEFAULT}
    assert weights == {
        "publicity": 18,
        "progress": 20,
        "online_service": 12,
        "online_payment": 10,
        "satisfaction": 18,
        "digitisation": 22,
    }
    for group in DEFAULT:
        assert sum(Decimal(c["points"]) for c in group["components"]) == weights[group["key"]]


def test_progress_is_the_share_in_time_of_the_dossiers_received(cast: Cast, case: Case) -> None:
    """Received 5 (2 carried over + 3); in time 3 (2 early, 1 pending in time) → 12 of 20."""
    index = service_index(START, END)
    progress = index.agency("H56.22").component("in_time")
    assert (progress.measure.numerator, progress.measure.denominator) == (3, 5)
    assert progress.points == Decimal("12.00")
    assert progress.explanation == "3/5 = 60 % × 20 = 12.0"


def test_online_service_points_follow_the_vendor_rules(cast: Cast, case: Case) -> None:
    """2 of 3 procedures online (< 80 % → 1.6); 1 of the 2 online procedures had dossiers
    (× 4 = 2); 2 of 3 dossiers received in the period came online (≥ 50 % → 6)."""
    index = service_index(START, END)
    card = index.agency("H56.22")
    offered = card.component("procedures_online")
    assert (offered.measure.numerator, offered.measure.denominator) == (2, 3)
    assert offered.explanation == "2/3 = 66.67 % < 80 % → 1.6"
    assert points(index, "H56.22", "online_procedures_used") == 2.0
    assert card.component("dossiers_online").explanation == "2/3 = 66.67 % ≥ 50 % → 6.0"
    assert card.group("online_service").points == Decimal("9.6")


def test_electronic_results_are_the_share_of_results_issued_as_electronic_documents(
    cast: Cast, case: Case
) -> None:
    """d3's result is in the register of digitised papers, d5's is not (paper only)."""
    index = service_index(START, END)
    electronic = index.agency("H56.22").component("electronic_results")
    assert electronic.explanation == "1/2 = 50 % × 6 = 3.0"
    # 12 + 9.6 + 3 + 1.6 (payment) + 3.2 (digitised, 0/3) + 1.6 (re-use, 0/1: d3's result
    # was digitised before d4 of the same applicant was received, and d4 re-used nothing)
    assert index.agency("H56.22").points == Decimal("31.0")


def test_the_total_scores_all_agencies_together(cast: Cast, case: Case) -> None:
    """H56.23 adds one dossier pending in time and no procedure: 4/6 in time."""
    index = service_index(START, END)
    assert [a.key for a in index.agencies] == ["H56.22", "H56.23"]
    assert index.totals.component("in_time").explanation == "4/6 = 66.67 % × 20 = 13.33"
    assert index.totals.max_points == 100
    alone = index.agency("H56.23").component("procedures_online")
    assert (alone.points, alone.explanation) == (Decimal(0), "0/0: nothing to measure → 0.0")
    only = service_index(START, END, agency_ids={cast.other_agency.pk})
    assert [a.key for a in only.agencies] == ["H56.23"]
    assert only.totals.component("in_time").explanation == "1/1 = 100 % × 20 = 20.0"


def test_components_without_data_score_zero_and_say_why(cast: Cast, case: Case) -> None:
    card = service_index(START, END).agency("H56.22")
    for key in ("publicity", "satisfaction", "national_portal_payment"):
        component = card.component(key)
        assert component.points == 0
        assert not component.measure.has_data
        assert component.explanation.startswith("chưa có dữ liệu / no data yet: ")
    assert "thanh toán" in card.component("national_portal_payment").explanation
    # No fee was paid in the period: nothing to measure; the one fee-bearing procedure (the
    # household business, 100 000 ₫) had no online payment: the lower step of the rule.
    assert card.component("dossiers_paid_online").explanation == "0/0: nothing to measure → 0.0"
    assert card.component("procedures_paid_online").explanation == "0/1 = 0 % < 50 % → 1.6"
    assert card.group("satisfaction").points == 0


def test_the_scoring_table_can_be_overridden_in_settings(cast: Cast, case: Case) -> None:
    table = copy.deepcopy(DEFAULT)
    online = next(g for g in table if g["key"] == "online_service")
    online["components"][2]["threshold"] = "0.7"  # 66.67 % no longer reaches it → 3
    online["components"][1]["measure"] = "online_procedures_with_online_dossiers"
    progress = next(g for g in table if g["key"] == "progress")
    progress["components"][0]["points"] = "10"
    with override_settings(REPORT_766_SCORING=table):
        card = service_index(START, END).agency("H56.22")
    assert card.component("in_time").points == Decimal("6.00")
    assert card.component("dossiers_online").explanation == "2/3 = 66.67 % < 70 % → 3.0"
    assert card.component("online_procedures_used").points == Decimal("2.00")


def test_an_unknown_measure_in_the_table_is_refused(cast: Cast) -> None:
    table = copy.deepcopy(DEFAULT)
    table[0]["components"][0]["measure"] = "guesswork"
    with override_settings(REPORT_766_SCORING=table), pytest.raises(ValueError, match="measure"):
        service_index(START, END)


def test_the_index_costs_the_same_queries_however_many_dossiers(cast: Cast, case: Case) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            service_index(START, END)
        return len(captured)

    few = queries()
    for day in range(9, 13):
        receive(cast, case, at(f"2026-03-{day:02d}T09:00"))
    # + fees of the versions in force, + payment events, + the dossiers received and those
    # returned, with their digitised papers (reports/digitised.py)
    assert queries() == few <= 12


def get(client: Client, user: Any | None, **params: str) -> Any:
    if user is not None:
        client.force_login(user)
    return client.get(URL, params)


def test_a_reform_officer_reads_the_index_of_every_agency(
    client: Client, cast: Cast, case: Case
) -> None:
    response = get(client, cast.frank, **PERIOD)
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-03-09", "2026-03-13")
    assert [a["key"] for a in body["agencies"]] == ["H56.22", "H56.23"]
    h5622 = body["agencies"][0]
    assert h5622["points"] == 31.0 and h5622["max_points"] == 100
    progress = next(g for g in h5622["groups"] if g["key"] == "progress")
    component = progress["components"][0]
    assert (component["numerator"], component["denominator"], component["points"]) == (3, 5, 12)
    assert component["explanation"] == "3/5 = 60 % × 20 = 12.0"
    assert body["totals"]["key"] == "total"


def test_one_agency_can_be_asked_for(client: Client, cast: Cast, case: Case) -> None:
    body = get(client, cast.frank, **PERIOD, agency="H56.23").json()
    assert [a["key"] for a in body["agencies"]] == ["H56.23"]


def test_a_leader_reads_only_their_agencies(client: Client, cast: Cast, case: Case) -> None:
    body = get(client, cast.dave, **PERIOD).json()
    assert [a["key"] for a in body["agencies"]] == ["H56.22"]
    assert get(client, cast.dave, **PERIOD, agency="H56.23").status_code == 403


@pytest.mark.parametrize("who", ["alice", "bob", "henry", "oscar"])
def test_desk_officers_specialists_and_citizens_are_refused(
    client: Client, cast: Cast, who: str
) -> None:
    assert get(client, getattr(cast, who), **PERIOD).status_code == 403


def test_an_anonymous_caller_must_sign_in(client: Client, cast: Cast) -> None:
    assert get(client, None, **PERIOD).status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-03-01"}, "to"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to"),
        ({**PERIOD, "agency": "NOPE"}, "agency"),
    ],
)
def test_bad_parameters_get_a_400(
    client: Client, cast: Cast, params: dict[str, str], field: str
) -> None:
    response = get(client, cast.frank, **params)
    assert response.status_code == 400
    assert field in field_problems(response)


def test_the_schema_documents_the_endpoint(client: Client, cast: Cast) -> None:
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/reports/index766/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"from", "to", "agency", "window", "year", "number"} <= names
    assert "group_by" not in names
