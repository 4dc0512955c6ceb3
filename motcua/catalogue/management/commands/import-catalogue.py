"""``motcua import-catalogue FILE``: import procedures from JSON, XLSX or CSV, all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalogue.files import read_catalogue_file
from motcua.catalogue.interchange import CatalogueImportError, import_catalogue


class Command(BaseCommand):
    help = "Import the procedure catalogue from a .json, .xlsx or .csv file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["json", "xlsx", "csv"], default=None)
        parser.add_argument(
            "--amend",
            action="store_true",
            help="Publish a new version of procedures whose content differs",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = read_catalogue_file(options["file"], options["format"])
            report = import_catalogue(
                data, actor=None, amend=options["amend"], dry_run=options["dry_run"]
            )
        except CatalogueImportError as exc:
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError(
                f"Không nhập gì: {len(exc.issues)} lỗi / Nothing imported: "
                f"{len(exc.issues)} problem(s)"
            ) from None
        prefix = "[thử / dry run] " if options["dry_run"] else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}Thủ tục / procedures: {len(report.created)} mới / new, "
                f"{len(report.amended)} sửa đổi / amended, {len(report.unchanged)} không đổi / "
                f"unchanged; lĩnh vực mới / new fields: {report.fields_created}; "
                f"quyết định mới / new decisions: {report.decisions_created}."
            )
        )
