"""In headless Chromium: a citizen opens "my dossiers", rates the dossier whose result was
returned (overall level, the four questions, a comment), and the agency's signing leader sees
the rating in the satisfaction results; a desk officer's kiosk shows the dossier just returned
(code and procedure only) and takes its rating. Each page passes axe-core.

With ``UPDATE_DOCS_SCREENSHOTS=1`` the screenshots ``docs/screenshots/satisfaction-*.png``
(shown in docs/satisfaction.md) are refreshed; otherwise they go to ``var/screenshots/``."""

import os
from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers.tests.factories import birth_registration_case
from motcua.satisfaction.models import Rating
from motcua.satisfaction.tests.factories import questionnaire, returned_dossier
from motcua.testing import TEST_PASSWORD, Cast
from motcua.testing.browser import SCREENSHOTS
from motcua.workspace.tests.axe import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)


def shot(page: Any, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"satisfaction-{name}.png"), full_page=True)


def sign_in(page: Any, username: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_a_citizen_rates_a_returned_dossier_and_the_leader_sees_it(
    page: Any, live_server: Any
) -> None:
    cast = Cast()
    birth = birth_registration_case(cast.agency)
    asked = questionnaire()
    dossier = returned_dossier(cast, birth, owner=cast.henry)
    problems: list[str] = []

    page.goto(f"{live_server.url}/ho-so-cua-toi/{dossier.code}/")
    sign_in(page, "henry")
    with page.expect_navigation():
        page.click("text=Đánh giá mức độ hài lòng")
    assert dossier.code in page.inner_text("main")
    page.check("#id_level_1")  # hài lòng
    for question in asked.questions.all():
        page.check(f"#id_question_{question.pk}_0")  # rất hài lòng
    page.fill("#id_comment", "Cán bộ hướng dẫn rất tận tình")
    problems += violations(page, where="portal rating")
    shot(page, "portal")
    with page.expect_navigation():
        page.click("main form.rating button[type=submit]")
    main = page.inner_text("main")
    assert "Cảm ơn bạn: đánh giá của bạn đã được ghi nhận." in main
    assert "Bạn đã đánh giá: hài lòng." in main
    rating = Rating.objects.get(dossier=dossier)
    assert rating.level == "satisfied" and rating.answers.count() == asked.questions.count()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/workspace/satisfaction/")
    sign_in(page, "dave")
    main = page.inner_text("main")
    assert cast.agency.name in main and "Đăng ký khai sinh" in main
    assert "Cán bộ hướng dẫn rất tận tình" in main
    assert "1 (100,0 %)" in main  # one rating, satisfied
    assert dossier.applicant_name not in main and dossier.code not in main
    problems += violations(page, where="leader results")
    shot(page, "results")
    assert problems == []


def test_the_desk_kiosk_takes_the_rating_of_the_dossier_just_returned(
    page: Any, live_server: Any
) -> None:
    cast = Cast()
    birth = birth_registration_case(cast.agency)
    questionnaire()
    dossier = returned_dossier(cast, birth)
    page.set_viewport_size({"width": 1024, "height": 768})  # a tablet, landscape

    page.goto(f"{live_server.url}/workspace/kiosk/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    main = page.inner_text("main")
    assert dossier.code in main and "Đăng ký khai sinh" in main
    assert dossier.applicant_name not in main
    problems = violations(page, where="kiosk")
    page.check("#id_level_0")
    for index in range(4):
        page.locator("fieldset.choice").nth(index + 1).locator("input").first.check()
    shot(page, "kiosk")
    with page.expect_navigation():
        page.click("main form.rating button[type=submit]")
    assert "Cảm ơn bạn đã đánh giá!" in page.inner_text("main")
    assert Rating.objects.get(dossier=dossier).channel == "kiosk"
    assert problems == []
