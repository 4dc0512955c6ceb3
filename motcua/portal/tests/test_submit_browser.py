"""Online submission in headless Chromium, no JavaScript of ours: a citizen signs in, opens
"Đăng ký thành lập hộ kinh doanh", follows "Nộp hồ sơ trực tuyến", finds the form prefilled,
asks for return by post but forgets the address (the page comes back with everything typed
and the file already uploaded), fixes it, reviews, submits and reads the dossier's code.
Every page passes axe-core and does not scroll sideways at 375 px.

With ``UPDATE_DOCS_SCREENSHOTS=1`` the screenshots ``docs/screenshots/portal-submit-*.png``
are refreshed; otherwise they go to ``var/screenshots/``."""

from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import household_business_case
from motcua.portal.tests.test_browser import Tour
from motcua.testing import TEST_PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_citizen_submits_a_dossier_online(
    page: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cast = Cast()
    case = household_business_case(cast.agency)
    first, second = list(case.documents.filter(mandatory=True).order_by("position"))
    scan = tmp_path / "giay-de-nghi.pdf"
    scan.write_bytes(PDF)
    tour = Tour(page)

    page.goto(f"{live_server.url}/thu-tuc/2.000720/")
    with page.expect_navigation():
        page.click("text=Nộp hồ sơ trực tuyến")
    page.fill("#id_username", "henry")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/nop-truc-tuyen/" in page.url
    assert page.input_value("#id_id_number") == "079123456789"  # from the account

    page.fill("#id_name", "Henry Trần")
    page.fill("#id_address", "Số 5 Lê Lợi, phường Mỹ Tho")
    page.set_input_files(f"#id_file_{first.pk}", str(scan))
    page.check("input[name=return_method][value=post]")
    with page.expect_navigation():
        page.click("button[value=review]")
    main = page.inner_text("main")
    assert "cần có địa chỉ nhận" in main  # the address is missing …
    assert page.input_value("#id_address") == "Số 5 Lê Lợi, phường Mỹ Tho"  # … nothing lost
    assert "giay-de-nghi.pdf" in main
    tour.check("submit-form-error")

    page.fill("#id_postal_address", "Số 5 Lê Lợi, phường Mỹ Tho, tỉnh Đồng Tháp")
    page.set_input_files(f"#id_file_{second.pk}", str(scan))
    with page.expect_navigation():
        page.click("button[value=review]")
    assert "/xem-lai/" in page.url
    assert "Số 5 Lê Lợi, phường Mỹ Tho, tỉnh Đồng Tháp" in page.inner_text("main")
    tour.check("submit-review")

    with page.expect_navigation():
        page.click("main form button.primary")
    dossier = Dossier.objects.get()
    assert dossier.code in page.inner_text("main") and dossier.status == "1"
    assert dossier.return_method == "post"
    tour.check("submit-done")

    assert tour.problems == [], "\n".join(tour.problems)
