# ruff: noqa: F811 - the fixtures of test_printing are imported by name and taken as arguments
"""The forms follow Circular 03/2025/TT-VPCP's numbering (01–07) by default and Circular
01/2018/TT-VPCP's (01–06) by setting; `stop` prints Form 05, the notice of stopping processing;
receipt numbers run on through the year instead of restarting each day."""

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django.fixtures import Settings as SettingsWrapper

from motcua.catalogue.models import Case
from motcua.dossiers import intake, printing, services
from motcua.dossiers.form_numbering import Form, form_for_name, form_for_number, numbered
from motcua.dossiers.ledger import ledger_dossiers, ledger_pdf, ledger_xlsx
from motcua.dossiers.models import Dossier, ReceiptCounter
from motcua.dossiers.printing import FormNotApplicable, render_form
from motcua.dossiers.tests.factories import assign, at, complete_intake
from motcua.dossiers.tests.test_printing import case, judy, lived, pdf_text  # noqa: F401
from motcua.testing import Cast


def _receive(cast: Cast, case: Case, when: str) -> Dossier:
    return intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at(when)
    )


def _stopped(cast: Cast, case: Case) -> Dossier:
    dossier = _receive(cast, case, "2026-03-03T09:00")
    services.stop(
        dossier, actor=cast.carol, now=at("2026-03-04T10:00"),
        reason="Cơ quan có thẩm quyền đã tạm dừng đăng ký ngành nghề này",
    )  # fmt: skip
    return dossier


# --- numbering -----------------------------------------------------------------------------


def test_the_2025_numbering_is_the_default(settings: SettingsWrapper) -> None:
    """Circular 03/2025: 01 receipt … 04 apology and extension, 05 stopping notice, 06 control
    sheet, 07 ledger; the numbered addresses read the same numbers."""
    del settings.MOTCUA_FORM_NUMBERING  # as when the variable is unset: the settings' default
    expected = [
        (Form.RECEIPT, 1, "TTPVHCC"),
        (Form.SUPPLEMENT, 2, "PBS"),
        (Form.REFUSAL, 3, "PTC"),
        (Form.APOLOGY, 4, "PXL"),
        (Form.STOP_NOTICE, 5, ""),
        (Form.CONTROL_SHEET, 6, ""),
        (Form.LEDGER, 7, ""),
    ]
    for form, number, symbol in expected:
        assert (numbered(form).number, numbered(form).symbol) == (number, symbol)
        assert form_for_number(number) == form == form_for_name(f"{number:02d}")
        assert form_for_name(form.value) == form
    assert numbered(Form.APOLOGY).title == (
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    )
    assert form_for_name("8") is None and form_for_name("nothing") is None


