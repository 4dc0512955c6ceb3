"""The list page in headless Chromium: a desk officer filters the dossiers, saves the filter,
selects two dossiers and forwards them at once. Keeps docs/screenshots/workspace-list.png."""

import os
from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.dossiers.workflow import Status
from motcua.testing import TEST_PASSWORD, Cast
from motcua.testing.browser import SCREENSHOTS
from motcua.workspace.models import SavedFilter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# As in test_browser.py: var/screenshots/ unless UPDATE_DOCS_SCREENSHOTS=1.
DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)


def test_a_desk_officer_filters_saves_the_filter_and_forwards_two_dossiers(
    page: Any, live_server: Any
) -> None:
    cast = Cast()
    case = household_business_case(cast.agency)
    received = [
        intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)
        for _ in range(3)
    ]
    moving = intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)
    services.forward(moving, actor=cast.alice)  # status 4: filtered out below

    page.goto(f"{live_server.url}/workspace/login/?next=/workspace/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("details.advanced")
    page.click("details.advanced summary")
    page.check("input[name=status][value='2']")
    page.select_option("#id_procedure", "2.000720")
    page.click("details.advanced button[type=submit]")
    page.wait_for_selector("p.found")
    assert page.locator("input[name=dossier]").count() == 3
    assert moving.code not in page.inner_text("table.list")

    page.fill("#id_name", "Vừa tiếp nhận")
    page.click("form.save-filter button[type=submit]")
    page.wait_for_selector(".saved-list a")
    assert page.inner_text(".saved-list a") == "Vừa tiếp nhận"
    assert SavedFilter.objects.get().query == "status=2&procedure=2.000720"
    assert page.locator("input[name=dossier]").count() == 3  # back on the filtered list

    first, second = received[0], received[1]
    page.check(f"input[name=dossier][value='{first.code}:{first.revision}']")
    page.check(f"input[name=dossier][value='{second.code}:{second.revision}']")
    path = DOCS / "workspace-list.png"
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000

    page.click("button[data-bulk=forward]")
    page.wait_for_selector("button[data-confirm]")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "workspace-bulk-confirm.png"))
    page.fill("#id_bulk_note", "Đủ hồ sơ, chuyển thẩm định")
    page.click("button[data-confirm]")
    page.wait_for_selector("table.bulk-results")
    assert page.locator("tr[data-result=done]").count() == 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "workspace-bulk-result.png"))
    for d in (first, second):
        assert Dossier.objects.get(pk=d.pk).status == Status.PROCESSING
        event = DossierEvent.objects.get(dossier=d, action="forward")
        assert event.actor_id == cast.alice.pk
    assert Dossier.objects.get(pk=received[2].pk).status == Status.RECEIVED
