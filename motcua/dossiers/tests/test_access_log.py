"""The access log of personal data (Decree 13/2023/NĐ-CP): every API read, print, file and
export of a dossier's personal data by someone other than its applicant appends one row (who,
when, which dossiers, from where, what); the applicant reading their own does not; the rows
are never edited; the retention purge deletes only rows older than the setting."""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from motcua.dossiers import access_log, documents, intake
from motcua.dossiers.access_models import AccessKind, DossierAccess
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.events import ImmutableEvent
from motcua.testing import Cast, aware

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BROWSER = "Mozilla/5.0 (X11; Linux) Test"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def received(cast: Cast) -> Dossier:
    case = household_business_case(cast.agency)
    return intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)


def _client(user: Any) -> Client:
    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")
    client.force_login(user)
    return client


def _only() -> DossierAccess:
    rows = list(DossierAccess.objects.all())
    assert len(rows) == 1, rows
    return rows[0]


def test_the_api_detail_logs_who_when_which_dossier_and_from_where(
    cast: Cast, received: Dossier
) -> None:
    response = _client(cast.bob).get(f"/api/v1/dossiers/{received.code}/")
    assert response.status_code == 200
    row = _only()
    assert row.actor == cast.bob and row.agency == cast.agency
    assert row.kind == AccessKind.API and row.code_list == [received.code] and row.count == 1
    assert row.ip == "203.0.113.7" and row.user_agent == BROWSER
    assert row.path == f"/api/v1/dossiers/{received.code}/"


def test_the_api_list_logs_one_row_with_the_page_s_codes(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    made = [
        intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)
        for _ in range(3)
    ]
    response = _client(cast.carol).get("/api/v1/dossiers/")
    assert response.status_code == 200
    row = _only()
    assert row.kind == AccessKind.API_LIST
    assert row.code_list == sorted(d.code for d in made) and row.count == 3


def test_an_empty_list_logs_nothing(cast: Cast) -> None:
    assert _client(cast.alice).get("/api/v1/dossiers/").status_code == 200
    assert not DossierAccess.objects.exists()


def test_the_applicant_reading_their_own_dossier_is_not_logged(
    cast: Cast, received: Dossier
) -> None:
    Dossier.objects.filter(pk=received.pk).update(owner=cast.henry)
    client = _client(cast.henry)
    assert client.get(f"/api/v1/dossiers/{received.code}/").status_code == 200
    assert client.get("/api/v1/dossiers/").status_code == 200
    assert not DossierAccess.objects.exists()


def test_a_refused_read_logs_nothing(cast: Cast, received: Dossier) -> None:
    assert _client(cast.oscar).get(f"/api/v1/dossiers/{received.code}/").status_code == 404
    assert not DossierAccess.objects.exists()


def test_a_printed_form_is_logged(cast: Cast, received: Dossier) -> None:
    response = _client(cast.alice).get(f"/api/v1/dossiers/{received.code}/forms/1.pdf")
    assert response.status_code == 200
    row = _only()
    assert row.kind == AccessKind.PRINT and row.code_list == [received.code]
    assert row.path.endswith("/forms/1.pdf")


def test_a_document_file_from_the_api_is_logged(cast: Cast, received: Dossier) -> None:
    document = documents.attach(
        received, actor=cast.alice, upload=SimpleUploadedFile("scan.pdf", PDF), name="scan"
    )
    response = _client(cast.alice).get(
        f"/api/v1/dossiers/{received.code}/documents/{document.pk}/file"
    )
    assert response.status_code == 200
    row = _only()
    assert row.kind == AccessKind.DOWNLOAD and row.code_list == [received.code]


def test_the_ledger_export_is_logged_with_every_dossier_in_it(
    cast: Cast, received: Dossier
) -> None:
    assert received.received_at is not None
    day = timezone.localtime(received.received_at).date()
    field = received.version.field.code
    params = {"field": field, "start": str(day), "end": str(day), "agency": "H56.22"}
    response = _client(cast.alice).get("/api/v1/ledger.xlsx", params)
    assert response.status_code == 200
    row = _only()
    assert row.kind == AccessKind.EXPORT and row.code_list == [received.code]
    assert row.agency == cast.agency