def test_forms_print_their_2025_number_and_symbol(lived: Dossier, cast: Cast, case: Case) -> None:
    stopped = _stopped(cast, case)
    printed = {
        Form.RECEIPT: ("Mẫu số 01", "Số: 01/TTPVHCC"),
        Form.SUPPLEMENT: ("Mẫu số 02", "Số: …/PBS"),
        Form.APOLOGY: ("Mẫu số 04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
        Form.CONTROL_SHEET: ("Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    }
    for form, lines in printed.items():
        text = pdf_text(render_form(lived, form))
        for line in lines:
            assert line in text, (form, line)
    assert "Mẫu số 05" in pdf_text(render_form(stopped, 5))
    field = lived.version.field
    ledger = ledger_pdf(
        ledger_dossiers(cast.agency, field, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        title="Sổ theo dõi hồ sơ", field_name=field.name,
        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
    )  # fmt: skip
    assert "Mẫu số 07" in pdf_text(ledger)
    workbook = ledger_xlsx(
        ledger_dossiers(cast.agency, field, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        title="Sổ theo dõi hồ sơ", field_name=field.name,
        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
    )  # fmt: skip
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None and sheet.cell(1, sheet.max_column).value == "Mẫu số 07"


def test_the_2018_numbering_is_a_setting(
    lived: Dossier, cast: Cast, case: Case, settings: SettingsWrapper
) -> None:
    """With MOTCUA_FORM_NUMBERING=2018 the control sheet is Form 05 and the ledger Form 06;
    the apology keeps its 2018 title; the stopping notice, which 2018 did not have, prints
    without a number."""
    settings.MOTCUA_FORM_NUMBERING = "2018"
    stopped = _stopped(cast, case)
    sheet = pdf_text(render_form(lived, 5))
    assert "Mẫu số 05" in sheet and "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in sheet
    apology = pdf_text(render_form(lived, Form.APOLOGY))
    assert "Mẫu số 04" in apology and "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology
    notice = pdf_text(render_form(stopped, Form.STOP_NOTICE))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in notice and "Mẫu số" not in notice
    with pytest.raises(FormNotApplicable, match="There is no form 6"):
        render_form(lived, 6)  # the 2018 ledger is not a dossier's form
    assert form_for_number(6) == Form.LEDGER
    field = lived.version.field
    ledger = ledger_pdf(
        ledger_dossiers(cast.agency, field, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        title="Sổ theo dõi hồ sơ", field_name=field.name,
        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
    )  # fmt: skip
    assert "Mẫu số 06" in pdf_text(ledger)


def test_named_and_numbered_addresses_give_the_same_form(
    lived: Dossier, cast: Cast, settings: SettingsWrapper
) -> None:
    """``/forms/control-sheet.pdf`` always; ``/forms/6.pdf`` in the 2025 numbering and
    ``/forms/5.pdf`` in the 2018 one, the file named by the number in force."""
    client = Client()
    client.force_login(cast.alice)
    base = f"/api/v1/dossiers/{lived.code}/forms"
    named = client.get(f"{base}/control-sheet.pdf")
    assert named.status_code == 200
    assert named["Content-Disposition"] == f'inline; filename="{lived.code}-mau-06.pdf"'
    assert pdf_text(client.get(f"{base}/6.pdf").content) == pdf_text(named.content)
    assert client.get(f"{base}/5.pdf").status_code == 404  # not stopped: no Form 05
    assert client.get(f"{base}/ledger.pdf").status_code == 404
    settings.MOTCUA_FORM_NUMBERING = "2018"
    old = client.get(f"{base}/5.pdf")
    assert old.status_code == 200
    assert old["Content-Disposition"] == f'inline; filename="{lived.code}-mau-05.pdf"'
    assert "Mẫu số 05" in pdf_text(old.content)


# --- Form 05: notice of stopping processing ------------------------------------------------


def test_stop_prints_form_05_with_the_reason(cast: Cast, case: Case) -> None:
    dossier = _receive(cast, case, "2026-03-03T09:00")
    with pytest.raises(FormNotApplicable, match="Mẫu số 05"):
        render_form(dossier, Form.STOP_NOTICE)
    assert Form.STOP_NOTICE not in printing.applicable_forms(dossier)
    services.stop(
        dossier, actor=cast.carol, now=at("2026-03-04T10:00"),
        reason="Cơ quan có thẩm quyền đã tạm dừng đăng ký ngành nghề này",
    )  # fmt: skip
    dossier.refresh_from_db()
    assert Form.STOP_NOTICE in printing.applicable_forms(dossier)
    text = pdf_text(render_form(dossier, Form.STOP_NOTICE))
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Mẫu số 05",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Nguyễn Văn Bình",
        "Ngày 03/03/2026",
        "Đăng ký thành lập hộ kinh doanh",
        f"Mã hồ sơ: {dossier.code}",
        "dừng giải quyết hồ sơ nêu trên kể từ 10:00 ngày 04/03/2026",
        "Cơ quan có thẩm quyền đã tạm dừng đăng ký ngành nghề này",
        "ngày 04 tháng 03 năm 2026",
        "THỦ TRƯỞNG CƠ QUAN",
        "Carol",
    ]:
        assert expected in text, expected
    client = Client()
    client.force_login(cast.alice)
    page = client.get(f"/workspace/dossiers/{dossier.code}/")
    assert [name for name, _label in page.context["print_forms"]] == [
        "receipt", "stop-notice", "control-sheet",
    ]  # fmt: skip
    assert f"/api/v1/dossiers/{dossier.code}/forms/stop-notice.pdf" in page.content.decode()


# --- receipt numbers -----------------------------------------------------------------------


def test_receipt_numbers_run_on_across_days_and_restart_each_year(cast: Cast, case: Case) -> None:
    """The dossier code's sequence restarts each day; the receipt number (Form 01,
    ``<n>/TTPVHCC``) runs on through the year and starts again at 01 on 1 January (Decree
    30/2020/NĐ-CP art. 15), per receiving agency."""
    first = _receive(cast, case, "2026-03-02T09:00")
    second = _receive(cast, case, "2026-03-02T10:00")
    next_day = _receive(cast, case, "2026-03-03T09:00")
    assert next_day.code.endswith("-0001")  # the code's sequence restarted
    assert [d.receipt_number for d in (first, second, next_day)] == [1, 2, 3]
    text = pdf_text(render_form(next_day, Form.RECEIPT))
    assert "Số: 03/TTPVHCC" in text and "Số thứ tự: 03" in text
    assert next_day.events.get(action="receive").data["receipt_number"] == 3
    new_year = _receive(cast, case, "2027-01-04T09:00")
    assert new_year.receipt_number == 1
    assert "Số: 01/TTPVHCC" in pdf_text(render_form(new_year, Form.RECEIPT))
    assert "01/TTPVHCC" in pdf_text(render_form(new_year, Form.CONTROL_SHEET))
    # Another agency numbers its own receipts.
    assign(case, cast.other_agency, "receiving", "competent")
    elsewhere = intake.receive_new_dossier(
        complete_intake(case), agency=cast.other_agency, actor=cast.ivan,
        now=at("2026-03-03T11:00"),
    )  # fmt: skip
    assert elsewhere.receipt_number == 1
    counters = {(c.agency_id, c.year): c.last for c in ReceiptCounter.objects.all()}
    assert counters == {
        (cast.agency.pk, 2026): 3,
        (cast.agency.pk, 2027): 1,
        (cast.other_agency.pk, 2026): 1,
    }


def test_an_online_dossier_takes_its_receipt_number_when_received(cast: Cast, case: Case) -> None:
    _receive(cast, case, "2026-03-02T09:00")
    online = intake.submit_online(
        complete_intake(case, "online"), agency=cast.agency, actor=cast.henry,
        now=at("2026-03-02T09:30"),
    )  # fmt: skip
    assert online.receipt_number is None
    services.receive(online, actor=cast.alice, now=at("2026-03-04T10:00"))
    online.refresh_from_db()
    assert online.receipt_number == 2
