"""The leaders' settlement pages in headless Chromium: the signing leader opens the online
payments page from the top bar, sees yesterday's and today's comparisons, and opens today's to
find the payment the gateway settled that we never recorded. Screenshots in var/screenshots/."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.payments import gateway as gw
from motcua.payments import services
from motcua.payments.settlement import compare_settlement
from motcua.payments.simulator import GatewaySimulator
from motcua.payments.tests.test_services import RETURN_URL, pay
from motcua.testing import TEST_PASSWORD, Cast
from motcua.testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leader_finds_an_unmatched_payment(
    page: Any, live_server: Any, cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    _payment, url = services.start_payment(
        owing, payer=cast.henry, return_url=RETURN_URL, ip_address="127.0.0.1"
    )
    simulator.ipn_enabled = False
    pay(url)
    today = timezone.now().astimezone(gw.VIETNAM).date()
    compare_settlement(today - dt.timedelta(days=1))
    run = compare_settlement(today)

    page.goto(f"{live_server.url}/workspace/login/?next=/workspace/")
    page.fill("#id_username", "dave")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.click("a.nav-payments")
    page.wait_for_selector("table.settlement-runs")
    assert page.locator("h1").inner_text() == "Thanh toán trực tuyến"
    assert page.locator("table.settlement-runs tbody tr").count() == 2
    screenshot(page, "workspace-payments-settlement")
    page.click(f"a[href='/workspace/payments/settlement/{run.pk}/']")
    row = page.locator("table.settlement-mismatches tbody tr")
    row.first.wait_for()
    text = row.first.inner_text()
    assert owing.code in text and "trạng thái khác nhau" in text and "250.000" in text
    screenshot(page, "workspace-payments-settlement-run")


def test_the_leader_refunds_a_payment_made_twice(
    page: Any, live_server: Any, cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    started = [
        services.start_payment(
            owing, payer=cast.henry, return_url=RETURN_URL, ip_address="127.0.0.1"
        )
        for _ in range(2)
    ]
    for _payment, url in started:
        pay(url)
    second = started[1][0]

    page.goto(f"{live_server.url}/workspace/login/?next=/workspace/payments/")
    page.fill("#id_username", "carol")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    row = page.locator("table.refunds-due tbody tr")
    row.first.wait_for()
    assert row.count() == 1
    assert second.txn_ref in row.first.inner_text()
    assert "đã thanh toán nhưng chưa ghi nhận vào hồ sơ" in row.first.inner_text()
    screenshot(page, "workspace-payments-refunds-due")
    row.first.locator("button", has_text="Hoàn tiền").click()
    page.wait_for_selector("ul.messages li")
    assert "đã được hoàn tiền" in page.locator("ul.messages").inner_text()
    assert page.locator("table.refunds-due").count() == 0
    screenshot(page, "workspace-payments-refunded")
    assert simulator.transactions[second.txn_ref].refunded == second.amount
