"""Reporting windows (the reporting regime of Decree 09/2019/NĐ-CP, as applied e.g. by Khánh
Hòa in 2023; domain §5): figures are closed on the 14th, so a monthly report
runs from the 15th of the previous month to the 14th; the quarterly, 6-month, 9-month and
annual reports start on 15 December of the previous year.

Configurable with ``settings.REPORT_WINDOWS``: ``{"cutoff_day": 15, "months": {kind: length}}``
(a window of ``length`` months numbered from 1; ``cutoff_day`` 1 gives calendar months)."""

import datetime as dt
from typing import Any

from django.conf import settings

DEFAULT: dict[str, Any] = {
    "cutoff_day": 15,
    "months": {"monthly": 1, "quarterly": 3, "6-month": 6, "9-month": 9, "annual": 12},
}


def config() -> dict[str, Any]:
    return {**DEFAULT, **getattr(settings, "REPORT_WINDOWS", {})}


def kinds() -> list[str]:
    return list(config()["months"])


def _first_day(year: int, month_index: int, cutoff: int) -> dt.date:
    """The window boundary ``month_index`` months into ``year``: with the 15th cut-off,
    index 0 is 15 December of the previous year, index 1 is 15 January…"""
    # With the 1st as cut-off index 0 is 1 January, otherwise the previous December.
    months = year * 12 + month_index - (0 if cutoff == 1 else 1)
    return dt.date(months // 12, months % 12 + 1, cutoff)


def window(kind: str, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the ``number``-th window of ``kind`` in ``year``."""
    conf = config()
    length = conf["months"].get(kind)
    if length is None:
        raise ValueError(f"unknown window '{kind}'; use one of {', '.join(conf['months'])}")
    count = 12 // length
    if not 1 <= number <= count:
        raise ValueError(f"a {kind} window is numbered 1 to {count}")
    cutoff = int(conf["cutoff_day"])
    if not 1 <= cutoff <= 28:
        raise ValueError("REPORT_WINDOWS cutoff_day must be between 1 and 28")
    start = _first_day(year, (number - 1) * length, cutoff)
    end = _first_day(year, number * length, cutoff) - dt.timedelta(days=1)
    return start, end
