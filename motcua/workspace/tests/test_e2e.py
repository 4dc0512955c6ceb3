"""The four end-to-end scenarios of issue 4, in headless Chromium, on the demo data.

Every step that moves a dossier is taken through the pages, signed in as the demo user whose
job it is (password ``motcua-demo``): the desk of the provincial centre (tiepnhan), the
specialist, head and leader of the Department of Construction (chuyenvien, truongphong, lanhdao),
and Mỹ Tho ward's officers (mytho, truongphong.mytho, lanhdao.mytho). Setup uses services only
where the demo lacks something (see ``_provincial_case``). Each test asserts what the officer
sees and then the database.

1. desk reception → forward → specialist → head → leader signs → the desk returns the result;
2. a supplement request (Form 02) pauses the clock; the desk records the resubmission;
3. a transfer (liên thông) to another agency, which processes the dossier and hands it back;
4. an apology with a new date (Form 04) for a late dossier.

With ``UPDATE_DOCS_SCREENSHOTS=1`` the screenshots ``docs/screenshots/e2e-*.png`` are
refreshed; otherwise they go to ``var/screenshots/``."""

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from motcua.accounts.models import Agency, Role, RoleAssignment, User
from motcua.catalogue.models import AssignmentRole, Case, ProcedureAssignment
from motcua.catalogue.services import assign_procedure
from motcua.demo.services import DEMO_PASSWORD
from motcua.dossiers.deadlines import VIETNAM
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.workflow import Action, Status
from motcua.testing.browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)
# The demo's provincial centre and Mỹ Tho ward's centre (see motcua/demo/services.py).
PROVINCE_CENTRE = "H82.20"
WARD_CENTRE = "H82.50.01"
# "Đổi giấy phép lái xe", received at the provincial centre: desk → specialist → head →
# leader → desk in its template process.
DRIVING_LICENCE = "1.002809"


def _shot(page: Any, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"e2e-{name}.png"), full_page=False)


def _expect(target: Any) -> Any:
    from playwright.sync_api import expect

    return expect(target)


