"""``motcua restore FILE``: check the archive completely, then restore it into the empty
database and the storage (docs/backup.md). ``--check`` only checks; ``--replace`` drops what
the target database holds first and overwrites stored files that differ. Stop the server and
the workers before restoring."""

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from motcua.ops.archive import BackupError
from motcua.ops.restore import check_archive, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database after checking every SHA-256 sum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The archive written by `motcua backup`")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the archive against its manifest; change nothing",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "Restore even into a database that holds data: drop all of it first (it is "
                "lost), and overwrite stored files whose content differs"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            if options["check"]:
                manifest = check_archive(path)
                self.stdout.write(
                    f"Tệp sao lưu nguyên vẹn / the archive is intact: {len(manifest['members'])} "
                    f"members, {manifest['database']['vendor']}, made {manifest['created_at']} "
                    f"by version {manifest['app_version']}"
                )
                return
            result = restore_backup(path, replace=options["replace"])
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        except (DatabaseError, sqlite3.Error) as exc:
            raise CommandError(f"Lỗi cơ sở dữ liệu / database error: {exc}") from exc
        rows = sum(result.manifest["tables"].values())
        self.stdout.write(
            f"Đã khôi phục {len(result.manifest['tables'])} bảng ({rows} dòng), "
            f"{result.files_written} tệp ghi, {result.files_kept} tệp đã có / restored "
            f"{len(result.manifest['tables'])} tables ({rows} rows), {result.files_written} "
            f"files written, {result.files_kept} already there"
        )
        if result.pending_migrations:
            self.stdout.write(
                f"Còn {len(result.pending_migrations)} migration của phiên bản này, chạy "
                f"`motcua migrate` / {len(result.pending_migrations)} migration(s) of this "
                "version not applied yet: run `motcua migrate`"
            )
