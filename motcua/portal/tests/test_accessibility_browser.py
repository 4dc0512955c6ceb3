"""axe-core on the portal's pages that the scenario tests do not walk through: browsing the
procedures, the empty tracking form, the privacy notice, the forgotten password, signing out,
the notice channels, withdrawing a dossier, and what an official sees on the portal (the header
without a portal sign-in, the submission and "my dossiers" refused with the way to the
workspace). Each at 1366 and 375 px, no sideways scrolling at 375 px, no duplicate or dangling
ids; and the home page by keyboard (skip link, focus ring). The other pages are checked where
their scenarios pass: ``test_browser.py`` (home, search, procedure, tracking, publicity),
``test_accounts_browser.py`` (register, sign-in), ``test_submit_browser.py``,
``test_mine_browser.py`` and ``test_done_means_browser.py``."""

from typing import Any

import pytest

from motcua.dossiers import intake, services
from motcua.dossiers.tests.factories import birth_registration_case, complete_intake
from motcua.portal.tests.test_browser import DESKTOP, Tour
from motcua.testing import TEST_PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit(page: Any, url: str, tour: Tour, name: str) -> str:
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    tour.check(name)
    return str(page.inner_text("main"))


def test_the_other_portal_pages_pass_axe_for_visitors_citizens_and_officials(
    page: Any, live_server: Any
) -> None:
    cast = Cast()
    birth = birth_registration_case(cast.agency)
    dossier = intake.submit_online(
        complete_intake(birth, channel="online"), agency=cast.agency, actor=cast.henry
    )
    services.receive(dossier, actor=cast.alice)
    base = live_server.url
    tour = Tour(page)

    # By keyboard: the first Tab shows the skip link, Enter moves to the main content, and
    # the next Tab reaches the first control there with a visible focus ring.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("class") == "skip-link" and skip.is_visible()
    assert skip.evaluate("e => e.getBoundingClientRect().top") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.evaluate("e => e.closest('main') !== null")
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"

    # A visitor.
    assert "Đăng ký khai sinh" in _visit(page, f"{base}/thu-tuc/", tour, "a11y-procedures")
    _visit(page, f"{base}/tra-cuu/", tour, "a11y-track-form")
    _visit(page, f"{base}/quyen-rieng-tu/", tour, "a11y-privacy")
    _visit(page, f"{base}/quen-mat-khau/", tour, "a11y-password-reset")
    page.fill("#id_email", "henry@example.vn")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/quen-mat-khau/da-gui/")
    tour.check("a11y-password-reset-sent")

    # A citizen.
    page.goto(f"{base}/dang-nhap/?next=/tai-khoan/thong-bao/")
    page.fill("#id_username", "henry")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/tai-khoan/thong-bao/")
    tour.check("a11y-notice-channels")
    _visit(page, f"{base}/ho-so-cua-toi/{dossier.code}/rut/", tour, "a11y-withdraw")
    _visit(page, f"{base}/dang-xuat/", tour, "a11y-sign-out")

    # An official signed in on the workspace.
    page.context.clear_cookies()
    page.goto(f"{base}/workspace/login/?next=/workspace/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill("alice")
    form.locator("input[name=password]").fill(TEST_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/workspace/" in page.url and "/login/" not in page.url
    _visit(page, f"{base}/", tour, "a11y-official-home")
    assert page.locator("header a[data-workspace]").count() == 1
    refused = _visit(page, f"{base}/thu-tuc/{birth.version.procedure.code}/nop-truc-tuyen/",
                     tour, "a11y-official-submit")  # fmt: skip
    assert "Cán bộ" in refused
    _visit(page, f"{base}/ho-so-cua-toi/", tour, "a11y-official-mine")

    assert tour.problems == [], "\n".join(tour.problems)
