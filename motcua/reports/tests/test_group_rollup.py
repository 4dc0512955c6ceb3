"""The group rollups (issue 11 item 5): every daily delta lands on the year, month and day rows
of its field, procedure and channel (the historic import's fast path included, and the fill
migration for existing installs), and a report by field, procedure or channel reads a number of
them bounded by groups × periods, not the daily rows nor the dossiers. Exactness against a
direct count over the dossiers is judged in ``test_exactness.py``."""

import datetime as dt
import importlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers.legacy import DossierImport
from motcua.dossiers.rollup import AGENCY_COUNTERS, COUNTERS, rebuild
from motcua.dossiers.rollup_models import AgencyGroupRollup, DailyRollup, GroupRollup
from motcua.reports.processing import processing_report
from motcua.reports.tests.test_agency_rollup import procedures, upto, write_csv
from motcua.testing import Cast, make_agency


def summed_daily_rows() -> set[tuple[Any, ...]]:
    """What the group rollups must hold: the daily rows summed over agencies per field, per
    procedure (through the version) and per channel into years, months and days."""
    versions = {
        pk: (str(f), str(p))
        for pk, f, p in ProcedureVersion.objects.values_list("pk", "field_id", "procedure_id")
    }
    found: dict[tuple[Any, ...], list[int]] = {}
    for version, channel, day, *values in DailyRollup.objects.values_list(
        "version_id", "channel", "day", *COUNTERS
    ):
        extended = [values[0], values[0] if channel == "online" else 0, *values[1:]]
        field_key, procedure_key = versions[version]
        for dimension, key in (
            ("field", field_key),
            ("procedure", procedure_key),
            ("channel", channel),
        ):
            for grain, start in (
                ("year", dt.date(day.year, 1, 1)),
                ("month", dt.date(day.year, day.month, 1)),
                ("day", day),
            ):
                row = found.setdefault((dimension, key, grain, start), [0] * len(extended))
                for i, value in enumerate(extended):
                    row[i] += value
    return {(*key, *values) for key, values in found.items() if any(values)}


def group_rows() -> set[tuple[Any, ...]]:
    return {
        row
        for row in GroupRollup.objects.values_list(
            "dimension", "key", "grain", "start", *AGENCY_COUNTERS
        )
        if any(row[4:])
    }


def test_the_group_rows_are_the_daily_rows_summed_and_rebuild_and_the_fill_give_them_again(
    cast: Cast, tmp_path: Path
) -> None:
    make_agency("H56.23")
    codes = procedures(cast, 3)
    path = write_csv(tmp_path / "a.csv", [("H56.22", codes, 2), ("H56.23", codes[:1], 1)])
    assert DossierImport(path, batch_size=25).run().imported == 135
    expected = summed_daily_rows()
    assert {row[0] for row in expected} == {"field", "procedure", "channel"}
    assert {row[2] for row in expected} == {"year", "month", "day"}
    assert group_rows() == expected
    rebuild()
    assert group_rows() == expected
    # An existing install: the migration fills them from the daily rows.
    GroupRollup.objects.all().delete()
    fill = importlib.import_module("motcua.dossiers.migrations.0017_fill_group_rollup")
    fill.forward(apps, None)
    assert group_rows() == expected


def test_a_report_by_field_procedure_or_channel_reads_group_rows_bounded_by_the_periods(
    cast: Cast, tmp_path: Path
) -> None:
    """Twenty procedures at one agency, then ten times the dossiers of two of them at two
    more: the reports by field, procedure and channel run the same two queries (none on the
    daily rows), and each group's prefix sums read at most years + 2 × (1 + 7 + 16) rows."""
    make_agency("H56.23")
    make_agency("H56.24")
    codes = procedures(cast, 20)
    plan = [("H56.22", codes, 1)]
    assert DossierImport(write_csv(tmp_path / "b.csv", plan), batch_size=200).run().imported
    period = (dt.date(2025, 12, 28), dt.date(2026, 1, 20))
    before = {}
    for group_by in ("field", "procedure", "channel"):
        with CaptureQueriesContext(connection) as captured:
            processing_report(*period, group_by)
        before[group_by] = [q["sql"] for q in captured.captured_queries]
        assert all("dailyrollup" not in sql for sql in before[group_by]), group_by
        assert any("grouprollup" in sql for sql in before[group_by]), group_by

    plan = [("H56.23", codes[:2], 10), ("H56.24", codes[:2], 10)]
    assert DossierImport(write_csv(tmp_path / "c.csv", plan), batch_size=200).run().imported
    for group_by in ("field", "procedure", "channel"):
        with CaptureQueriesContext(connection) as captured:
            report = processing_report(*period, group_by)
        assert len(captured.captured_queries) == len(before[group_by]) <= 3
        assert all("dailyrollup" not in q["sql"] for q in captured.captured_queries)
        assert report.totals.received_total > 0
        for key in {
            k for (k,) in GroupRollup.objects.filter(dimension=group_by).values_list("key")
        }:
            rows = GroupRollup.objects.filter(dimension=group_by, key=key)
            read = rows.filter(upto(period[0] - dt.timedelta(days=1)) | upto(period[1])).count()
            assert 0 < read <= 2 + 2 * (1 + 7 + 16), (group_by, key)


