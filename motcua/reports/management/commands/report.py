"""``motcua report processing --from 2026-01-15 --to 2026-02-14 --group-by agency``: the
processing report from the rollups, as JSON (to standard output or ``--output``), XLSX or PDF
(``--output`` required). ``--window monthly --year 2026 --number 2`` instead of the dates;
``--interagency`` for the inter-agency (liên thông) dossiers only, ``--no-interagency`` for the
others."""

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.reports import windows
from motcua.reports.exports import processing_xlsx
from motcua.reports.exports_pdf import processing_pdf
from motcua.reports.processing import GROUPINGS, processing_report
from motcua.workdays.bounds import validate_supported_date


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"'{text}' không phải ngày YYYY-MM-DD / is not a date YYYY-MM-DD"
        ) from None
    try:
        validate_supported_date(day)
    except ValidationError as invalid:
        raise CommandError(" ".join(invalid.messages)) from None
    return day


class Command(BaseCommand):
    help = "Print or export a report (processing: Tình hình, kết quả giải quyết TTHC)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("report", choices=["processing"])
        parser.add_argument("--from", dest="start", help="First day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="Last day, YYYY-MM-DD")
        parser.add_argument("--window", choices=windows.kinds(), help="A reporting window")
        parser.add_argument("--year", type=int)
        parser.add_argument("--number", type=int, default=1)
        parser.add_argument("--group-by", choices=GROUPINGS, default="agency")
        parser.add_argument(
            "--interagency",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Inter-agency (liên thông) dossiers only; --no-interagency: the others",
        )
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
        parser.add_argument("--output", type=Path, help="Write to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["window"]:
            if options["start"] or options["end"] or options["year"] is None:
                raise CommandError(
                    "--window cần --year và không dùng với --from/--to / "
                    "--window needs --year and excludes --from/--to"
                )
            try:
                start, end = windows.window(options["window"], options["year"], options["number"])
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        else:
            if not options["start"] or not options["end"]:
                raise CommandError(
                    "Cần --from và --to, hoặc --window / give --from and --to, or --window"
                )
            start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to trước --from / --to is before --from")
        report = processing_report(
            start, end, options["group_by"], interagency=options["interagency"]
        )
        output: Path | None = options["output"]
        if options["format"] in ("xlsx", "pdf"):
            kind = options["format"].upper()
            if output is None:
                raise CommandError(f"{kind} cần --output FILE / {kind} needs --output FILE")
            render = processing_xlsx if kind == "XLSX" else processing_pdf
            output.write_bytes(render(report))
            self.stdout.write(f"Đã ghi / written: {output}")
            return
        text = json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
        else:
            output.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Đã ghi / written: {output}")
