"""Reporting windows of domain §5: figures close on the 14th."""

import datetime as dt

import pytest
from django.test import override_settings

from motcua.reports.windows import window

D = dt.date


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        ("monthly", 1, (D(2025, 12, 15), D(2026, 1, 14))),
        ("monthly", 3, (D(2026, 2, 15), D(2026, 3, 14))),
        ("monthly", 12, (D(2026, 11, 15), D(2026, 12, 14))),
        ("quarterly", 1, (D(2025, 12, 15), D(2026, 3, 14))),
        ("quarterly", 4, (D(2026, 9, 15), D(2026, 12, 14))),
        ("6-month", 1, (D(2025, 12, 15), D(2026, 6, 14))),
        ("9-month", 1, (D(2025, 12, 15), D(2026, 9, 14))),
        ("annual", 1, (D(2025, 12, 15), D(2026, 12, 14))),
    ],
)
def test_each_window_runs_from_the_15th_to_the_14th(
    kind: str, number: int, expected: tuple[dt.date, dt.date]
) -> None:
    assert window(kind, 2026, number) == expected


def test_windows_are_configurable() -> None:
    with override_settings(REPORT_WINDOWS={"cutoff_day": 1}):
        assert window("monthly", 2026, 2) == (D(2026, 2, 1), D(2026, 2, 28))
        assert window("annual", 2026) == (D(2026, 1, 1), D(2026, 12, 31))
    with override_settings(REPORT_WINDOWS={"months": {"monthly": 1, "two-month": 2}}):
        assert window("two-month", 2026, 2) == (D(2026, 2, 15), D(2026, 4, 14))


def test_an_unknown_window_or_number_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        window("weekly", 2026, 1)
    with pytest.raises(ValueError, match="1 to 4"):
        window("quarterly", 2026, 5)
