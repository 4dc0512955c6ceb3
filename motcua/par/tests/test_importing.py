"""Importing the year's criteria from the province's XLSX: the example set whole, every row's
problem reported, nothing half-imported, replacement refused once agencies have begun."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from motcua.errors import Refusal, Refused
from motcua.par import queries, services
from motcua.par.example import example_rows, example_workbook
from motcua.par.importing import ImportRefused, import_criteria
from motcua.par.models import Area, CriteriaSet, Measure, ParEvent, SubCriterion
from motcua.par.tests.factories import YEAR, department, example_set, focal_point
from motcua.testing import Cast


def _workbook(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Bộ tiêu chí"])
    sheet.append(["Mã", "Nội dung", "Điểm tối đa", "Hướng dẫn chấm", "Hệ thống đo", "Ngưỡng (%)"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_the_example_source_has_the_shape_of_a_department_index() -> None:
    """7 areas, 48 criteria, 89 sub-criteria, read from the readable source."""
    depths = [row.depth for row in example_rows()]
    assert (depths.count(1), depths.count(2), depths.count(3)) == (7, 48, 89)


def test_the_example_set_imports_whole(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    assert queries.counts(criteria_set) == (7, 48, 89)
    procedures = Area.objects.get(criteria_set=criteria_set, code="3")
    assert procedures.name == "Cải cách thủ tục hành chính"
    assert procedures.max_points == Decimal("19.00")
    on_time = SubCriterion.objects.get(criterion__area__criteria_set=criteria_set, code="3.3.2")
    assert (on_time.measure, on_time.target, on_time.max_points) == (
        Measure.ON_TIME_RATE,
        Decimal("98.00"),
        Decimal("3.00"),
    )
    assert "98%" in on_time.guidance
    measured = SubCriterion.objects.exclude(measure="").values_list("measure", flat=True)
    assert set(measured) == {m.value for m in Measure if m.value}
    event = ParEvent.objects.get(criteria_set=criteria_set, action="import")
    assert event.actor == cast.frank
    assert event.data["sub_criteria"] == 89


def test_every_problem_is_reported_by_row_and_nothing_is_imported(cast: Cast) -> None:
    content = _workbook(
        [
            ["1", "Chỉ đạo điều hành", 3],
            ["1.1", "Kế hoạch", 2],
            ["1.1.1", "Ban hành kế hoạch", 1],
            ["1.1.2", "", "nhiều"],
            ["1.1.2", "Trùng mã", 1],
            ["1.2", "Báo cáo", 1],
            ["1.2.1", "Đúng hạn", 1, "", "speed"],
            ["2.1.1", "Không có cha", 1],
            ["x.y", "Mã hỏng", 1],
            ["1.2.2", "Đo", 0, "", "online_share", 150],
        ]
    )
    with pytest.raises(ImportRefused) as refused:
        import_criteria(content, year=YEAR, name="loi.xlsx", actor=cast.frank)
    found = [(p.row, p.code) for p in refused.value.problems]
    assert found == [
        (4, "par_row_sum"),
        (6, "par_row_name"),
        (6, "par_row_points"),
        (7, "par_row_duplicate"),
        (9, "par_row_measure"),
        (10, "par_row_parent"),
        (11, "par_row_code"),
        (12, "par_row_target"),
    ]
    assert refused.value.code == "par_import_invalid"
    assert not CriteriaSet.objects.exists()
    assert not Area.objects.exists()


def test_a_file_that_is_no_workbook_is_refused(cast: Cast) -> None:
    with pytest.raises(Refusal) as refused:
        import_criteria(io.BytesIO(b"%PDF-1.4"), year=YEAR, name="a.xlsx", actor=cast.frank)
    assert refused.value.code == "par_file_unreadable"
    with pytest.raises(ImportRefused) as empty:
        import_criteria(_workbook([]), year=YEAR, name="a.xlsx", actor=cast.frank)
    assert [p.code for p in empty.value.problems] == ["par_file_empty"]


def test_only_the_reform_office_imports(cast: Cast) -> None:
    for someone in (cast.erin, cast.carol, cast.oscar):
        with pytest.raises(Refused) as refused:
            import_criteria(
                io.BytesIO(example_workbook(YEAR)), year=YEAR, name="a.xlsx", actor=someone
            )
        assert refused.value.code == "par_reform_office_only"
    assert not CriteriaSet.objects.exists()


def test_a_set_is_replaced_until_an_agency_begins(cast: Cast) -> None:
    first = example_set(cast.frank)
    again = example_set(cast.frank)
    assert again.pk == first.pk
    assert queries.counts(again) == (7, 48, 89)
    agency = department()
    services.open_assessment(again, agency, actor=focal_point(cast, agency, "phuong"))
    with pytest.raises(Refusal) as refused:
        example_set(cast.frank)
    assert refused.value.code == "par_set_in_use"
    assert queries.counts(again) == (7, 48, 89)
