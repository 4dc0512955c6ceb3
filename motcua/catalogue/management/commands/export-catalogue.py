"""``motcua export-catalogue FILE``: write the catalogue in force as JSON, XLSX or CSV."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalogue.files import write_catalogue_file
from motcua.catalogue.interchange import CatalogueImportError, export_catalogue


class Command(BaseCommand):
    help = "Export the procedures in force (today or --on DATE) to a .json, .xlsx or .csv file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["json", "xlsx", "csv"], default=None)
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        data = export_catalogue(options["on"])
        try:
            write_catalogue_file(data, options["file"], options["format"])
        except CatalogueImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã xuất / Exported {len(data['procedures'])} thủ tục / procedures "
                f"→ {options['file']}"
            )
        )
