"""The register of digitised papers follows the engine's events: scans at the desk, uploads by
the applicant, the result and its signature."""

import datetime as dt
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.digitisation.models import DigitisedPaper, PaperKind
from motcua.digitisation.recording import on_dossier_event
from motcua.digitisation.tests.factories import HENRY_ID, pdf, scanned_dossier
from motcua.dossiers import documents, event_hooks, intake, services
from motcua.dossiers.signatures import SignedPdf
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.testing import Cast


def test_the_register_is_registered_with_the_engine() -> None:
    assert on_dossier_event in event_hooks.registered()


def test_each_scan_at_reception_is_recorded_with_its_metadata(cast: Cast) -> None:
    """Which catalogue entry, from which dossier, whose paper, who scanned it and when."""
    case = household_business_case(cast.agency)
    now = at("2026-03-09T09:00")
    dossier = scanned_dossier(cast, case, now=now)
    papers = list(DigitisedPaper.objects.order_by("required__position"))
    mandatory = [d for d in case.documents.order_by("position") if d.mandatory]
    assert [p.required for p in papers] == mandatory
    first = papers[0]
    assert first.kind == PaperKind.SCAN
    assert first.dossier == dossier and first.document.dossier == dossier
    assert first.owner_id_number == HENRY_ID and first.owner_name == "Trần Văn Hải"
    assert first.scanned_by == cast.alice and first.scanned_at == now
    assert first.agency == cast.agency
    assert first.name == "Giấy đề nghị đăng ký hộ kinh doanh"
    assert first.name_key == "giay de nghi dang ky ho kinh doanh"
    assert first.sha256 == hashlib.sha256(pdf(f"tp {mandatory[0].pk}")).hexdigest()
    assert first.signed_at is None and first.valid_until is None


def test_a_better_scan_of_the_same_paper_replaces_its_row(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    dossier = scanned_dossier(cast, case)
    document = dossier.documents.exclude(file="").order_by("pk").first()
    assert document is not None
    later = at("2026-03-10T10:00")
    documents.attach(
        dossier, actor=cast.alice, upload=SimpleUploadedFile("ro-hon.pdf", pdf("ro hon")),
        document_id=document.pk, now=later,
    )  # fmt: skip
    rows = DigitisedPaper.objects.filter(document=document)
    assert rows.count() == 1
    assert rows.get().scanned_at == later
    assert rows.get().sha256 == hashlib.sha256(pdf("ro hon")).hexdigest()


def test_a_paper_the_applicant_uploads_is_recorded_as_an_upload(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    submitted = intake.submit_online(
        complete_intake(case, "online"), agency=cast.agency, actor=cast.henry
    )
    item = submitted.documents.order_by("pk").first()
    assert item is not None
    documents.attach(
        submitted, actor=cast.henry, upload=SimpleUploadedFile("to-khai.pdf", pdf()),
        document_id=item.pk,
    )  # fmt: skip
    paper = DigitisedPaper.objects.get(document=item)
    assert paper.kind == PaperKind.UPLOAD and paper.scanned_by == cast.henry


def test_the_result_and_the_leaders_signature_are_recorded(cast: Cast) -> None:
    """The specialist attaches the result; the leader's signature on approval names who signed,
    the certificate and when, and the signed file's checksum."""
    case = household_business_case(cast.agency)
    dossier = scanned_dossier(cast, case, now=at("2026-03-09T08:00"))
    services.forward(dossier, actor=cast.alice, now=at("2026-03-09T09:00"))
    documents.attach(
        dossier, actor=cast.bob, upload=SimpleUploadedFile("giay-chung-nhan.pdf", pdf("kq")),
        result=True, now=at("2026-03-09T10:00"),
    )  # fmt: skip
    result = DigitisedPaper.objects.get(kind=PaperKind.RESULT)
    assert result.scanned_by == cast.bob and result.signed_at is None
    services.forward(dossier, actor=cast.bob, now=at("2026-03-09T11:00"))
    services.forward(dossier, actor=cast.carol, now=at("2026-03-09T12:00"))
    signed_at = at("2026-03-09T13:00")
    signed = SignedPdf(pdf("kq ky so"), "ab" * 32, "Phạm Văn Dũng", signed_at)
    services.approve(dossier, actor=cast.dave, result="GCN 01", signed_result=signed, now=signed_at)
    result.refresh_from_db()
    assert result.signed_by == cast.dave and result.signer_name == "Phạm Văn Dũng"
    assert result.certificate_sha256 == "ab" * 32
    assert result.signed_at == signed_at.astimezone(dt.UTC)
    assert result.sha256 == hashlib.sha256(pdf("kq ky so")).hexdigest()
    assert DigitisedPaper.objects.filter(kind=PaperKind.RESULT).count() == 1


def test_the_desks_signature_on_a_scan_is_recorded_on_its_paper(cast: Cast) -> None:
    """Circular 03/2025: the desk signs the electronic copy of a scanned paper
    (``signatures.keep_signed_copy``); the register names who signed it and when."""
    from motcua.dossiers.signatures import keep_signed_copy

    case = household_business_case(cast.agency)
    dossier = scanned_dossier(cast, case, now=at("2026-03-09T09:00"))
    paper = DigitisedPaper.objects.filter(dossier=dossier).order_by("pk")[0]
    signed_at = at("2026-03-09T09:10")
    keep_signed_copy(
        dossier, actor=cast.alice, document=paper.document, unsigned_sha256=paper.sha256,
        signed=SignedPdf(pdf("ban ky so"), "cd" * 32, "Lê Thị An", signed_at), now=signed_at,
    )  # fmt: skip
    paper.refresh_from_db()
    assert (paper.signed_by, paper.signer_name, paper.certificate_sha256) == (
        cast.alice, "Lê Thị An", "cd" * 32,
    )  # fmt: skip
    assert paper.signed_at == signed_at.astimezone(dt.UTC)
    assert paper.sha256 == hashlib.sha256(pdf(f"tp {paper.required_id}")).hexdigest()