def test_a_report_for_some_agencies_by_channel_still_counts_only_theirs(
    cast: Cast, tmp_path: Path
) -> None:
    """``GroupRollup`` sums all agencies: a report restricted to some reads their
    ``AgencyGroupRollup`` rows."""
    make_agency("H56.23")
    codes = procedures(cast, 2)
    plan = [("H56.22", codes, 1), ("H56.23", codes, 2)]
    assert DossierImport(write_csv(tmp_path / "d.csv", plan)).run().imported == 135
    period = (dt.date(2025, 12, 1), dt.date(2026, 1, 31))
    every = processing_report(*period, "channel")
    only = processing_report(*period, "channel", agency_ids={cast.agency.pk})
    assert every.totals.received_total == 135
    assert only.totals.received_total == 45


def summed_daily_rows_per_agency() -> set[tuple[Any, ...]]:
    """What the agency group rollups must hold: the daily rows per agency and kind of version
    summed per field, procedure and channel into years, months and days."""
    versions = {
        pk: (str(f), str(p), i)
        for pk, f, p, i in ProcedureVersion.objects.values_list(
            "pk", "field_id", "procedure_id", "inter_agency"
        )
    }
    found: dict[tuple[Any, ...], list[int]] = {}
    for agency, version, channel, day, *values in DailyRollup.objects.values_list(
        "agency_id", "version_id", "channel", "day", *COUNTERS
    ):
        extended = [values[0], values[0] if channel == "online" else 0, *values[1:]]
        field_key, procedure_key, inter_agency = versions[version]
        for dimension, key in (
            ("field", field_key),
            ("procedure", procedure_key),
            ("channel", channel),
        ):
            for grain, start in (
                ("year", dt.date(day.year, 1, 1)),
                ("month", dt.date(day.year, day.month, 1)),
                ("day", day),
            ):
                cell = (agency, inter_agency, dimension, key, grain, start)
                row = found.setdefault(cell, [0] * len(extended))
                for i, value in enumerate(extended):
                    row[i] += value
    return {(*key, *values) for key, values in found.items() if any(values)}


def agency_group_rows() -> set[tuple[Any, ...]]:
    return {
        row
        for row in AgencyGroupRollup.objects.values_list(
            "agency_id", "inter_agency", "dimension", "key", "grain", "start", *AGENCY_COUNTERS
        )
        if any(row[6:])
    }


def test_the_agency_group_rows_are_the_daily_rows_summed_and_rebuild_and_the_fill_agree(
    cast: Cast, tmp_path: Path
) -> None:
    make_agency("H56.23")
    codes = procedures(cast, 3)
    ProcedureVersion.objects.filter(procedure__code=codes[0]).update(inter_agency=True)
    path = write_csv(tmp_path / "a.csv", [("H56.22", codes, 2), ("H56.23", codes[:1], 1)])
    assert DossierImport(path, batch_size=25).run().imported == 135
    expected = summed_daily_rows_per_agency()
    assert {row[1] for row in expected} == {True, False}
    assert agency_group_rows() == expected
    rebuild()
    assert agency_group_rows() == expected
    AgencyGroupRollup.objects.all().delete()
    fill = importlib.import_module("motcua.dossiers.migrations.0025_fill_agency_group_rollup")
    fill.forward(apps, SimpleNamespace(connection=connection))
    assert agency_group_rows() == expected


def test_reports_for_some_agencies_or_one_kind_read_agency_group_rows_not_daily_rows(
    cast: Cast, tmp_path: Path
) -> None:
    """Every grouping, restricted to an agency, to inter-agency versions or to the others:
    two queries or three, none on the daily rows; the figures add up to the whole report's."""
    make_agency("H56.23")
    codes = procedures(cast, 4)
    ProcedureVersion.objects.filter(procedure__code=codes[0]).update(inter_agency=True)
    plan = [("H56.22", codes, 2), ("H56.23", codes[:2], 1)]
    assert DossierImport(write_csv(tmp_path / "e.csv", plan)).run().imported
    period = (dt.date(2025, 12, 28), dt.date(2026, 1, 20))
    other = make_agency("H56.24")
    for group_by in ("agency", "field", "procedure", "level", "channel"):
        whole = processing_report(*period, group_by).totals
        for scope in (
            {"interagency": True},
            {"interagency": False},
            {"agency_ids": {cast.agency.pk}},
            {"agency_ids": {other.pk}, "interagency": True},
        ):
            with CaptureQueriesContext(connection) as captured:
                processing_report(*period, group_by, **scope)
            assert len(captured.captured_queries) <= 3, (group_by, scope)
            assert all("dailyrollup" not in q["sql"] for q in captured.captured_queries)
        linked = processing_report(*period, group_by, interagency=True).totals
        others = processing_report(*period, group_by, interagency=False).totals
        assert linked.received_total > 0 and others.received_total > 0
        assert linked.received_total + others.received_total == whole.received_total
        assert linked.pending_total + others.pending_total == whole.pending_total
        nobody = processing_report(*period, group_by, agency_ids={other.pk}, interagency=True)
        assert nobody.rows == []
