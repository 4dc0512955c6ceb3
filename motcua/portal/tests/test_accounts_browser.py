"""A person registers on the portal in headless Chromium at a phone's width (375 px) and an
office screen's, types back the code e-mailed to them, and signs in; an official is refused on
the same sign-in page. Every page passes axe-core and does not scroll sideways at 375 px.

With ``UPDATE_DOCS_SCREENSHOTS=1`` the screenshots ``docs/screenshots/portal-register*.png``
(shown in docs/portal.md) are refreshed; otherwise they go to ``var/screenshots/``."""

import re
from typing import Any

import pytest
from django.core import mail

from motcua.accounts.models import User
from motcua.portal.tests.test_browser import PHONE, Tour
from motcua.testing import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Ngay-mai-troi-nang-2026"


def test_a_citizen_registers_verifies_the_email_and_signs_in(page: Any, live_server: Any) -> None:
    Cast()
    page.set_viewport_size(PHONE)
    tour = Tour(page)

    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.click("header >> text=Đăng ký")
    assert "Đăng ký tài khoản" in page.inner_text("main")

    # A mistake first: what was typed stays, the error is next to the field.
    page.fill("#id_full_name", "Nguyễn Thị Lan")
    page.fill("#id_id_number", "07930100432")
    page.fill("#id_email", "lan@example.vn")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Số định danh cá nhân gồm 12 chữ số" in page.inner_text("main")
    assert page.input_value("#id_full_name") == "Nguyễn Thị Lan"
    tour.check("register-errors")

    page.fill("#id_id_number", "079301004321")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    tour.check("register")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Xác minh thông tin liên lạc" in page.inner_text("main")
    tour.check("register-verify")

    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found and mail.outbox[-1].to == ["lan@example.vn"]
    page.fill("#id_code", found.group(1))
    with page.expect_navigation():
        page.click("main form button.primary")
    assert "Tài khoản của bạn đã được kích hoạt" in page.inner_text("main")
    assert User.objects.get(username="079301004321").is_active

    page.fill("#id_username", "079301004321")
    page.fill("#id_password", PASSWORD)
    tour.check("sign-in")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Nguyễn Thị Lan" in page.inner_text("header")

    # Signing out, then an official tries the citizens' sign-in.
    with page.expect_navigation():
        page.click("header button:has-text('Đăng xuất')")
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Cán bộ, công chức đăng nhập tại trang làm việc" in page.inner_text("main")
    tour.check("sign-in-officer")

    assert tour.problems == [], "\n".join(tour.problems)
