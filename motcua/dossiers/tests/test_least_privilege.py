"""Least privilege on dossiers (issue 10, item 8): each role reads what its work needs.

Officers of the dossier's agency and its owner read it with its documents; report readers (the
reform officer, the system administrator) drill down from the figures to dossier lists and
details but never to the files (no download, no preview, no file metadata in the API); an
agency administrator, who administers users and processes, reads no dossier at all. Every way
in is checked per role: API list, detail, document file and form PDFs; the workspace dossier
page and its previews; the reports drill-down."""

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalogue.models import Case
from motcua.dossiers import documents, intake
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.testing import Cast

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Who reads what: (dossier in lists and details, the documents' files).
OFFICER = (True, True)
REPORT_READER = (True, False)
NOTHING = (False, False)
EXPECTED = {
    "alice": OFFICER,  # desk officer of the receiving agency
    "bob": OFFICER,  # specialist there
    "carol": OFFICER,  # head of department there
    "dave": OFFICER,  # signing leader there
    "frank": REPORT_READER,  # reform officer (all agencies)
    "grace": REPORT_READER,  # system administrator
    "erin": NOTHING,  # agency administrator
    "henry": NOTHING,  # a citizen, not the owner
    "oscar": NOTHING,  # no role
}


@pytest.fixture
def scanned(cast: Cast, settings: object, tmp_path: object) -> tuple[Dossier, DossierDocument]:
    """A dossier received at alice's desk with the applicant's ID card scanned."""
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    case: Case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    item = dossier.documents.first()
    assert item is not None
    document = documents.attach(
        dossier,
        actor=cast.alice,
        upload=SimpleUploadedFile("cccd.pdf", PDF),
        document_id=item.pk,
    )
    return Dossier.objects.get(pk=dossier.pk), document


def _client(user: User) -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_api_gives_each_role_only_what_it_needs(
    cast: Cast, scanned: tuple[Dossier, DossierDocument], who: str
) -> None:
    dossier, document = scanned
    reads, opens = EXPECTED[who]
    client = _client(getattr(cast, who))
    listed = [d["code"] for d in client.get("/api/v1/dossiers/").json()["results"]]
    assert (dossier.code in listed) == reads
    detail = client.get(f"/api/v1/dossiers/{dossier.code}/")
    assert detail.status_code == (200 if reads else 404)
    if reads:
        assert ("documents" in detail.json()) == opens
    form = client.get(f"/api/v1/dossiers/{dossier.code}/forms/1.pdf")
    assert form.status_code == (200 if reads else 404)
    file = client.get(f"/api/v1/dossiers/{dossier.code}/documents/{document.pk}/file/")
    assert file.status_code == (200 if opens else 403 if reads else 404)
    if opens:
        assert b"".join(file.streaming_content) == PDF  # type: ignore[attr-defined]
    elif reads:
        assert file.json()["code"] == "documents_not_allowed"


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_workspace_shows_documents_only_to_those_who_may_open_them(
    cast: Cast, scanned: tuple[Dossier, DossierDocument], who: str
) -> None:
    dossier, document = scanned
    reads, opens = EXPECTED[who]
    client = _client(getattr(cast, who))
    page = client.get(f"/workspace/dossiers/{dossier.code}/")
    assert page.status_code == (200 if reads else 404)
    file_url = f"/workspace/dossiers/{dossier.code}/documents/{document.pk}/"
    if reads:
        html = page.content.decode()
        assert (file_url in html) == opens  # no link, no <img>, no <iframe> preview
        assert (document.name in html) is True  # the checklist itself is the dossier's
    file = client.get(file_url)
    assert file.status_code == (200 if opens else 403 if reads else 404)


def test_the_owner_opens_their_own_documents(
    cast: Cast, scanned: tuple[Dossier, DossierDocument]
) -> None:
    dossier, document = scanned
    Dossier.objects.filter(pk=dossier.pk).update(owner=cast.henry)
    client = _client(cast.henry)
    file = client.get(f"/api/v1/dossiers/{dossier.code}/documents/{document.pk}/file/")
    assert file.status_code == 200
    assert "documents" in client.get(f"/api/v1/dossiers/{dossier.code}/").json()


def test_the_api_file_download_is_kept_in_no_cache(
    cast: Cast, scanned: tuple[Dossier, DossierDocument]
) -> None:
    dossier, document = scanned
    client = _client(cast.alice)
    file = client.get(f"/api/v1/dossiers/{dossier.code}/documents/{document.pk}/file/")
    assert file.status_code == 200
    assert "no-store" in file["Cache-Control"]
    form = client.get(f"/api/v1/dossiers/{dossier.code}/forms/1.pdf")
    assert "no-store" in form["Cache-Control"]


@pytest.mark.parametrize(
    ("who", "status", "listed"),
    [("frank", 200, True), ("grace", 200, True), ("erin", 403, False), ("oscar", 403, False)],
)
def test_the_reports_drill_down_reaches_the_dossier_but_not_its_files(
    cast: Cast,
    scanned: tuple[Dossier, DossierDocument],
    who: str,
    status: int,
    listed: bool,
) -> None:
    dossier, document = scanned
    today = timezone.localdate().isoformat()
    client = _client(getattr(cast, who))
    found = client.get(f"/workspace/reports/dossiers/?metric=received&from={today}&to={today}")
    assert found.status_code == status
    assert (dossier.code in found.content.decode()) == listed
    if listed:
        page = client.get(f"/workspace/dossiers/{dossier.code}/")
        assert page.status_code == 200
        assert f"/documents/{document.pk}/" not in page.content.decode()
