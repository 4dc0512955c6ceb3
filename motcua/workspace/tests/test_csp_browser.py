"""The Content Security Policy in a real browser (issue #17 item 6): headless Chromium loads the
main pages on the demo data (the workspace's sign-in, queue, list, a dossier, reception, the
reports dashboard and its dossiers, account security; the citizens' portal: home, procedures, a
procedure, tracking, publicity; the Django admin's sign-in; the API documentation, Swagger UI)
and the test fails on any violation of settings.SECURE_CSP the browser reports (an inline
script, style or event handler, or anything loaded from elsewhere)."""

from typing import Any

import pytest

from motcua.demo.services import DEMO_PASSWORD
from motcua.dossiers.models import Dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects the page's securitypolicyviolation events before any of the page's own scripts run.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                    " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def test_the_main_pages_run_with_no_content_security_policy_violation(
    demo: None, page: Any, live_server: Any
) -> None:
    base = live_server.url
    problems: list[str] = []
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(LISTEN)
    visited: list[str] = []

    def visit(path: str, *, ready: str = "body") -> None:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, f"{path}: {response.status}"
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
        page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")
        problems.extend(f"{path}: {v}" for v in page.evaluate("window.__csp"))
        visited.append(path)

    def sign_in(username: str) -> None:
        page.context.clear_cookies()
        visit("/workspace/login/")
        form = page.locator("form:has(input[name=password])")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

    # The portal, anonymously.
    visit("/")
    visit("/thu-tuc/")
    visit("/tra-cuu/")
    visit("/cong-khai/")
    code = Dossier.objects.order_by("pk").values_list("code", flat=True).first()
    assert code is not None
    visit(f"/tra-cuu/{code}")
    page.goto(base + "/thu-tuc/")
    page.locator("main a[href^='/thu-tuc/']").first.click()
    page.wait_for_load_state("networkidle")
    problems.extend(f"procedure page: {v}" for v in page.evaluate("window.__csp"))
    visited.append(page.url)
    visit("/admin/login/")
    # Swagger UI draws the operations from the schema it fetches.
    visit("/api/v1/docs/", ready=".opblock")

    # A desk officer with the agency menu: the queues, the list with its select-all box (both
    # now in workspace.js), a dossier, reception.
    sign_in("mytho")
    visit("/workspace/")
    visit("/workspace/?queue=all", ready="table.list")
    page.locator("[data-pick-all]").check()
    assert page.locator("#bulk input[name=dossier]:checked").count() > 0
    page.locator("table.list a.code").first.click()
    page.wait_for_load_state("networkidle")
    problems.extend(f"dossier page: {v}" for v in page.evaluate("window.__csp"))
    visited.append(page.url)
    visit("/workspace/security/")
    sign_in("tiepnhan")
    visit("/workspace/reception/")
    # A head of department: the reports dashboard (Chart.js) and the reply templates.
    sign_in("truongphong.mytho")
    visit("/workspace/reports/", ready="canvas")
    # A number of the dashboard opens the dossiers behind it.
    page.locator("main a[href*='/workspace/reports/dossiers/']").first.click()
    page.wait_for_load_state("networkidle")
    assert "/workspace/reports/dossiers/" in page.url
    problems.extend(f"report's dossiers: {v}" for v in page.evaluate("window.__csp"))
    visited.append(page.url)
    visit("/workspace/replies/")

    # The agency menu submits itself on change (workspace.js, no inline handler).
    sign_in("mytho")
    visit("/workspace/")
    select = page.locator("header select[name=agency]")
    other = select.locator("option:not([selected])").first.get_attribute("value")
    with page.expect_navigation():
        select.select_option(other)
    assert select.input_value() == other

    assert not problems, "\n".join(problems)
    assert not console, "\n".join(console)
    assert len(visited) >= 17
