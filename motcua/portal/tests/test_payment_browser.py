"""A citizen pays a financial obligation through the gateway simulator and the dossier resumes;
a tampered return address is refused. In headless Chromium: the portal's pages are checked with
axe-core at a phone's width and an office screen's (the simulator's page is not ours and only
photographed). The simulator is a real HTTP server; its IPN reaches the live server over HTTP.

With ``UPDATE_DOCS_SCREENSHOTS=1`` the screenshots ``docs/screenshots/portal-payment-*.png``
are refreshed; otherwise they go to ``var/screenshots/``."""

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.payments.models import Payment, PaymentState
from motcua.payments.simulator import GatewaySimulator
from motcua.portal.tests.test_browser import DOCS, PHONE, Tour
from motcua.testing import TEST_PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_pays_through_the_simulator_and_the_dossier_resumes(
    page: Any, cast: Cast, owing: Dossier, simulator: GatewaySimulator, live_server: Any
) -> None:
    page.set_viewport_size(PHONE)
    tour = Tour(page)

    page.goto(f"{live_server.url}/ho-so-cua-toi/")
    page.fill("#id_username", "henry")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Thanh toán trực tuyến" in page.inner_text("main")
    tour.check("payment-list")

    with page.expect_navigation():
        page.click(f"text={owing.code}")
    main = page.inner_text("main")
    assert "Cơ quan đề nghị ông/bà thực hiện nghĩa vụ tài chính." in main
    assert "250.000 đồng" in main
    tour.check("payment-dossier")

    with page.expect_navigation():
        page.click("main button:has-text('Thanh toán trực tuyến')")
    assert page.url.startswith(simulator.pay_url)
    assert "250.000 VND" in page.inner_text("body")
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(DOCS / "portal-payment-gateway.png"), full_page=True)

    with page.expect_navigation():
        page.click("button:has-text('Thanh toán / Pay')")
    assert "/thanh-toan/ket-qua/" in page.url
    main = page.inner_text("main")
    assert "Thanh toán thành công" in main
    payment = Payment.objects.get()
    assert payment.state == PaymentState.PAID and payment.receipt_number in main
    tour.check("payment-return")
    returned = dict(parse_qsl(urlsplit(page.url).query))

    with page.expect_navigation():
        page.click("main a:has-text('Quay lại hồ sơ')")
    owing.refresh_from_db()
    assert owing.status == Status.PROCESSING
    main = page.inner_text("main")
    assert "Biên lai điện tử" in main and "Thanh toán trực tuyến" in main
    assert page.locator("main button:has-text('Thanh toán trực tuyến')").count() == 0

    # The same return address with the amount changed: refused, said so.
    returned["vnp_Amount"] = "100"
    page.goto(f"{live_server.url}/thanh-toan/ket-qua/?{urlencode(returned)}")
    assert "chữ ký không khớp" in page.inner_text("main")
    tour.check("payment-refused")

    assert tour.problems == [], "\n".join(tour.problems)
