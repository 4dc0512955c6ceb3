"""``create_backup``: one consistent archive of the database and the uploaded files.

The database is dumped first, in one snapshot; the files are copied after it, so every file the
dump names is in the archive (uploads are never changed in place: a document's file name carries
its SHA-256). A file uploaded during the copy may be in the archive without a row naming it,
which is harmless. The archive is written under a temporary name beside its destination and
renamed when complete, readable by its owner only: it holds citizens' personal data.
"""

import datetime as dt
import importlib.metadata
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from motcua.ops import databases, media
from motcua.ops.archive import (
    DATABASE_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    MEDIA_PREFIX,
    ArchiveWriter,
    BackupError,
    DatabaseInfo,
    Manifest,
)


def app_version() -> str:
    try:
        return importlib.metadata.version("motcua")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def default_name(vendor: str, now: dt.datetime) -> str:
    return f"motcua-{vendor}-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.tar"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    # Files listed by the storage but gone before they were read (deleted meanwhile).
    vanished: list[str] = field(default_factory=list)


def create_backup(path: Path, *, now: dt.datetime | None = None) -> BackupResult:
    """Write the archive at ``path`` (``.tar``, or gzip-compressed when it ends in ``.tar.gz``
    or ``.tgz``); refuses to overwrite an existing file (code ``output_exists``)."""
    now = now or timezone.now()
    if path.exists():
        raise BackupError(
            "output_exists", f"Tệp đã có, không ghi đè / the file exists, not overwritten: {path}"
        )
    vendor = databases.vendor()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".motcua-backup-") as work:
        directory = Path(work)
        os.chmod(directory, 0o700)
        partial = directory / path.name
        dump_path, snapshot = databases.dump(directory)
        writer = ArchiveWriter(partial, mtime=now.timestamp())
        vanished: list[str] = []
        try:
            dump = writer.add_file(DATABASE_PREFIX + dump_path.name, dump_path)
            dump_path.unlink()
            store = media.storage()
            for name in media.stored_files(store):
                try:
                    size = store.size(name)
                    with store.open(name, "rb") as f:
                        writer.add_stream(MEDIA_PREFIX + name, f, size)
                except FileNotFoundError:
                    vanished.append(name)
            manifest = Manifest(
                format=FORMAT,
                format_version=FORMAT_VERSION,
                created_at=now.isoformat(),
                app_version=app_version(),
                database=DatabaseInfo(
                    vendor=vendor,
                    server_version=snapshot.server_version,
                    tool=snapshot.tool,
                    dump=dump["name"],
                ),
                migrations=snapshot.migrations,
                tables=snapshot.tables,
                members=writer.members,
            )
            writer.finish(manifest)
        except BaseException:
            writer.abort()
            raise
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    return BackupResult(path=path, manifest=manifest, vanished=vanished)
