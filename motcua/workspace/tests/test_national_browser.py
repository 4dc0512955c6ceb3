"""The national portal's screens in headless Chromium: the outbox's figures and a dead letter
re-queued by the system administrator. The dead letter is real: sent over HTTP to the simulator
while it answered 500. Screenshots in var/screenshots/."""

from typing import Any

import pytest

from motcua.dossiers import intake
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.dossiers.workflow import Channel, Status
from motcua.integration import outbox
from motcua.integration.models import CodeMapping, MappingKind, MessageState, OutboxMessage
from motcua.integration.national import NationalPortal
from motcua.integration.simulator import NationalSimulator
from motcua.testing import TEST_PASSWORD, Cast
from motcua.testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, live_server: Any, username: str, path: str) -> None:
    page.goto(f"{live_server.url}/workspace/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")


def test_the_administrator_sees_the_figures_and_requeues_a_dead_letter(
    page: Any, live_server: Any, settings: Any
) -> None:
    settings.MOTCUA_NATIONAL_MAX_ATTEMPTS = 1
    cast = Cast()
    case = household_business_case(cast.agency)
    CodeMapping.objects.bulk_create(
        [CodeMapping(kind=MappingKind.STATUS, ours=s.value, national=s.value) for s in Status]
        + [CodeMapping(kind=MappingKind.CHANNEL, ours=c.value, national=c.value) for c in Channel]
    )
    intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    simulator = NationalSimulator()
    simulator.behaviour.down = True
    with simulator.running() as url:
        # The agency has no national code yet: blocked; once added, the portal is down: dead.
        outbox.deliver_due(now=at("2026-03-02T09:01"), portal=NationalPortal(url, timeout=5))
        message = OutboxMessage.objects.get()
        assert message.state == MessageState.BLOCKED
        CodeMapping.objects.create(kind=MappingKind.AGENCY, ours=cast.agency.code, national="G01")
        outbox.requeue(message, actor=None, now=at("2026-03-02T09:02"))
        outbox.deliver_due(now=at("2026-03-02T09:03"), portal=NationalPortal(url, timeout=5))
    message.refresh_from_db()
    assert message.state == MessageState.DEAD

    _sign_in(page, live_server, "grace", "/workspace/admin/")
    page.click("p.national-links a")
    page.wait_for_selector("table.outbox-figures")
    assert page.locator("td.depth").inner_text() == "1"
    assert page.locator("td.dead").inner_text() == "1"
    assert "HTTP 500" in page.locator("table.outbox-failures").inner_text()
    assert page.locator("h1").inner_text() == "Hàng đợi gửi Cổng Dịch vụ công quốc gia"
    page.fill(f"#note-{message.pk}", "Cổng quốc gia bảo trì, gửi lại sau")
    page.click(f"#message-{message.pk} form:has(textarea) button")
    page.wait_for_selector("ul.messages li.success")
    screenshot(page, "workspace-national-outbox")
    page.click(f"#message-{message.pk} button.primary")
    page.wait_for_selector("text=Không có thông điệp hỏng hoặc bị chặn.")
    assert page.locator("td.pending").inner_text() == "1"
    message.refresh_from_db()
    assert (message.state, message.note) == (
        MessageState.PENDING,
        "Cổng quốc gia bảo trì, gửi lại sau",
    )
    screenshot(page, "workspace-national-outbox-requeued")


def test_the_catalogue_officer_reads_a_pulled_amendment_and_accepts_it(
    page: Any, live_server: Any, settings: Any
) -> None:
    from motcua.catalogue.models import ProcedureVersion
    from motcua.dossiers.tests.factories import birth_registration_case
    from motcua.integration.tests.test_catalogue_sync import changed_catalogue

    cast = Cast()
    household_business_case(cast.agency)
    birth_registration_case(cast.agency)
    with NationalSimulator(catalogue=changed_catalogue()).running() as url:
        settings.MOTCUA_NATIONAL_URL = url
        _sign_in(page, live_server, "grace", "/workspace/admin/")
        page.click("p.national-links a:nth-of-type(2)")
        page.click("button.pull-now")
        page.wait_for_selector("ul.messages li.success")
        assert page.locator("table.national-changes tbody tr").count() == 3
        page.click("table.national-changes a:text('2.000720')")
    page.wait_for_selector("table.diff")
    assert page.locator("table.diff tr.changed").count() == 3
    changed = page.locator("table.diff tr.changed").first.inner_text()
    assert "Đăng ký thành lập hộ kinh doanh (sửa đổi)" in changed
    assert page.locator("h1").inner_text() == "2.000720 · thủ tục sửa đổi"
    screenshot(page, "workspace-national-catalogue-diff")
    page.click("button.accept")
    page.wait_for_selector("ul.messages li.success")
    assert "phiên bản 2" in page.locator("ul.messages").inner_text()
    assert page.locator("table.national-changes tbody tr").count() == 2
    screenshot(page, "workspace-national-catalogue-accepted")
    version = ProcedureVersion.objects.get(procedure__code="2.000720", status="published")
    assert version.number == 2
