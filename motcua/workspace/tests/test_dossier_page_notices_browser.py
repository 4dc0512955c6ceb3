"""The applicant's notices on the dossier page in headless Chromium: the e-mail sent, the SMS
failed at the gateway with its error and next attempt. Refreshes
docs/screenshots/workspace-dossier-notices.png when UPDATE_DOCS_SCREENSHOTS=1."""

import os
from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers import intake
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.testing import Cast
from motcua.testing.browser import SCREENSHOTS
from motcua.testing.servers import Gateway
from motcua.workspace.tests.test_dossier_page_browser import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)


def test_the_desk_sees_the_e_mail_sent_and_the_sms_failed(
    page: Any, live_server: Any, sms_gateway: Gateway
) -> None:
    sms_gateway.status, sms_gateway.answer = 503, b'{"error": "gateway busy"}'
    cast = Cast()
    case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )  # committed: the e-mail goes (locmem), the SMS fails at the gateway
    assert len(sms_gateway.requests) == 1

    _sign_in(page, live_server, "alice", f"/workspace/dossiers/{dossier.code}/#notices")
    section = page.locator("#notices")
    section.wait_for()
    assert section.locator("[data-channel=email][data-state=sent]").count() == 1
    failed = section.locator("[data-channel=sms][data-state=failed]")
    assert "SMS gateway answered HTTP 503: gateway busy" in failed.inner_text()
    DOCS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    section.screenshot(path=str(DOCS / "workspace-dossier-notices.png"))
