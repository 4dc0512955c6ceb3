"""Forms 01–06 as PDF: each renders for a dossier built through the real services, in
Vietnamese with its diacritics, with the dossier's code; a form that does not apply is
refused; the views check access the way the dossier API does."""

import io
import typing
import unicodedata
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import path
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from motcua.accounts.models import Agency, AgencyKind, Role, User
from motcua.catalogue.models import Case
from motcua.dossiers import intake, printing, printing_forms, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.print_views import form_pdf, ledger_view
from motcua.dossiers.printing import FormNotApplicable, render_form
from motcua.dossiers.printing_forms import Person, Refusal, refusal_pdf
from motcua.dossiers.printing_layout import Heading, QRCode
from motcua.dossiers.tests.factories import (
    assign,
    at,
    complete_intake,
    household_business_case,
)
from motcua.testing import Cast, make_agency, make_user, problems

urlpatterns = [
    path("forms/<str:code>/<str:name>.pdf", form_pdf),
    path("ledger.xlsx", ledger_view),
]


@pytest.fixture
def case(cast: Cast) -> Case:
    case = household_business_case(cast.agency)
    assign(case, cast.other_agency)  # coordinates: dossiers may be transferred there
    return case


@pytest.fixture
def judy(cast: Cast) -> User:
    return make_user("judy", (Role.SPECIALIST, cast.other_agency), full_name="Trần Thị Giang")


@pytest.fixture
def lived(cast: Cast, case: Case, judy: User) -> Dossier:
    """A dossier taken from the desk through a supplement request, a transfer and an apology
    to its return (as in test_lifecycle)."""
    d = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    services.forward(d, actor=cast.alice, to=cast.bob, now=at("2026-03-02T10:00"))
    services.request_supplement(
        d, actor=cast.bob, items=["Bản sao CCCD của chủ hộ", "Sơ đồ địa điểm kinh doanh"],
        reason="Thiếu giấy tờ chứng minh nhân thân", now=at("2026-03-03T09:00"),
    )  # fmt: skip
    services.resubmit(d, actor=cast.alice, now=at("2026-03-05T09:00"))
    services.transfer(d, actor=cast.bob, to_agency=cast.other_agency, allowance=Decimal(1),
                      reason="Xác minh thông tin", now=at("2026-03-05T10:00"))  # fmt: skip
    services.forward(d, actor=judy, to=cast.bob, now=at("2026-03-09T10:00"))
    services.forward(d, actor=cast.bob, to=cast.carol, now=at("2026-03-09T11:00"))
    services.extend(
        d, actor=cast.carol, reason="Chờ kết quả xác minh của cơ quan phối hợp",
        new_return_at=at("2026-03-13T16:00"), now=at("2026-03-10T08:00"),
    )  # fmt: skip
    services.forward(d, actor=cast.carol, to=cast.dave, now=at("2026-03-11T10:00"))
    services.approve(d, actor=cast.dave, result="GCN số 123/HKD", now=at("2026-03-12T09:00"))
    services.return_result(
        d,
        actor=cast.alice,
        method="in_person",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-12T14:00"),
    )
    return d


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


HEADING = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def test_form_01_is_the_receipt_with_the_appointment_and_documents(lived: Dossier) -> None:
    text = pdf_text(render_form(lived, 1))
    for expected in [
        *HEADING,
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: H56.22-260302-0001",
        "Mẫu số 01",
        "Số: 01/TTPVHCC",
        "Nguyễn Văn Bình",
        "087090001234",
        "binh@example.vn",
        "Đăng ký thành lập hộ kinh doanh",
        "Giấy đề nghị đăng ký hộ kinh doanh",
        "Bản chính",
        "5 ngày làm việc",
        "09:00 ngày 02/03/2026",
        # The appointment moved by the two working days of the supplement pause.
        "09:00 ngày 11/03/2026",
        "http://127.0.0.1:8000/tra-cuu/H56.22-260302-0001",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Alice",
    ]:
        assert expected in text, expected
    assert "Hợp đồng thuê địa điểm" not in text  # optional and not brought


