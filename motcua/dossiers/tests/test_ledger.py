"""The ledger (Form 07) as XLSX: the printed layout (title, merged headers, the row of column
numbers), one row per dossier of the field received in the period at the agency and none
outside it, a bounded number of queries, and who may download it."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import path
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from motcua.accounts.models import Role
from motcua.catalogue import services as catalogue
from motcua.catalogue.models import AssignmentRole, Case, Field
from motcua.catalogue.specs import CaseSpec, DocumentSpec, ProcedureSpec
from motcua.catalogue.tests.factories import make_decision, make_field
from motcua.dossiers import intake, services
from motcua.dossiers.ledger import FIRST_DATA_ROW, ledger_dossiers, ledger_xlsx
from motcua.dossiers.models import Dossier
from motcua.dossiers.print_views import ledger_view
from motcua.dossiers.tests.factories import (
    assign,
    at,
    complete_intake,
    household_business_case,
)
from motcua.testing import Cast, field_problems, make_user

urlpatterns = [path("ledger.xlsx", ledger_view)]

MARCH = {"field": "HKD", "start": "2026-03-01", "end": "2026-03-31"}


def civil_status_case(cast: Cast) -> Case:
    """A procedure in another field (hộ tịch), to prove the ledger is kept per field."""
    make_field("HT", "Hộ tịch")
    spec = ProcedureSpec(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field="HT",
        levels=frozenset({"commune"}),
        competent_authority="UBND cấp xã",
        online_level="full",
        cases=(
            CaseSpec(
                code="1",
                name="Thủ tục đăng ký khai sinh",
                processing_time=Decimal(1),
                time_unit="working_days",
                documents=(DocumentSpec("Tờ khai đăng ký khai sinh", "original"),),
            ),
        ),
    )
    version = catalogue.publish_procedure(
        spec, decision=make_decision("2/QĐ-UBND", "2025-07-01"), actor=None
    )
    catalogue.assign_procedure(version.procedure, cast.agency, AssignmentRole.RECEIVING, actor=None)
    return version.cases.get()


@pytest.fixture
def dossiers(cast: Cast) -> dict[str, Dossier]:
    """Dossiers around March 2026: in the period at the agency, just outside it at both ends,
    at another agency, and in another field."""
    business = household_business_case(cast.agency)
    assign(business, cast.other_agency, AssignmentRole.RECEIVING)  # ivan's desk receives it too
    births = civil_status_case(cast)

    def receive(case: Case, when: str, agency_desk: str = "alice") -> Dossier:
        actor = getattr(cast, agency_desk)
        agency = cast.agency if agency_desk == "alice" else cast.other_agency
        return intake.receive_new_dossier(
            complete_intake(case), agency=agency, actor=actor, now=at(when)
        )

    made = {
        "before": receive(business, "2026-02-28T23:50"),
        "first": receive(business, "2026-03-01T00:10"),
        "returned": receive(business, "2026-03-10T09:00"),
        "last": receive(business, "2026-03-31T23:30"),
        "after": receive(business, "2026-04-01T00:10"),
        "elsewhere": receive(business, "2026-03-11T09:00", "ivan"),
        "births": receive(births, "2026-03-12T09:00"),
    }
    returned = made["returned"]
    services.forward(returned, actor=cast.alice, now=at("2026-03-10T10:00"))
    for who in (cast.bob, cast.carol):
        services.forward(returned, actor=who, now=at("2026-03-11T10:00"))
    services.approve(returned, actor=cast.dave, result="GCN số 9", now=at("2026-03-12T09:00"))
    services.return_result(
        returned,
        actor=cast.alice,
        method="post",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-13T09:00"),
    )
    return made


def sheet(workbook: bytes) -> Worksheet:
    ws = load_workbook(io.BytesIO(workbook)).active
    assert isinstance(ws, Worksheet)
    return ws


def day(value: object) -> dt.date:
    """openpyxl reads a date cell back as a naive midnight datetime."""
    assert isinstance(value, dt.datetime)
    return value.date()


def codes(ws: Worksheet) -> list[str]:
    return [str(r[1]) for r in ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True)]


def build(cast: Cast, agency: bool = True, field: Field | None = None) -> bytes:
    field = field or Field.objects.get(code="HKD")
    rows = ledger_dossiers(cast.agency if agency else None, field,
                           dt.date(2026, 3, 1), dt.date(2026, 3, 31))  # fmt: skip
    return ledger_xlsx(rows, title="Sổ theo dõi hồ sơ", field_name=field.name,
                       start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
                       agency_name=cast.agency.name)  # fmt: skip


def test_the_ledger_is_laid_out_as_officials_print_it(
    cast: Cast, dossiers: dict[str, Dossier]
) -> None:
    ws = sheet(build(cast))
    assert ws["A2"].value == "SỔ THEO DÕI HỒ SƠ"
    assert ws["A3"].value == "Lĩnh vực: Hộ kinh doanh"
    assert ws["A4"].value == "Từ ngày 01/03/2026 đến ngày 31/03/2026"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:J2", "A6:A7", "B6:B7", "F6:F7", "G6:I6", "J6:J7"} <= merged
    assert [c.value for c in ws[7]][6:9] == ["Nhận hồ sơ", "Hẹn trả kết quả", "Trả kết quả"]
    assert ws["G6"].value == "Ngày, tháng, năm"
    assert [c.value for c in ws[6]][:6] == [
        "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên cá nhân, tổ chức",
        "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết",
    ]  # fmt: skip
    assert [c.value for c in ws[8]] == [f"({n})" for n in range(1, 11)]
    assert ws.print_title_rows == "$6:$8"
    assert ws.page_setup.orientation == "landscape"


def test_one_row_per_dossier_of_the_field_in_the_period_and_none_outside(
    cast: Cast, dossiers: dict[str, Dossier]
) -> None:
    ws = sheet(build(cast))
    assert codes(ws) == [dossiers[k].code for k in ("first", "returned", "last")]
    first = [c.value for c in ws[FIRST_DATA_ROW]]
    assert first[:6] == [
        1, dossiers["first"].code, "Đăng ký thành lập hộ kinh doanh", "Nguyễn Văn Bình",
        "Phường Mỹ Tho, tỉnh Đồng Tháp\n0912345678", "Trung tâm Phục vụ hành chính công tỉnh",
    ]  # fmt: skip
    assert day(first[6]) == dt.date(2026, 3, 1)  # the local date, not 28/02 in UTC
    returned = [c.value for c in ws[FIRST_DATA_ROW + 1]]
    assert returned[0] == 2
    assert [day(returned[7]), day(returned[8]), returned[9]] == [
        dt.date(2026, 3, 17),
        dt.date(2026, 3, 13),
        "Bưu chính công ích",
    ]
    assert ws.cell(FIRST_DATA_ROW, 7).number_format == "DD/MM/YYYY"
    # Every agency: the dossier received at the other agency joins, in received order.
    everywhere = codes(sheet(build(cast, agency=False)))
    assert everywhere == [dossiers[k].code for k in ("first", "returned", "elsewhere", "last")]


def test_the_query_count_does_not_grow_with_the_rows(
    cast: Cast, dossiers: dict[str, Dossier], django_assert_num_queries: object
) -> None:
    field = Field.objects.get(code="HKD")
    with django_assert_num_queries(1):  # type: ignore[operator]
        build(cast, agency=False, field=field)


# The view -----------------------------------------------------------------------------------


@pytest.mark.urls("motcua.dossiers.tests.test_ledger")
def test_officers_and_report_readers_of_the_agency_download_it(
    cast: Cast, dossiers: dict[str, Dossier]
) -> None:
    for user in (cast.alice, cast.bob, cast.carol, cast.frank, cast.grace, cast.ivan):
        client = Client()
        client.force_login(user)
        response = client.get("/ledger.xlsx", {**MARCH, "agency": "H56.22"})
        assert response.status_code == 200, user
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert (
            'filename="so-theo-doi-hkd-20260301-20260331.xlsx"' in (response["Content-Disposition"])
        )
        assert len(codes(sheet(response.content))) == 3


@pytest.mark.urls("motcua.dossiers.tests.test_ledger")
def test_others_are_forbidden(cast: Cast, dossiers: dict[str, Dossier]) -> None:
    judy = make_user("judy", (Role.DESK_OFFICER, cast.other_agency))
    assert Client().get("/ledger.xlsx", {**MARCH, "agency": "H56.22"}).status_code == 403
    for user, params in [
        (cast.oscar, {**MARCH, "agency": "H56.22"}),
        (cast.henry, {**MARCH, "agency": "H56.22"}),
        (cast.erin, {**MARCH, "agency": "H56.22"}),  # administers users, not dossiers
        (judy, {**MARCH, "agency": "H56.22"}),
        (cast.alice, MARCH),  # every agency needs the right to read every agency's reports
    ]:
        client = Client()
        client.force_login(user)
        assert client.get("/ledger.xlsx", params).status_code == 403, user
    client = Client()
    client.force_login(cast.frank)
    assert len(codes(sheet(client.get("/ledger.xlsx", MARCH).content))) == 4


@pytest.mark.urls("motcua.dossiers.tests.test_ledger")
def test_bad_parameters_are_400_with_a_reason(cast: Cast, dossiers: dict[str, Dossier]) -> None:
    client = Client()
    client.force_login(cast.frank)
    for params, field, code in [
        ({**MARCH, "field": ""}, "field", "required"),
        ({**MARCH, "field": "XX"}, "field", "required"),
        ({**MARCH, "start": "01/03/2026"}, "start", "invalid_date"),
        ({**MARCH, "end": ""}, "end", "invalid_date"),
        ({**MARCH, "start": "2026-04-01"}, "end", "period_reversed"),
        ({**MARCH, "start": "2020-01-01"}, "end", "period_too_long"),
        ({**MARCH, "agency": "H99.99"}, "agency", "no_such_agency"),
    ]:
        response = client.get("/ledger.xlsx", params, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, params
        assert field_problems(response) == {field: [code]}, params
