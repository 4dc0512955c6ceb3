"""Write the example PAR criteria set as the province's XLSX (docs/par.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.par.example import example_workbook


class Command(BaseCommand):
    help = "Write the example PAR criteria set (7 areas, 48 criteria, 89 sub-criteria) as XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", type=Path, help="where to write the .xlsx file")
        parser.add_argument("--year", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["output"]
        path.write_bytes(example_workbook(options["year"]))
        self.stdout.write(f"{path}")