def test_form_01_qr_code_carries_the_public_tracking_address(
    lived: Dossier, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MOTCUA_SITE_URL = "https://motcua.example.vn/"  # type: ignore[attr-defined]
    payloads: list[str] = []

    class Recording(QRCode):
        def __init__(self, payload: str, size: float) -> None:
            payloads.append(payload)
            super().__init__(payload, size)

    monkeypatch.setattr(printing_forms, "QRCode", Recording)
    text = pdf_text(render_form(lived, 1))
    url = "https://motcua.example.vn/tra-cuu/H56.22-260302-0001"
    assert payloads == [url]
    assert url in text
    # What segno encodes is exactly the URL, in byte mode, at medium error correction.
    qr = Recording(url, 10).qr
    assert qr.error == "M" and qr.mode == "byte"


def test_form_01_links_to_the_portal_at_public_base_url_when_it_is_set(
    lived: Dossier, settings: object
) -> None:
    """PUBLIC_BASE_URL (the citizens' portal) wins over MOTCUA_SITE_URL."""
    settings.MOTCUA_SITE_URL = "https://noi-bo.example.vn"  # type: ignore[attr-defined]
    settings.PUBLIC_BASE_URL = "https://dichvucong.example.vn/"  # type: ignore[attr-defined]
    text = pdf_text(render_form(lived, 1))
    assert "https://dichvucong.example.vn/tra-cuu/H56.22-260302-0001" in text
    assert "noi-bo.example.vn" not in text


def test_form_01_prints_the_dossiers_own_tracking_pin(lived: Dossier, cast: Cast) -> None:
    """Each dossier gets its own random PIN at intake, printed on its receipt."""
    other = intake.receive_new_dossier(
        complete_intake(lived.case), agency=cast.agency, actor=cast.alice
    )
    assert len(lived.tracking_pin) == 8
    assert lived.tracking_pin != other.tracking_pin
    text = pdf_text(render_form(lived, 1))
    assert f"Mã PIN tra cứu (giữ bí mật): {lived.tracking_pin}" in text


def test_form_02_lists_each_missing_item_with_the_reason_and_the_officer(
    lived: Dossier, cast: Cast
) -> None:
    text = pdf_text(render_form(lived, 2))
    for expected in [
        *HEADING,
        "Mẫu số 02",
        "Số: …/PBS",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "H56.22-260302-0001",
        "1. Bản sao CCCD của chủ hộ",
        "2. Sơ đồ địa điểm kinh doanh",
        "Lý do: Thiếu giấy tờ chứng minh nhân thân",
        "Bob",
    ]:
        assert expected in text, expected


def test_form_02_prints_from_the_desk_checklist_before_any_dossier_exists(
    cast: Cast, case: Case
) -> None:
    data = complete_intake(case)
    data.checklist = data.checklist[:1]
    notice = printing.supplement_for_intake(
        data, agency=cast.agency, officer=cast.alice, now=at("2026-03-02T09:00")
    )
    assert notice.items == ["Bản sao giấy tờ pháp lý của chủ hộ"]
    text = pdf_text(printing_forms.supplement_pdf(notice))
    assert "1. Bản sao giấy tờ pháp lý của chủ hộ" in text
    assert "ngày 02 tháng 03 năm 2026" in text
    assert not Dossier.objects.exists()
    with pytest.raises(FormNotApplicable):
        printing.supplement_for_intake(
            complete_intake(case), agency=cast.agency, officer=cast.alice,
            now=at("2026-03-02T09:00"),
        )  # fmt: skip


def test_form_03_gives_the_reasons_for_refusal(cast: Cast, case: Case) -> None:
    refused = intake.refuse_at_desk(
        complete_intake(case), agency=cast.agency, actor=cast.alice,
        reasons=["Ngành nghề kinh doanh bị cấm", "Hồ sơ giả mạo"], now=at("2026-03-02T09:00"),
    )  # fmt: skip
    text = pdf_text(render_form(refused, 3))
    for expected in [
        *HEADING,
        "Mẫu số 03",
        "Số: …/PTC",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        refused.code,
        "087090001234",
        "1. Ngành nghề kinh doanh bị cấm",
        "2. Hồ sơ giả mạo",
    ]:
        assert expected in text, expected
    for number in (1, 2, 4, 5, 6):  # never received: nothing else applies
        with pytest.raises(FormNotApplicable):
            render_form(refused, number)


def test_form_04_apologises_with_the_original_and_the_new_date(lived: Dossier) -> None:
    text = pdf_text(render_form(lived, 4))
    for expected in [
        *HEADING,
        "Mẫu số 04",
        "Số: …/PXL",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "Kính gửi: Nguyễn Văn Bình",
        "Ngày 02/03/2026",
        "H56.22-260302-0001",
        "09:00 ngày 11/03/2026",  # the appointment when the apology was made
        "Chờ kết quả xác minh của cơ quan phối hợp",
        "16:00 ngày 13/03/2026",
        "THỦ TRƯỞNG CƠ QUAN",
        "Carol",
    ]:
        assert expected in text, expected


def test_form_04_is_refused_without_an_apology(cast: Cast, case: Case) -> None:
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    with pytest.raises(FormNotApplicable, match=r"Mẫu số 04 .* does not apply"):
        render_form(dossier, 4)
    with pytest.raises(FormNotApplicable):
        render_form(dossier, 2)
    with pytest.raises(FormNotApplicable):
        render_form(dossier, 3)
    for number in (0, 7, 8):
        with pytest.raises(FormNotApplicable, match="There is no form"):
            render_form(dossier, number)


def test_form_01_waits_for_reception_of_an_online_submission(cast: Cast, case: Case) -> None:
    online = intake.submit_online(complete_intake(case, "online"), agency=cast.agency,
                                  actor=cast.henry, now=at("2026-03-02T09:00"))  # fmt: skip
    for number in (1, 6):
        with pytest.raises(FormNotApplicable):
            render_form(online, number)
    services.receive(online, actor=cast.alice, now=at("2026-03-02T10:00"))
    assert online.code in pdf_text(render_form(online, 1))


def test_form_06_has_one_row_per_step_with_its_result(lived: Dossier) -> None:
    text = pdf_text(render_form(lived, 6))
    for expected in [
        *HEADING,
        "Mẫu số 06",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Mã hồ sơ: H56.22-260302-0001",
        "Cơ quan phối hợp giải quyết hồ sơ: Sở Tư pháp",
        "Thẩm định hồ sơ",
        "Xác minh thông tin",
        "Trần Thị Giang",  # judy handed it over late
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
    ]:
        assert expected in text, expected
    sheet = printing.control_sheet_for(lived)
    # The other agency hands back to the specialist who asked (Bob), whose step runs again.
    assert [r.result for r in sheet.rows] == [
        "Đúng hạn", "Trước hạn", "Quá hạn", "Trước hạn", "Quá hạn", "Đúng hạn", "Đúng hạn",
    ]  # fmt: skip
    centre = "Trung tâm Phục vụ hành chính công tỉnh"
    # Each row names its receiver, with their agency where it is not the row's own; the
    # transfer to the other agency names who took it there, the return names the applicant.
    assert [(r.giver, r.receiver) for r in sheet.rows] == [
        ("Alice", "Bob"),
        ("Bob", "Trần Thị Giang (Sở Tư pháp)"),
        ("Trần Thị Giang", f"Bob ({centre})"),
        ("Bob", "Carol"),
        ("Carol", "Dave"),
        ("Dave", "Alice"),
        ("Alice", "Nguyễn Văn Bình"),
    ]
    # The agency is named where it changes, not on every row; the unit is never cut.
    assert [r.agency for r in sheet.rows] == [centre, "", "Sở Tư pháp", centre, "", "", ""]
    assert [r.unit for r in sheet.rows][:2] == ["Bộ phận Một cửa", "Phòng chuyên môn"]
    assert "Nhận: Trần Thị Giang (Sở Tư pháp)" in text


def test_the_font_is_embedded_and_decomposed_or_marked_up_input_prints_safely() -> None:
    """Text in NFD (as some keyboards and PDFs produce it) prints as whole letters; markup
    characters in names are text, not tags."""
    nfd = unicodedata.normalize("NFD", "Lê Thị Ngọc Ánh")
    pdf = refusal_pdf(
        Refusal(
            heading=Heading(agency="UBND xã Mỹ Hội", place="Mỹ Hội"),
            receiving_unit="Bộ phận Một cửa",
            applicant=Person(name=f"{nfd} <b>&</b>"),
            request="Cấp bản sao trích lục hộ tịch",
            reasons=["Không thuộc thẩm quyền"],
        )
    )
    text = pdf_text(pdf)
    assert "Lê Thị Ngọc Ánh <b>&</b>" in text
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    resources = typing.cast(DictionaryObject, page["/Resources"])
    fonts = {
        name: typing.cast(DictionaryObject, ref.get_object())
        for name, ref in typing.cast(DictionaryObject, resources["/Font"]).items()
    }
    # ReportLab always lists Helvetica as a resource (its empty initial text state); no
    # glyph is drawn with it.
    used = {name: f for name, f in fonts.items() if str(f["/BaseFont"]) != "/Helvetica"}
    assert used and all(
        "/FontFile2" in typing.cast(DictionaryObject, f["/FontDescriptor"]) for f in used.values()
    )
    assert all("DejaVuSerif" in str(f["/BaseFont"]) for f in used.values())


# Views -------------------------------------------------------------------------------------


@pytest.mark.urls("motcua.dossiers.tests.test_printing")
def test_an_officer_of_the_agency_gets_the_pdf_inline(lived: Dossier, cast: Cast) -> None:
    client = Client()
    client.force_login(cast.alice)
    response = client.get(f"/forms/{lived.code}/control-sheet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{lived.code}-mau-06.pdf"'
    assert lived.code in pdf_text(response.content)


@pytest.mark.urls("motcua.dossiers.tests.test_printing")
def test_unknown_or_inapplicable_forms_are_404_with_a_reason(cast: Cast, case: Case) -> None:
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    client = Client()
    client.force_login(cast.alice)
    for number, message in (
        (4, "Mẫu số 04 (Văn bản xin lỗi"),
        ("apology", "does not apply"),
        (9, "There is no form “9”"),
        ("ledger", "There is no form “ledger”"),
    ):
        response = client.get(f"/forms/{dossier.code}/{number}.pdf", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert problems(response) == ["form_not_applicable"]
        assert message in response.json()["message"]  # the reason


@pytest.mark.urls("motcua.dossiers.tests.test_printing")
def test_other_agencies_and_anonymous_users_get_404(cast: Cast, case: Case) -> None:
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    third: Agency = make_agency("H56.40", "Sở Y tế", AgencyKind.PROVINCIAL_DEPARTMENT)
    kim = make_user("kim", (Role.DESK_OFFICER, third))
    url = f"/forms/{dossier.code}/1.pdf"
    assert Client().get(url).status_code == 404
    for user in (kim, cast.oscar, cast.henry):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client = Client()
    client.force_login(cast.frank)  # reform officer for every agency reads every dossier
    assert client.get(url).status_code == 200
