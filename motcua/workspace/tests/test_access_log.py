"""The workspace's reads of personal data are logged (Decree 13/2023/NĐ-CP): the dossier page,
a document's file, the lists naming applicants (one row a page), the ledger export, the
reception's look-up of an earlier applicant, the bulk result and the reports' drill-down. And
the review: the agency's administrator (or a system administrator) reads the agency's rows,
filters them and exports them (the export logged too); an officer, another agency's
administrator and anyone else get a 404."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Case
from motcua.dossiers import documents, intake
from motcua.dossiers.access_models import AccessKind, DossierAccess
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake
from motcua.testing import Cast, make_user
from motcua.workspace.views import AGENCY_SESSION_KEY

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REVIEW = "/workspace/admin/H56.22/access-log/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _client(user: User) -> Client:
    client = Client(HTTP_USER_AGENT="Officer browser", REMOTE_ADDR="192.0.2.10")
    client.force_login(user)
    return client


def _rows(kind: str) -> list[DossierAccess]:
    return list(DossierAccess.objects.filter(kind=kind))


def _receive(cast: Cast, case: Case) -> Dossier:
    return intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)


def test_the_dossier_page_is_logged_for_the_agency_chosen(cast: Cast, received: Dossier) -> None:
    client = _client(cast.ivan)  # ivan works at both agencies
    session = client.session
    session[AGENCY_SESSION_KEY] = cast.agency.pk
    session.save()
    assert client.get(f"/workspace/dossiers/{received.code}/").status_code == 200
    [row] = _rows(AccessKind.VIEW)
    assert row.actor == cast.ivan and row.agency == cast.agency
    assert row.code_list == [received.code] and row.ip == "192.0.2.10"
    assert row.user_agent == "Officer browser"


def test_a_document_preview_is_logged(cast: Cast, received: Dossier) -> None:
    document = documents.attach(
        received, actor=cast.alice, upload=SimpleUploadedFile("id.pdf", PDF), name="CCCD"
    )
    url = f"/workspace/dossiers/{received.code}/documents/{document.pk}/"
    assert _client(cast.bob).get(url).status_code == 200
    [row] = _rows(AccessKind.DOWNLOAD)
    assert row.actor == cast.bob and row.path == url


def test_a_list_page_is_one_row_with_its_codes_and_costs_one_insert(cast: Cast, case: Case) -> None:
    """The cost measured: a page of 3 or of 12 dossiers adds the same queries (the reader's
    officer agencies are already read by the page; the insert is one statement)."""
    client = _client(cast.alice)
    made = [_receive(cast, case) for _ in range(3)]
    client.get("/workspace/?status=2")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/workspace/?status=2").status_code == 200
    row = DossierAccess.objects.filter(kind=AccessKind.LIST).latest("pk")
    assert row.code_list == sorted(d.code for d in made) and row.count == 3
    made += [_receive(cast, case) for _ in range(9)]
    with CaptureQueriesContext(connection) as many:
        client.get("/workspace/?status=2")
    assert len(many) == len(few)
    inserts = [
        q for q in few.captured_queries if 'INSERT INTO "dossiers_dossieraccess"' in q["sql"]
    ]
    assert len(inserts) == 1
    assert DossierAccess.objects.filter(kind=AccessKind.LIST).latest("pk").count == 12


def test_the_ledger_download_is_logged_as_an_export(cast: Cast, received: Dossier) -> None:
    response = _client(cast.alice).get("/workspace/ledger.xlsx", {"q": received.code})
    assert response.status_code == 200, response
    [row] = _rows(AccessKind.EXPORT)
    assert row.code_list == [received.code] and row.agency == cast.agency


def test_the_reception_look_up_of_an_earlier_applicant_is_logged(
    cast: Cast, received: Dossier
) -> None:
    case = received.case
    data: dict[str, Any] = {
        "applicant_name": "",
        "applicant_id_number": received.applicant_id_number,
        "channel": "in_person",
        "do": "lookup",
    }
    response = _client(cast.alice).post(f"/workspace/reception/{case.pk}/", data)
    assert response.status_code == 200 and response.context["found"]
    [row] = _rows(AccessKind.VIEW)
    assert row.code_list == [received.code] and row.agency == cast.agency


def test_the_bulk_result_page_is_logged(cast: Cast, case: Case) -> None:
    first, second = _receive(cast, case), _receive(cast, case)
    client = _client(cast.alice)
    boxes = [f"{d.code}:{d.revision}" for d in (first, second)]
    posted = client.post(
        "/workspace/bulk/",
        {"action": "forward", "dossier": boxes, "confirm": "1", "note": "Đủ hồ sơ"},
    )
    assert posted.status_code == 302
    assert client.get("/workspace/bulk/result/").status_code == 200
    row = DossierAccess.objects.filter(kind=AccessKind.LIST).latest("pk")
    assert row.path == "/workspace/bulk/result/"
    assert row.code_list == sorted([first.code, second.code])


def test_the_reports_drill_down_is_logged(cast: Cast, received: Dossier) -> None:
    today = timezone.localdate()
    period = {"from": str(today - dt.timedelta(days=1)), "to": str(today)}
    response = _client(cast.frank).get(
        "/workspace/reports/dossiers/", {"metric": "received", **period}
    )
    assert response.status_code == 200
    [row] = _rows(AccessKind.LIST)
    assert row.actor == cast.frank and row.code_list == [received.code]


# --- review --------------------------------------------------------------------------------


def _read(user: User, dossier: Dossier) -> None:
    assert _client(user).get(f"/workspace/dossiers/{dossier.code}/").status_code == 200


def test_the_agency_administrator_reviews_the_agency_s_reads(cast: Cast, received: Dossier) -> None:
    _read(cast.bob, received)
    response = _client(cast.erin).get(REVIEW)
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert [(r.actor, r.kind) for r in shown] == [(cast.bob, AccessKind.VIEW)]
    body = response.content.decode()
    assert received.code in body and "192.0.2.10" in body


def test_a_system_administrator_reviews_any_agency(cast: Cast, received: Dossier) -> None:
    _read(cast.bob, received)
    assert _client(cast.grace).get(REVIEW).status_code == 200


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "frank", "henry", "oscar"])
def test_officers_and_others_may_not_review(cast: Cast, received: Dossier, who: str) -> None:
    _read(cast.bob, received)
    assert _client(getattr(cast, who)).get(REVIEW).status_code == 404


def test_another_agency_s_administrator_may_not_review(cast: Cast, received: Dossier) -> None:
    olga = make_user("olga", (Role.AGENCY_ADMIN, cast.other_agency))
    _read(cast.bob, received)
    assert _client(olga).get(REVIEW).status_code == 404
    own = _client(olga).get("/workspace/admin/H56.23/access-log/")
    assert own.status_code == 200 and not own.context["page"].object_list


def test_anonymous_visitors_are_sent_to_sign_in(cast: Cast) -> None:
    response = Client().get(REVIEW)
    assert response.status_code == 302 and "/workspace/login/" in response["Location"]


def test_another_agency_s_officer_reads_are_not_shown(cast: Cast, case: Case) -> None:
    elsewhere = make_user("otto", (Role.SPECIALIST, cast.other_agency))
    dossier = _receive(cast, case)
    DossierAccess(
        at=timezone.now(), actor=elsewhere, agency=cast.other_agency, kind=AccessKind.VIEW,
        codes=f" {dossier.code} ", count=1,
    ).save()  # fmt: skip
    _read(cast.bob, dossier)
    shown = _client(cast.erin).get(REVIEW).context["page"].object_list
    assert [r.actor for r in shown] == [cast.bob]


def test_the_review_filters_by_officer_dossier_and_dates(cast: Cast, case: Case) -> None:
    first, second = _receive(cast, case), _receive(cast, case)
    _read(cast.bob, first)
    _read(cast.carol, second)
    old = DossierAccess(
        at=timezone.now() - dt.timedelta(days=40), actor=cast.bob, agency=cast.agency,
        kind=AccessKind.VIEW, codes=f" {second.code} ", count=1,
    )  # fmt: skip
    old.save()
    client = _client(cast.erin)

    def shown(**params: str) -> set[int]:
        response = client.get(REVIEW, params)
        assert response.status_code == 200
        return {r.pk for r in response.context["page"].object_list}

    by_bob = set(DossierAccess.objects.filter(actor=cast.bob).values_list("pk", flat=True))
    assert shown(officer="BOB") == by_bob
    assert shown(dossier=second.code) == set(
        DossierAccess.objects.filter(codes__contains=f" {second.code} ").values_list(
            "pk", flat=True
        )
    )
    recent = str(timezone.localdate() - dt.timedelta(days=1))
    assert old.pk not in shown(start=recent) and old.pk in shown()
    assert shown(end=str(timezone.localdate() - dt.timedelta(days=30))) == {old.pk}
    bad = client.get(REVIEW, {"start": "2026-05-02", "end": "2026-05-01"})
    assert bad.status_code == 400


def test_the_review_export_is_csv_and_is_logged(cast: Cast, received: Dossier) -> None:
    _read(cast.bob, received)
    response = _client(cast.erin).get(REVIEW, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("at,username,full_name,kind")
    [header, line] = list(csv.reader(io.StringIO(text)))
    found = dict(zip(header, line, strict=True))
    assert (found["username"], found["kind"], found["dossiers"]) == ("bob", "view", received.code)
    assert found["ip"] == "192.0.2.10"
    exported = DossierAccess.objects.get(kind=AccessKind.EXPORT, actor=cast.erin)
    assert exported.agency == cast.agency and exported.count == 1
