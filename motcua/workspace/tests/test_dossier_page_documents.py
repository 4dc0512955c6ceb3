"""The dossier page's documents, prints and fees: attaching scans through the page (and at
the desk), previews only for those who may read the dossier, wrong or oversized files refused
next to the field, print links only for the forms that apply, amounts grouped by thousands."""

import struct
import zlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from motcua.accounts.models import Role
from motcua.catalogue import services as catalogue
from motcua.catalogue.models import AssignmentRole, Case
from motcua.dossiers import documents, intake, services
from motcua.dossiers.form_numbering import Form, numbered
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.printing import applicable_forms, not_applicable_reason
from motcua.dossiers.tests.factories import complete_intake
from motcua.dossiers.workflow import Action
from motcua.testing import Cast, field_codes, make_user, problems
from motcua.workspace.templatetags.money import format_vnd

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(width: int = 4, height: int = 3, pixels: Callable[[int, int], int] | None = None) -> bytes:
    """A real greyscale PNG image (grey, or ``pixels(x, y)`` 0–255), built by hand so that a
    browser can draw it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    shade = pixels or (lambda x, y: 0x80)
    rows = b"".join(b"\x00" + bytes(shade(x, y) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _url(dossier: Dossier, suffix: str = "") -> str:
    return f"/workspace/dossiers/{dossier.code}/{suffix}"


def _attach(client: Client, dossier: Dossier, *files: tuple[str, bytes], **extra: Any) -> Any:
    dossier.refresh_from_db()
    data: dict[str, Any] = {
        "revision": dossier.revision,
        "uploads": [SimpleUploadedFile(name, content) for name, content in files],
        **extra,
    }
    return client.post(_url(dossier, "attach/"), data)


# --- attaching -----------------------------------------------------------------------------


def test_the_desk_sees_the_attach_form_and_attaches_several_scans(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.alice)
    page = client.get(_url(received))
    assert page.context["attach_form"] is not None
    assert 'enctype="multipart/form-data"' in page.content.decode()
    before = received.documents.count()

    response = _attach(client, received, ("scan-1.png", png()), ("scan-2.pdf", PDF))

    assert response.status_code == 302
    assert response["Location"] == _url(received) + "#documents"
    added = list(received.documents.exclude(file="").order_by("pk"))
    assert [d.content_type for d in added] == ["image/png", "application/pdf"]
    assert received.documents.count() == before + 2
    assert received.events.filter(action=Action.ATTACH).count() == 2
    body = client.get(_url(received)).content.decode()
    assert f'<img src="/workspace/dossiers/{received.code}/documents/{added[0].pk}/"' in body
    assert f'<iframe src="/workspace/dossiers/{received.code}/documents/{added[1].pk}/"' in body


def test_a_scan_can_fill_a_checklist_document(
    client: Client, cast: Cast, received: Dossier
) -> None:
    target = received.documents.filter(file="").first()
    assert target is not None
    client.force_login(cast.alice)
    response = _attach(client, received, ("to-khai.pdf", PDF), document=str(target.pk))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.content_type == "application/pdf" and target.provided and target.file


def test_one_checklist_document_takes_one_file(
    client: Client, cast: Cast, received: Dossier
) -> None:
    target = received.documents.first()
    assert target is not None
    client.force_login(cast.alice)
    response = _attach(client, received, ("a.pdf", PDF), ("b.pdf", PDF), document=str(target.pk))
    assert response.status_code == 400
    assert "uploads" in response.context["attach_form"].errors
    assert not received.documents.exclude(file="").exists()


def test_a_file_of_the_wrong_type_is_refused_next_to_the_field_and_nothing_is_stored(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.alice)
    response = _attach(
        client, received, ("ok.png", png()), ("virus.exe", b"MZ\x90\x00 not a scan"),
        name="Giấy tờ bổ sung",
    )  # fmt: skip
    assert response.status_code == 400
    form = response.context["attach_form"]
    assert "virus.exe" in form.errors["uploads"][0]
    page = response.content.decode()
    assert 'class="field-error"' in page and "virus.exe" in page
    assert 'value="Giấy tờ bổ sung"' in page  # what was typed is kept
    assert not received.documents.exclude(file="").exists()  # not even the good one
    assert not received.events.filter(action=Action.ATTACH).exists()


def test_a_file_over_the_limit_is_refused(
    client: Client, cast: Cast, received: Dossier, settings: Any
) -> None:
    settings.MOTCUA_MAX_UPLOAD_BYTES = 2**20
    client.force_login(cast.alice)
    big = PDF + b"0" * 2**20
    response = _attach(client, received, ("big.pdf", big))
    assert response.status_code == 400
    assert "1 MB" in response.context["attach_form"].errors["uploads"][0]
    assert not received.documents.exclude(file="").exists()


def test_those_the_workflow_does_not_allow_see_no_attach_form_and_are_refused(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.bob)  # a specialist: the dossier is still at the desk
    assert client.get(_url(received)).context["attach_form"] is None
    response = _attach(client, received, ("scan.png", png()))
    assert response.status_code == 403
    assert not received.documents.exclude(file="").exists()


def test_officers_of_other_agencies_and_outsiders_cannot_attach(
    client: Client, cast: Cast, received: Dossier
) -> None:
    judy = make_user("judy", (Role.DESK_OFFICER, cast.other_agency))
    for user in (judy, cast.oscar, cast.henry):
        client.force_login(user)
        assert _attach(client, received, ("scan.png", png())).status_code == 404
    assert not received.documents.exclude(file="").exists()


def test_a_stale_revision_attaches_nothing(client: Client, cast: Cast, received: Dossier) -> None:
    client.force_login(cast.alice)
    response = client.post(
        _url(received, "attach/"),
        {"revision": received.revision - 1, "uploads": [SimpleUploadedFile("a.png", png())]},
    )
    assert response.status_code == 409
    assert not received.documents.exclude(file="").exists()


# --- preview -------------------------------------------------------------------------------


def _stored(dossier: Dossier, actor: Any, name: str, content: bytes) -> DossierDocument:
    return documents.attach(dossier, actor=actor, upload=SimpleUploadedFile(name, content))


def test_a_preview_is_served_inline_with_the_sniffed_type(
    client: Client, cast: Cast, received: Dossier
) -> None:
    # The browser's claim says HTML; the content is a PNG (a name ending in .html is refused:
    # test_documents.py).
    doc = documents.attach(
        received,
        actor=cast.alice,
        upload=SimpleUploadedFile("trick.png", png(), content_type="text/html"),
    )
    client.force_login(cast.bob)  # reads the dossier, may not attach: still sees the scan
    response = client.get(_url(received, f"documents/{doc.pk}/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # the PDF preview is an iframe
    assert b"".join(response.streaming_content) == png()  # type: ignore[attr-defined]


def test_a_document_of_another_agencys_dossier_is_a_404(
    client: Client, cast: Cast, received: Dossier
) -> None:
    doc = _stored(received, cast.alice, "scan.pdf", PDF)
    judy = make_user("judy", (Role.SPECIALIST, cast.other_agency))
    for user in (judy, cast.henry, cast.oscar):
        client.force_login(user)
        assert client.get(_url(received, f"documents/{doc.pk}/")).status_code == 404


def test_a_document_asked_for_under_another_dossier_is_a_404(
    client: Client, cast: Cast, received: Dossier, case: Case
) -> None:
    doc = _stored(received, cast.alice, "scan.pdf", PDF)
    # judy receives a dossier at her own agency; she cannot reach alice's scan through it.
    judy = make_user("judy", (Role.DESK_OFFICER, cast.other_agency))
    for role in (AssignmentRole.RECEIVING, AssignmentRole.COMPETENT):
        catalogue.assign_procedure(case.version.procedure, cast.other_agency, role, actor=None)
    theirs = intake.receive_new_dossier(complete_intake(case), agency=cast.other_agency, actor=judy)
    client.force_login(judy)
    assert client.get(_url(theirs)).status_code == 200
    assert client.get(_url(theirs, f"documents/{doc.pk}/")).status_code == 404


def test_a_checklist_item_without_a_file_has_no_preview(
    client: Client, cast: Cast, received: Dossier
) -> None:
    empty = received.documents.filter(file="").first()
    assert empty is not None
    client.force_login(cast.alice)
    assert client.get(_url(received, f"documents/{empty.pk}/")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_for_a_preview(
    client: Client, cast: Cast, received: Dossier
) -> None:
    doc = _stored(received, cast.alice, "scan.pdf", PDF)
    response = client.get(_url(received, f"documents/{doc.pk}/"))
    assert response.status_code == 302
    assert response["Location"].startswith("/workspace/login/")


# --- desk reception ------------------------------------------------------------------------


def test_scans_chosen_at_the_desk_are_attached_on_receipt(
    client: Client, cast: Cast, case: Case
) -> None:
    docs = list(case.documents.all())
    data: dict[str, Any] = {
        "applicant_name": "Trần Thị Hoa",
        "applicant_id_number": "087190005678",
        "channel": "in_person",
        "reasons": "",
        "do": "receive",
    }
    for d in docs:
        data[f"copies_{d.pk}"] = d.copies
        if d.mandatory:
            data[f"doc_{d.pk}"] = "on"
    first, optional = docs[0], next(d for d in docs if not d.mandatory)
    data[f"scan_{first.pk}"] = SimpleUploadedFile("de-nghi.pdf", PDF)
    # An optional document not ticked, but scanned: it was handed in.
    data[f"scan_{optional.pk}"] = SimpleUploadedFile("hop-dong.png", png())
    client.force_login(cast.alice)

    response = client.post(f"/workspace/reception/{case.pk}/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    scanned = {d.required_id: d for d in dossier.documents.exclude(file="")}
    assert scanned[first.pk].content_type == "application/pdf"
    assert scanned[optional.pk].content_type == "image/png"
    assert scanned[optional.pk].provided
    assert dossier.events.filter(action=Action.ATTACH).count() == 2


def test_a_wrong_scan_at_the_desk_is_refused_next_to_its_row_and_nothing_is_received(
    client: Client, cast: Cast, case: Case
) -> None:
    docs = list(case.documents.all())
    data: dict[str, Any] = {
        "applicant_name": "Trần Thị Hoa",
        "channel": "in_person",
        "reasons": "",
        "do": "receive",
    }
    for d in docs:
        data[f"copies_{d.pk}"] = d.copies
        data[f"doc_{d.pk}"] = "on"
    data[f"scan_{docs[0].pk}"] = SimpleUploadedFile("note.txt", b"just text")
    client.force_login(cast.alice)
    response = client.post(f"/workspace/reception/{case.pk}/", data)
    assert response.status_code == 400
    assert f"scan_{docs[0].pk}" in response.context["form"].errors
    assert 'value="Trần Thị Hoa"' in response.content.decode()
    assert not Dossier.objects.exists()


# --- print links ---------------------------------------------------------------------------


def test_only_the_forms_that_apply_are_linked(
    client: Client, cast: Cast, received: Dossier
) -> None:
    """The dossier page links each form that applies by its kind, labelled with its number in
    the 2025 numbering (the control sheet is Form 06)."""
    client.force_login(cast.alice)
    context = client.get(_url(received)).context
    links = [name for name, _ in context["print_forms"]]
    assert links == ["receipt", "control-sheet"]
    assert applicable_forms(received) == [Form.RECEIPT, Form.CONTROL_SHEET]
    labels = dict(context["print_forms"])
    assert labels["control-sheet"].startswith("Mẫu 06")
    services.forward(received, actor=cast.alice)
    received.refresh_from_db()
    services.request_supplement(received, actor=cast.bob, items=["Bản sao CCCD"], reason="")
    links = [name for name, _ in client.get(_url(received)).context["print_forms"]]
    assert links == ["receipt", "supplement", "control-sheet"]
    page = client.get(_url(received)).content.decode()
    assert f"/api/v1/dossiers/{received.code}/forms/supplement.pdf" in page
    assert f"/api/v1/dossiers/{received.code}/forms/apology.pdf" not in page


def test_the_print_view_refuses_with_the_same_reason(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.alice)
    reasons = not_applicable_reason(received)
    assert set(reasons) == {Form.SUPPLEMENT, Form.REFUSAL, Form.APOLOGY, Form.STOP_NOTICE}
    for form in reasons:
        for name in (form.value, str(numbered(form).number)):
            response = client.get(f"/api/v1/dossiers/{received.code}/forms/{name}.pdf")
            assert response.status_code == 404
            with translation.override("vi"):
                expected = not_applicable_reason(received)[form]
            assert problems(response) == ["form_not_applicable"]
            assert response.json()["message"] == expected  # the same reason as the page gives
    assert client.get(f"/api/v1/dossiers/{received.code}/forms/1.pdf").status_code == 200


# --- fees ----------------------------------------------------------------------------------


def test_amounts_are_grouped_by_thousands_in_each_language() -> None:
    with translation.override("en"):
        assert format_vnd(Decimal(1500000)) == "1,500,000 VND"
        assert format_vnd(0) == "0 VND"
    with translation.override("vi"):
        assert format_vnd(Decimal(1500000)).startswith("1.500.000 ")


def test_the_dossier_page_and_the_reception_show_fees_grouped(
    client: Client, cast: Cast, received: Dossier, case: Case
) -> None:
    client.force_login(cast.alice)
    client.cookies["django_language"] = "en"
    page = client.get(_url(received), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "100,000 VND due, 0 VND paid" in page
    reception = client.get(f"/workspace/reception/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "100,000 VND" in reception.content.decode()
    client.cookies["django_language"] = "vi"
    assert "100.000 " in client.get(_url(received)).content.decode()


def test_the_dossier_page_lists_the_procedure_s_fees_paid_and_owed(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.alice)
    page = client.get(_url(received)).content.decode()
    assert "Lệ phí đăng ký: 100.000 đồng" in page
    assert 'data-owed="100000">100.000 đồng<' in page
    response = client.post(
        _url(received, "act/collect_fee/"),
        {"revision": received.revision, "amount": "100000", "receipt": "0000123", "method": "cash"},
    )
    assert response.status_code == 302
    page = client.get(_url(received)).content.decode()
    assert "phải nộp 100.000 đồng, đã nộp 100.000 đồng" in page
    assert 'data-owed="0">0 đồng<' in page
    assert "biên lai 0000123" in page and "tiền mặt" in page  # the event log's payment line


def test_the_fee_form_keeps_the_input_and_shows_the_refusal(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.alice)
    response = client.post(
        _url(received, "act/collect_fee/"),
        {"revision": received.revision, "amount": "250000", "receipt": "77", "method": "card"},
    )
    assert response.status_code == 400
    form = dict((n, f) for n, _, f in response.context["action_forms"])["collect_fee"]
    assert field_codes(form) == {"amount": ["fee_more_than_owed"]}
    assert form.errors["amount"] == ["Chỉ còn nợ 100.000 đồng trên hồ sơ này."]  # in Vietnamese
    assert 'value="77"' in response.content.decode()
    received.refresh_from_db()
    assert received.fees_paid == 0


def test_returning_at_the_desk_with_a_fee_owed_asks_for_the_reason(
    client: Client, cast: Cast, received: Dossier
) -> None:
    services.forward(received, actor=cast.alice)
    services.forward(received, actor=cast.bob)
    services.forward(received, actor=cast.carol)
    services.approve(received, actor=cast.dave, result="GCN số 1")
    client.force_login(cast.alice)
    url = _url(received, "act/return_result/")
    form = {"revision": received.revision, "method": "in_person"}
    response = client.post(url, form)
    assert response.status_code == 400
    returning = dict((n, f) for n, _, f in response.context["action_forms"])["return_result"]
    assert field_codes(returning) == {"unpaid_reason": ["return_unpaid_fee"]}
    assert client.post(url, {**form, "unpaid_reason": "Được miễn lệ phí"}).status_code == 302
    received.refresh_from_db()
    assert received.status == "10"
    assert received.events.get(action="return_result").data["unpaid_reason"] == ("Được miễn lệ phí")
