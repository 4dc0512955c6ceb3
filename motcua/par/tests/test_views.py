"""The screens under /workspace/par/: who gets in, the import with its problems by row, the
focal point's scores and evidence, the appraisal's reasons beside their rows, the ranking once
published."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from motcua.accounts.models import User
from motcua.par import services
from motcua.par.example import example_workbook
from motcua.par.models import Assessment, CriteriaSet, Evidence
from motcua.par.tests.factories import (
    YEAR,
    appraised,
    commune,
    department,
    example_set,
    focal_point,
    score_everything,
)
from motcua.par.workflow import Status
from motcua.testing import Cast

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_reform_office_imports_the_example_set(cast: Cast) -> None:
    client = _client("frank")
    assert client.get("/workspace/par/").status_code == 200
    example = client.get(f"/workspace/par/example.xlsx?year={YEAR}")
    assert example.status_code == 200
    content = b"".join(example.streaming_content)  # type: ignore[attr-defined]
    upload = SimpleUploadedFile("chi-so.xlsx", content)
    response = client.post("/workspace/par/import/", {"year": YEAR, "file": upload})
    assert response.status_code == 302
    assert response["Location"] == f"/workspace/par/{YEAR}/"
    page = client.get(response["Location"]).content.decode()
    assert "7 lĩnh vực, 48 tiêu chí, 89 tiêu chí thành phần" in page
    assert "Cải cách thủ tục hành chính" in page


def test_an_import_with_problems_lists_them_by_row(cast: Cast) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tiêu đề"])
    sheet.append(["Mã"])
    sheet.append(["1", "Lĩnh vực", 2])
    sheet.append(["1.1", "Tiêu chí", 1])
    sheet.append(["1.1.1", "Thành phần", 1])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("loi.xlsx", out.getvalue())
    response = _client("frank").post("/workspace/par/import/", {"year": YEAR, "file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-problems"' in page and "par_row_sum" in page
    assert "Tệp có 1 lỗi; chưa nhập nội dung nào." in page
    assert not CriteriaSet.objects.exists()


def test_only_the_reform_office_and_focal_points_get_in(cast: Cast) -> None:
    example_set(cast.frank)
    for outsider in ("oscar", "alice", "erin"):
        assert _client(outsider).get("/workspace/par/").status_code == 403
    agency = department()
    focal_point(cast, agency, "phuong")
    phuong = _client("phuong")
    assert phuong.get("/workspace/par/").status_code == 200
    upload = SimpleUploadedFile("a.xlsx", example_workbook(YEAR))
    assert phuong.post("/workspace/par/import/", {"year": YEAR, "file": upload}).status_code == 403
    assert Client().get("/workspace/par/").status_code == 302


def test_a_focal_point_scores_with_evidence_and_sees_only_its_own(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    agency, other = department(), commune()
    focal_point(cast, agency, "phuong")
    quang = focal_point(cast, other, "quang")
    theirs = services.open_assessment(criteria_set, other, actor=quang)
    client = _client("phuong")
    opened = client.post(f"/workspace/par/{YEAR}/open/", {"agency": agency.code})
    mine = Assessment.objects.get(agency=agency)
    assert opened["Location"] == f"/workspace/par/assessments/{mine.pk}/"
    assert client.get(f"/workspace/par/assessments/{theirs.pk}/").status_code == 404
    year_page = client.get(f"/workspace/par/{YEAR}/").content.decode()
    assert agency.name in year_page and other.name not in year_page
    response = client.post(
        f"/workspace/par/assessments/{mine.pk}/scores/",
        {
            "points_1.1.1": "0,5",
            "explanation_1.1.1": "Ban hành ngày 15/01",
            "file_1.1.1": SimpleUploadedFile("ke-hoach.pdf", PDF),
            "points_1.1.2": "5",
        },
    )
    assert response.status_code == 400
    assert "Điểm phải từ 0 đến 1.00." in response.content.decode()
    score = mine.scores.get(sub__code="1.1.1")
    assert score.self_points == Decimal("0.50")
    assert Evidence.objects.get(score=score).name == "ke-hoach.pdf"
    evidence = Evidence.objects.get(score=score)
    download = client.get(f"/workspace/par/assessments/{mine.pk}/evidence/{evidence.pk}/")
    assert download.status_code == 200
    assert (
        _client("quang")
        .get(f"/workspace/par/assessments/{mine.pk}/evidence/{evidence.pk}/")
        .status_code
        == 404
    )


def test_after_submission_the_scores_are_not_edited(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    agency = department()
    phuong = focal_point(cast, agency, "phuong")
    assessment = services.open_assessment(criteria_set, agency, actor=phuong)
    score_everything(assessment, phuong)
    client = _client("phuong")
    assert client.post(f"/workspace/par/assessments/{assessment.pk}/act/submit/").status_code == 302
    refused = client.post(
        f"/workspace/par/assessments/{assessment.pk}/scores/", {"points_1.1.1": "0"}
    )
    assert refused.status_code == 403
    assert "Không thể làm việc này" in refused.content.decode()
    page = client.get(f"/workspace/par/assessments/{assessment.pk}/").content.decode()
    assert 'name="points_1.1.1"' not in page and 'name="final_1.1.1"' not in page


def test_the_appraisal_asks_a_reason_beside_each_changed_row(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    agency = department()
    phuong = focal_point(cast, agency, "phuong")
    assessment = services.open_assessment(criteria_set, agency, actor=phuong)
    score_everything(assessment, phuong)
    services.submit(assessment, actor=phuong)
    client = _client("frank")
    url = f"/workspace/par/assessments/{assessment.pk}/appraisal/"
    response = client.post(url, {"final_1.1.3": "1", "final_1.1.1": "1"})
    assert response.status_code == 400
    assert "Hãy nêu lý do điều chỉnh" in response.content.decode()
    ok = client.post(url, {"final_1.1.3": "1", "reason_1.1.3": "Hoàn thành 85%"})
    assert ok.status_code == 302
    assert client.post(f"/workspace/par/assessments/{assessment.pk}/act/finish/").status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.final_total) == (Status.APPRAISED, Decimal("77.00"))


def test_the_ranking_is_shown_to_agencies_once_published(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    agency = department()
    phuong = focal_point(cast, agency, "phuong")
    appraised(cast, criteria_set, agency, phuong, Decimal("0.5"))
    url = f"/workspace/par/{YEAR}/ranking/"
    assert _client("phuong").get(url).status_code == 403
    assert _client("frank").get(url).status_code == 200
    assert _client("phuong").post(f"/workspace/par/{YEAR}/publish/").status_code == 302
    assert CriteriaSet.objects.get().published_at is None
    assert _client("frank").post(f"/workspace/par/{YEAR}/publish/").status_code == 302
    page = _client("phuong").get(url).content.decode()
    assert "Sở Xây dựng" in page and "39,00" in page, page
