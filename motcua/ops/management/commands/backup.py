"""``motcua backup [FILE]``: write a consistent archive of the database and the uploaded files
(docs/backup.md). Without FILE, ``<MOTCUA_DATA_DIR>/backups/motcua-<vendor>-<UTC time>.tar``;
a name ending in ``.tar.gz`` or ``.tgz`` is compressed. The last line names the archive."""

import sqlite3
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from motcua.ops import databases
from motcua.ops.archive import BackupError
from motcua.ops.backup import create_backup, default_name


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive with SHA-256 sums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            help="The archive to write (.tar, .tar.gz); never overwritten",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        try:
            path: Path = options["file"] or (
                Path(settings.DATA_DIR) / "backups" / default_name(databases.vendor(), now)
            )
            result = create_backup(path, now=now)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        except (DatabaseError, sqlite3.Error) as exc:
            raise CommandError(f"Lỗi cơ sở dữ liệu / database error: {exc}") from exc
        manifest = result.manifest
        files = sum(1 for m in manifest["members"] if m["name"].startswith("media/"))
        rows = sum(manifest["tables"].values())
        for name in result.vanished:
            self.stderr.write(f"Tệp đã bị xoá trong khi sao lưu / file gone meanwhile: {name}")
        self.stdout.write(
            f"Đã sao lưu {len(manifest['tables'])} bảng ({rows} dòng) và {files} tệp / backed up "
            f"{len(manifest['tables'])} tables ({rows} rows) and {files} files: {result.path}"
        )
