"""The catalogue in a real browser: the admin in Vietnamese and the API docs page."""

from pathlib import Path
from typing import Any

import pytest

from motcua.accounts.models import User
from motcua.catalogue.tests.factories import publish_birth_registration
from motcua.testing import TEST_PASSWORD
from motcua.testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, live_server: Any) -> None:
    User.objects.create_superuser("grace", "grace@example.vn", TEST_PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "grace")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")


def test_an_administrator_finds_a_procedure_in_the_vietnamese_admin(
    page: Any, live_server: Any
) -> None:
    """Signing in, searching without accents lists "Đăng ký khai sinh", in Vietnamese."""
    publish_birth_registration()
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/catalogue/procedureversion/?q=dang+ky+khai+sinh")
    page.wait_for_selector("#result_list")
    text = page.inner_text("body")
    assert "Đăng ký khai sinh" in text
    assert "Danh mục thủ tục" in text  # the app's Vietnamese name in the breadcrumbs
    shot = screenshot(page, "admin-procedure-search")
    assert Path(shot).stat().st_size > 10_000


def test_the_api_docs_page_renders_from_local_assets(page: Any, live_server: Any) -> None:
    """Swagger UI loads from the server itself (no CDN) and lists the catalogue endpoints."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=/api/v1/procedures/", timeout=15_000)
    assert all(url.startswith(live_server.url) for url in requests), requests
    screenshot(page, "api-docs")