def _sign_in(page: Any, base: str, username: str) -> None:
    """Sign out whoever was signed in and sign in as ``username`` on the sign-in page."""
    page.context.clear_cookies()
    page.goto(f"{base}/workspace/login/?next=/workspace/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    user = User.objects.get(username=username)
    _expect(page.locator("header")).to_contain_text(user.full_name)


def _choose_agency(page: Any, base: str, code: str) -> None:
    """Pick the agency in the queues' top bar (users with roles in several agencies)."""
    agency = Agency.objects.get(code=code)
    page.goto(f"{base}/workspace/")
    select = page.locator("select[name=agency]")
    if select.count() and select.input_value() != str(agency.pk):
        with page.expect_navigation():
            select.select_option(str(agency.pk))
    _expect(page.locator("header")).to_contain_text(code)


def _open_queue(page: Any, base: str, key: str, code: str) -> None:
    """Open queue ``key``, check the dossier is listed there and open it."""
    page.goto(f"{base}/workspace/?queue={key}")
    link = page.locator("main").get_by_role("link", name=code, exact=True)
    _expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    _expect(page.locator("h1")).to_have_text(code)


def _act(page: Any, action: str, **fields: str) -> None:
    """Fill the form of ``action`` on the dossier page and submit it; expect success."""
    box = page.locator(f"details[data-action={action}]")
    _expect(box).to_have_count(1)
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for name, value in fields.items():
        field = box.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        box.locator("form button[type=submit]").last.click()
    _expect(page.locator(".field-error")).to_have_count(0)
    _expect(page.locator(".messages")).to_contain_text(page.locator("h1").inner_text())


def _status(page: Any, status: Status) -> None:
    _expect(page.locator(".dossier-head")).to_contain_text(_vi(status.label))


def _vi(text: Any) -> str:
    """A msgid or lazy label as the Vietnamese page shows it."""
    from django.utils import translation

    with translation.override("vi"):
        return translation.gettext(str(text))


def _pdf_status(page: Any, base: str, code: str, number: int) -> int:
    """The status of the print link's PDF, fetched with the signed-in browser's session."""
    response = page.request.get(f"{base}/api/v1/dossiers/{code}/forms/{number}.pdf")
    if response.status == 200:
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")
    return int(response.status)


def _agency_of(username: str, role: str) -> Agency:
    assignment = RoleAssignment.objects.select_related("agency").get(
        user__username=username, role=role
    )
    assert assignment.agency is not None
    return assignment.agency


def _provincial_case() -> Case:
    """A case the provincial centre receives and the department of the demo's specialist
    (chuyenvien, the Department of Construction) decides: the driving-licence exchange."""
    department = _agency_of("chuyenvien", Role.SPECIALIST)
    assert ProcedureAssignment.objects.filter(
        procedure__code=DRIVING_LICENCE, role=AssignmentRole.COMPETENT, agency=department
    ).exists()
    return Case.objects.filter(
        version__procedure__code=DRIVING_LICENCE, version__status="published"
    ).earliest("code")


def _ward_dossier_with_the_specialist() -> Dossier:
    """The demo's household-business dossier received at Mỹ Tho ward's centre eight working
    days ago and left with the specialist: open and overdue."""
    dossier = (
        Dossier.objects.filter(
            receiving_agency__code=WARD_CENTRE,
            status=Status.PROCESSING,
            current_step__role=Role.SPECIALIST,
        )
        .order_by("due_at")
        .first()
    )
    assert dossier is not None and dossier.due_at is not None
    assert dossier.due_at < timezone.now()
    return dossier


def _actions(dossier: Dossier) -> list[tuple[str, str]]:
    return [
        (e.action, e.actor.username if e.actor else "")
        for e in dossier.events.select_related("actor").order_by("at", "pk")
    ]


def test_a_dossier_goes_from_the_desk_through_three_officers_and_back_to_the_applicant(
    demo: None, page: Any, live_server: Any
) -> None:
    """tiepnhan receives at the desk (procedure found without accents, checklist ticked) and
    forwards; the specialist, the head and the leader each find it in "My steps"; the leader
    signs; tiepnhan finds it ready to return and returns it: finished early."""
    base = live_server.url
    case = _provincial_case()

    _sign_in(page, base, "tiepnhan")
    with page.expect_navigation():
        page.locator("a[href='/workspace/reception/']").click()
    listed = page.locator("a[data-case]")
    _expect(listed).not_to_have_count(0)  # every procedure the centre receives, at first
    page.locator("input[name=q]").fill("doi giay phep lai xe")  # no accents
    # The page's script fetches the matches as one types: only this procedure's cases remain.
    _expect(listed).to_have_count(case.version.cases.count())
    choice = page.locator(f"a[data-case='{case.pk}']")
    _expect(choice).to_be_visible()
    with page.expect_navigation():
        choice.click()
    page.locator("[name=applicant_name]").fill("Trương Văn Đức")
    page.locator("[name=applicant_id_number]").fill("082090012345")
    page.locator("[name=applicant_address]").fill("Phường Mỹ Tho, tỉnh Đồng Tháp")
    page.locator("[name=applicant_phone]").fill("0918123456")
    boxes = page.locator("tr.mandatory input[type=checkbox]")
    ticked = boxes.count()
    assert ticked >= 1
    for i in range(ticked):
        boxes.nth(i).check()
    _shot(page, "1-reception")
    with page.expect_navigation():
        page.locator("button[value=receive]").click()

    form01 = page.locator("[data-print='receipt']")
    _expect(form01).to_be_visible()
    dossier = Dossier.objects.get(applicant_id_number="082090012345")
    code = dossier.code
    _expect(page.locator("h1")).to_have_text(code)
    _status(page, Status.RECEIVED)
    assert form01.get_attribute("href") == f"/api/v1/dossiers/{code}/forms/receipt.pdf"
    assert _pdf_status(page, base, code, 1) == 200
    _shot(page, "1-received")
    # The next holder is picked from the officers holding the next step's role, not typed.
    _act(page, "forward", to="chuyenvien", note="Hồ sơ đầy đủ, chuyển phòng chuyên môn")
    _status(page, Status.PROCESSING)

    for username, action, fields in [
        ("chuyenvien", "forward",
         {"to": "truongphong", "note": "Đã thẩm định, đủ điều kiện đổi giấy phép"}),
        ("truongphong", "forward", {"to": "lanhdao", "note": "Đồng ý, trình lãnh đạo ký"}),
        ("lanhdao", "approve", {"result": "Giấy phép lái xe số 820123456789"}),
    ]:  # fmt: skip
        _sign_in(page, base, username)
        _open_queue(page, base, "my_steps", code)
        if username == "truongphong":
            # Step 3 of 4: the head forwards to the leader who signs; no approval offered.
            _expect(page.locator("details[data-action=approve]")).to_have_count(0)
        _act(page, action, **fields)
    _status(page, Status.PROCESSED)

    _sign_in(page, base, "tiepnhan")
    _open_queue(page, base, "ready_to_return", code)
    # The licence fee is owed: returning needs a reason until the desk records the payment.
    owed = page.locator("[data-owed]")
    _expect(owed).to_have_attribute("data-owed", str(dossier.fees_due))
    _expect(owed).to_have_text(f"{dossier.fees_due:,} đồng".replace(",", "."))
    _act(page, "collect_fee", amount=str(dossier.fees_due), receipt="0001234", method="card")
    _expect(owed).to_have_attribute("data-owed", "0")
    _act(page, "return_result", method="in_person", note="Công dân nhận trực tiếp")
    _status(page, Status.RETURNED)
    _expect(page.locator("[data-timeliness]")).to_have_text(_vi("early"))
    _shot(page, "1-returned")

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.receiving_agency.code == PROVINCE_CENTRE
    assert dossier.lead_agency == _agency_of("chuyenvien", Role.SPECIALIST)
    assert dossier.result == "Giấy phép lái xe số 820123456789"
    assert dossier.return_method == "in_person"
    assert dossier.finished_at is not None and dossier.due_at is not None
    assert (
        dossier.finished_at.astimezone(VIETNAM).date() < dossier.due_at.astimezone(VIETNAM).date()
    )
    assert _actions(dossier) == [
        (Action.RECEIVE, "tiepnhan"),
        (Action.FORWARD, "tiepnhan"),
        (Action.FORWARD, "chuyenvien"),
        (Action.FORWARD, "truongphong"),
        (Action.APPROVE, "lanhdao"),
        (Action.COLLECT_FEE, "tiepnhan"),
        (Action.RETURN_RESULT, "tiepnhan"),
    ]
    steps = list(dossier.steps.order_by("position"))
    assert [s.role for s in steps] == [
        Role.DESK_OFFICER,
        Role.SPECIALIST,
        Role.HEAD_OF_DEPARTMENT,
        Role.SIGNING_LEADER,
        Role.DESK_OFFICER,
    ]
    assert all(s.status == StepStatus.DONE for s in steps)
    assert [s.assignee.username if s.assignee else "" for s in steps] == [
        "tiepnhan", "chuyenvien", "truongphong", "lanhdao", "tiepnhan",
    ]  # fmt: skip
    assert dossier.documents.filter(provided=True).count() == ticked


def test_a_supplement_request_pauses_the_dossier_until_the_desk_records_the_resubmission(
    demo: None, page: Any, live_server: Any
) -> None:
    """Mỹ Tho's specialist asks for two missing items: the dossier is paused and Form 02 can be
    printed; the ward's desk records the resubmission, the clock runs again and the specialist
    forwards the dossier to the head."""
    base = live_server.url
    dossier = _ward_dossier_with_the_specialist()
    code, due_before = dossier.code, dossier.due_at
    assert due_before is not None

    _sign_in(page, base, "mytho")
    _choose_agency(page, base, "H82.50")
    _open_queue(page, base, "my_steps", code)
    assert _pdf_status(page, base, code, 2) == 404
    _act(
        page,
        "request_supplement",
        items="Bản sao hợp đồng thuê địa điểm kinh doanh\nBản sao CCCD của chủ hộ kinh doanh",
        reason="Thiếu giấy tờ chứng minh địa điểm kinh doanh",
    )
    _status(page, Status.SUPPLEMENT_REQUESTED)
    _expect(page.get_by_role("row").filter(has_text="Bản sao CCCD của chủ hộ")).to_have_count(1)
    assert _pdf_status(page, base, code, 2) == 200
    _shot(page, "2-supplement-requested")
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.paused_at is not None

    # The paused dossier waits in the ward's "Paused" queue; the applicant brings the papers to
    # the ward's centre, where mytho is also the desk officer (no citizen portal yet).
    _choose_agency(page, base, WARD_CENTRE)
    _open_queue(page, base, "paused", code)
    _act(page, "resubmit", note="Công dân đã nộp bổ sung hợp đồng thuê và CCCD")
    _status(page, Status.PROCESSING)
    _expect(page.get_by_role("row").filter(has_text="Công dân đã nộp bổ sung")).to_have_count(1)

    _choose_agency(page, base, "H82.50")
    _open_queue(page, base, "my_steps", code)
    _act(page, "forward", note="Hồ sơ đã đủ, trình trưởng phòng")
    _sign_in(page, base, "truongphong.mytho")
    _open_queue(page, base, "my_steps", code)

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.paused_at is None
    assert dossier.due_at is not None and dossier.due_at >= due_before
    assert dossier.current_step is not None
    assert dossier.current_step.role == Role.HEAD_OF_DEPARTMENT
    request = dossier.events.get(action=Action.REQUEST_SUPPLEMENT)
    assert request.data["items"] == [
        "Bản sao hợp đồng thuê địa điểm kinh doanh",
        "Bản sao CCCD của chủ hộ kinh doanh",
    ]
    resumed = dossier.events.get(action=Action.RESUBMIT)
    assert resumed.actor is not None and resumed.actor.username == "mytho"
    assert resumed.old_status == Status.SUPPLEMENT_REQUESTED
    assert resumed.new_status == Status.PROCESSING
    assert {"paused_working_time", "due_before", "due_after"} <= set(resumed.data)
    assert _actions(dossier)[-3:] == [
        (Action.REQUEST_SUPPLEMENT, "mytho"),
        (Action.RESUBMIT, "mytho"),
        (Action.FORWARD, "mytho"),
    ]


def test_a_dossier_transferred_to_another_agency_is_processed_there_and_handed_back(
    demo: None, page: Any, live_server: Any
) -> None:
    """Mỹ Tho's specialist transfers the dossier, picking the Department of Construction among
    the agencies taking part in the procedure, for one working day; before that its specialist
    cannot open it, after it he finds it under "Transferred to us", processes it and hands it
    back to the ward's specialist who asked (the only one offered), who forwards it to the
    ward's head, who signs."""
    base = live_server.url
    dossier = _ward_dossier_with_the_specialist()
    code = dossier.code
    department = _agency_of("chuyenvien", Role.SPECIALIST)
    # The demo names no coordinating agency for the household business: the province assigns
    # the department (through the catalogue service) so it is offered in the transfer picker.
    assign_procedure(dossier.version.procedure, department, AssignmentRole.COORDINATING, actor=None)

    _sign_in(page, base, "chuyenvien")
    assert page.goto(f"{base}/workspace/dossiers/{code}/").status == 404

    _sign_in(page, base, "mytho")
    _choose_agency(page, base, "H82.50")
    _open_queue(page, base, "my_steps", code)
    _act(
        page,
        "transfer",
        to_agency=department.code,
        allowance="1",
        reason="Đề nghị xác minh hộ tịch của chủ hộ kinh doanh",
        step_name="Xác minh thông tin hộ tịch",
    )
    _status(page, Status.PROCESSING)
    _expect(page.locator("main")).to_contain_text("Xác minh thông tin hộ tịch")

    _sign_in(page, base, "chuyenvien")
    _open_queue(page, base, "transferred", code)
    _shot(page, "3-transferred")
    back = page.locator(
        "details[data-action=forward] select[name=to] option[value]:not([value=''])"
    )
    _expect(back).to_have_count(1)
    _expect(back).to_have_attribute("value", "mytho")
    _act(page, "forward", to="mytho", note="Đã xác minh: thông tin hộ tịch khớp")

    _sign_in(page, base, "mytho")
    _choose_agency(page, base, "H82.50")
    _open_queue(page, base, "my_steps", code)
    _act(page, "forward", to="truongphong.mytho", note="Đã có kết quả xác minh, trình ký")

    _sign_in(page, base, "truongphong.mytho")
    _open_queue(page, base, "my_steps", code)
    _act(page, "approve", result="Giấy chứng nhận đăng ký hộ kinh doanh số 82A8001234")
    _status(page, Status.PROCESSED)
    _shot(page, "3-approved")

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSED
    transfer = dossier.events.get(action=Action.TRANSFER)
    assert transfer.data["to_agency"] == department.code
    assert transfer.actor is not None and transfer.actor.username == "mytho"
    inter = dossier.steps.get(name="Xác minh thông tin hộ tịch")
    assert inter.agency == department and inter.status == StepStatus.DONE
    assert inter.assignee is not None and inter.assignee.username == "chuyenvien"
    assert inter.handed_to is not None and inter.handed_to.username == "mytho"
    assert _actions(dossier)[-4:] == [
        (Action.TRANSFER, "mytho"),
        (Action.FORWARD, "chuyenvien"),
        (Action.FORWARD, "mytho"),
        (Action.APPROVE, "truongphong.mytho"),
    ]
    assert dossier.current_agency.code == WARD_CENTRE


def test_a_leader_apologises_for_a_late_dossier_with_a_new_return_date(
    demo: None, page: Any, live_server: Any
) -> None:
    """The demo's household-business dossier received eight working days ago (a three-day
    procedure) is overdue: Mỹ Tho's leader finds it in "Overdue", extends it with the reason and
    a new date; Form 04 can then be printed and the event log shows the apology."""
    base = live_server.url
    dossier = _ward_dossier_with_the_specialist()
    code, due_at = dossier.code, dossier.due_at
    assert due_at is not None and due_at < timezone.now()
    new_date = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=7), dt.time(10, 0), tzinfo=VIETNAM
    )
    reason = "Phải xác minh địa điểm kinh doanh với cơ quan thuế"

    _sign_in(page, base, "lanhdao.mytho")
    _open_queue(page, base, "overdue", code)
    _expect(page.locator(".dossier-head")).to_contain_text(re.compile("quá hạn", re.IGNORECASE))
    assert _pdf_status(page, base, code, 4) == 404
    _act(page, "extend", reason=reason, new_return_at=new_date.strftime("%Y-%m-%dT%H:%M"))
    logged = page.get_by_role("row").filter(has_text=reason)
    _expect(logged).to_have_count(1)
    _expect(page.locator("main")).to_contain_text(new_date.strftime("%d/%m/%Y %H:%M"))
    assert _pdf_status(page, base, code, 4) == 200
    logged.scroll_into_view_if_needed()
    _shot(page, "4-apology")

    dossier.refresh_from_db()
    assert dossier.promised_at == new_date
    assert dossier.due_at == due_at  # lateness is still judged against the appointment
    assert dossier.status == Status.PROCESSING
    apology = dossier.events.get(action=Action.EXTEND)
    assert apology.actor is not None and apology.actor.username == "lanhdao.mytho"
    assert apology.reason == reason
    assert apology.data["new_return_at"] == new_date.isoformat()
