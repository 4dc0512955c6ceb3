"""The citizen's log of re-uses of their digitised papers in "Hồ sơ của tôi", and its CSV and
XLSX export: their own only, never another person's, and not for officials."""

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from motcua.accounts.models import Role
from motcua.digitisation import services
from motcua.digitisation.models import DigitisedPaper
from motcua.digitisation.tests.factories import scanned_dossier, unscanned_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, household_business_case
from motcua.testing import Cast, make_user

LOG = "/ho-so-cua-toi/giay-to-so-hoa/"


@pytest.fixture
def reused(cast: Cast, settings: Any, tmp_path: Any) -> Dossier:
    """Henry's second dossier, which re-used a paper of his first one."""
    settings.MEDIA_ROOT = str(tmp_path)
    case = household_business_case(cast.agency)
    first = scanned_dossier(cast, case, now=at("2026-03-09T09:00"))
    paper = DigitisedPaper.objects.filter(dossier=first).order_by("required__position")[0]
    second = unscanned_dossier(cast, case)
    services.reuse_paper(
        second,
        paper_id=paper.pk,
        document_id=second.documents.get(required=paper.required).pk,
        actor=cast.alice,
        now=at("2026-03-10T10:15"),
    )
    return second


def test_the_person_sees_each_reuse_of_their_papers(
    client: Client, cast: Cast, reused: Dossier
) -> None:
    client.force_login(cast.henry)
    assert 'href="/ho-so-cua-toi/giay-to-so-hoa/"' in client.get("/ho-so-cua-toi/").content.decode()
    response = client.get(LOG)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in page
    assert reused.code in page and cast.agency.name in page and "10/03/2026 10:15" in page


def test_the_log_is_exported_as_csv_and_xlsx(client: Client, cast: Cast, reused: Dossier) -> None:
    client.force_login(cast.henry)
    response = client.get(LOG + "nhat-ky.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Thời điểm sử dụng lại", "Giấy tờ", "Cơ quan sử dụng", "Cho hồ sơ"]
    assert len(rows) == 2 and rows[1][1] == "Giấy đề nghị đăng ký hộ kinh doanh"
    assert rows[1][3] == reused.code
    xlsx = client.get(LOG + "nhat-ky.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(cells) == 2 and cells[1][3] == reused.code
    assert client.get(LOG + "nhat-ky.pdf").status_code == 404


def test_nobody_else_sees_the_log(client: Client, cast: Cast, reused: Dossier) -> None:
    stranger = make_user("tam", (Role.CITIZEN, None), id_number="079123450000")
    client.force_login(stranger)
    assert reused.code not in client.get(LOG).content.decode()
    rows = list(
        csv.reader(io.StringIO(client.get(LOG + "nhat-ky.csv").content.decode("utf-8-sig")))
    )
    assert len(rows) == 1  # the headers only
    client.force_login(cast.alice)  # an official: the workspace is theirs, not the portal
    assert client.get(LOG).status_code == 403
    client.logout()
    assert client.get(LOG + "nhat-ky.csv").status_code == 302