def test_behind_the_proxy_the_address_is_the_one_the_proxy_added(
    cast: Cast, received: Dossier, settings: Any
) -> None:
    settings.MOTCUA_BEHIND_PROXY = True
    client = _client(cast.bob)
    client.get(f"/api/v1/dossiers/{received.code}/", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.4")
    assert _only().ip == "198.51.100.4"


def test_the_reader_s_agency_is_the_one_through_which_they_read(
    cast: Cast, received: Dossier
) -> None:
    """ivan works in both agencies; the dossier is H56.22's, so the row is H56.22's."""
    _client(cast.ivan).get(f"/api/v1/dossiers/{received.code}/")
    assert _only().agency == cast.agency


def test_a_report_reader_s_read_is_logged_without_an_agency(cast: Cast, received: Dossier) -> None:
    _client(cast.frank).get(f"/api/v1/dossiers/{received.code}/")
    row = _only()
    assert row.actor == cast.frank and row.agency is None


def test_the_log_is_never_edited_nor_deleted_one_by_one(cast: Cast, received: Dossier) -> None:
    _client(cast.bob).get(f"/api/v1/dossiers/{received.code}/")
    row = _only()
    row.codes = " FORGED "
    with pytest.raises(ImmutableEvent):
        row.save()
    with pytest.raises(ImmutableEvent):
        row.delete()
    with pytest.raises(ImmutableEvent):
        DossierAccess.objects.all().delete()


# --- retention -----------------------------------------------------------------------------


def _row_at(cast: Cast, when: dt.datetime) -> DossierAccess:
    row = DossierAccess(at=when, actor=cast.bob, agency=cast.agency, kind=AccessKind.VIEW)
    row.save()
    return row


def test_the_purge_deletes_only_rows_older_than_the_retention(cast: Cast, settings: Any) -> None:
    settings.MOTCUA_ACCESS_LOG_RETENTION_DAYS = 30
    now = aware("2026-06-30T12:00")
    old = _row_at(cast, now - dt.timedelta(days=31))
    edge = _row_at(cast, now - dt.timedelta(days=30))
    young = _row_at(cast, now - dt.timedelta(days=1))

    assert access_log.purge_expired(now=now) == 1

    left = set(DossierAccess.objects.values_list("pk", flat=True))
    assert old.pk not in left and {edge.pk, young.pk} <= left
    purge = DossierAccess.objects.get(kind=AccessKind.PURGE)
    assert purge.count == 1 and purge.actor is None and purge.at == now
    assert access_log.purge_expired(now=now) == 0  # idempotent, the purge's own row kept


def test_a_retention_of_zero_keeps_everything(cast: Cast, settings: Any) -> None:
    settings.MOTCUA_ACCESS_LOG_RETENTION_DAYS = 0
    now = aware("2026-06-30T12:00")
    _row_at(cast, now - dt.timedelta(days=5000))
    assert access_log.purge_expired(now=now) == 0
    assert DossierAccess.objects.count() == 1


def test_the_purge_command_uses_the_setting_or_days(cast: Cast, settings: Any, capsys: Any) -> None:
    settings.MOTCUA_ACCESS_LOG_RETENTION_DAYS = 365
    now = aware("2026-06-30T12:00")
    _row_at(cast, now - dt.timedelta(days=100))
    call_command("purge-access-log", now="2026-06-30T12:00")
    assert DossierAccess.objects.exclude(kind=AccessKind.PURGE).count() == 1
    call_command("purge-access-log", now="2026-06-30T12:00", days=90)
    assert "deleted: 1" in capsys.readouterr().out
    assert not DossierAccess.objects.exclude(kind=AccessKind.PURGE).exists()
