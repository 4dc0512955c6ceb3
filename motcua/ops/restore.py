"""``restore_backup``: check an archive completely, then load it into an empty database.

Nothing is touched before every check has passed: the archive is read to its end and each
member's size and SHA-256 compared with the manifest; the manifest's database must be this
installation's (SQLite or PostgreSQL); its migrations must all be known to this version of the
code; the target database must be empty (or ``replace`` given); no stored file may differ from
the archive's copy (or ``replace`` given). After loading, the rows of every table and the
applied migrations are compared with the manifest.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from motcua.ops import archive, databases, media
from motcua.ops.archive import MEDIA_PREFIX, BackupError, Manifest

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    files_written: int
    files_kept: int
    # Migrations of this version that the archive's database had not applied yet.
    pending_migrations: list[str]


def check_archive(path: Path) -> Manifest:
    """The archive's manifest once every member is verified (``BackupError`` otherwise)."""
    return archive.verify(path)


def _check_compatible(manifest: Manifest) -> None:
    vendor = databases.vendor()
    theirs = manifest["database"]["vendor"]
    if theirs != vendor:
        raise BackupError(
            "vendor_mismatch",
            f"Bản sao lưu của {VENDOR_NAMES[theirs]}, cơ sở dữ liệu này là {VENDOR_NAMES[vendor]} "
            f"/ the archive holds a {VENDOR_NAMES[theirs]} database, this installation uses "
            f"{VENDOR_NAMES[vendor]}: restore it into a {VENDOR_NAMES[theirs]} database",
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            "unknown_migrations",
            "Bản sao lưu từ phiên bản mới hơn / the archive comes from a newer version "
            f"({manifest['app_version']}): {len(unknown)} migration(s) unknown here "
            f"({', '.join(unknown[:5])}); install that version and restore with it",
        )


def _check_target(*, replace: bool) -> None:
    if not replace and not databases.is_empty():
        raise BackupError(
            "target_not_empty",
            "Cơ sở dữ liệu đích đã có dữ liệu, không khôi phục / the target database is not "
            "empty, nothing restored: restore into an empty database, or give --replace to "
            "drop everything in it first",
        )


def _load_database(path: Path, manifest: Manifest) -> None:
    with tempfile.TemporaryDirectory(prefix="motcua-restore-") as work:
        dump_path = Path(work) / Path(manifest["database"]["dump"]).name
        for member, reader in archive.read_members(path, manifest):
            if member["name"] == manifest["database"]["dump"]:
                with dump_path.open("wb") as out:
                    while chunk := reader.read(archive.CHUNK):
                        out.write(chunk)
                archive.check_read(member, reader)
                break
        databases.load(dump_path)


def _verify_database(manifest: Manifest) -> None:
    tables, migrations = databases.current_state()
    if tables != manifest["tables"]:
        differ = sorted(
            name
            for name in set(tables) | set(manifest["tables"])
            if tables.get(name) != manifest["tables"].get(name)
        )
        raise BackupError(
            "verification_failed",
            "Số dòng sau khi khôi phục khác bản sao lưu / row counts after the restore differ "
            f"from the archive's: {', '.join(differ[:5])}",
        )
    if migrations != manifest["migrations"]:
        raise BackupError(
            "verification_failed",
            "Các migration sau khi khôi phục khác bản sao lưu / the applied migrations differ "
            "from the archive's",
        )


def restore_backup(path: Path, *, replace: bool = False) -> RestoreResult:
    manifest = check_archive(path)
    _check_compatible(manifest)
    _check_target(replace=replace)
    files = media.plan(manifest, replace=replace)
    if replace:
        databases.clear()
    _load_database(path, manifest)
    _verify_database(manifest)
    to_write = {member["name"] for member in files.write}
    for member, reader in archive.read_members(path, manifest):
        if member["name"] in to_write:
            media.write(
                member,
                reader,
                overwrite=member["name"].removeprefix(MEDIA_PREFIX) in files.overwrite,
            )
            archive.check_read(member, reader)
    executor = MigrationExecutor(connection)
    pending = [
        f"{migration.app_label}.{migration.name}"
        for migration, _backwards in executor.migration_plan(executor.loader.graph.leaf_nodes())
    ]
    return RestoreResult(
        manifest=manifest,
        files_written=len(files.write),
        files_kept=len(files.keep),
        pending_migrations=pending,
    )
