"""The backup archive: a tar file (optionally gzip-compressed) holding the database dump, the
uploaded files and a manifest with each member's size and SHA-256.

Layout::

    database/db.sqlite3 | database/db.pgdump    the dump (SQLite backup API / pg_dump -Fc)
    media/<storage name> ...                    every file of the default storage (uploads)
    manifest.json                               what the archive holds (``Manifest``)
    manifest.sha256                             the manifest's own SHA-256 (sha256sum format)

The manifest comes last, so an archive cut short loses it and is refused. Checksums detect
damage (a flipped bit, a truncated copy, a member lost); they do not prove who made the archive:
keep archives where only operators can write (docs/backup.md).
"""

import hashlib
import io
import json
import re
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Literal, TypedDict, cast

FORMAT = "motcua-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
# The manifest of an archive with a million files is about 150 MB; refuse anything larger.
MAX_MANIFEST_BYTES = 512 * 2**20
CHUNK = 2**20
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")

Vendor = Literal["sqlite", "postgresql"]
VENDORS: tuple[Vendor, ...] = ("sqlite", "postgresql")


class BackupError(Exception):
    """A backup or restore refused or failed, with a stable ``code`` (tests assert codes) and a
    message in Vietnamese and English (the console's convention)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Member(TypedDict):
    name: str
    size: int
    sha256: str


class DatabaseInfo(TypedDict):
    vendor: Vendor
    # The database's own version ("3.40.1", "15.20") and the dump tool's ("pg_dump 15.20").
    server_version: str
    tool: str
    dump: str


class Manifest(TypedDict):
    format: str
    format_version: int
    created_at: str
    app_version: str
    database: DatabaseInfo
    # Applied migrations per app (from django_migrations, as in the dump).
    migrations: dict[str, list[str]]
    # Rows per table, counted in the same snapshot as the dump.
    tables: dict[str, int]
    members: list[Member]


def damaged(detail: str) -> BackupError:
    return BackupError(
        "archive_damaged",
        "Tệp sao lưu bị hỏng, không khôi phục / the archive is damaged, nothing restored: "
        + detail,
    )


class HashingReader(io.RawIOBase):
    """Reads through to ``source``, counting the bytes and hashing them."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self.source.read(-1 if size is None else size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def safe_member_name(name: str) -> bool:
    """A relative POSIX path without ``..``, so that no member can point outside its place."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and "\x00" not in name
        and str(path) == name
    )


def _write_mode(path: Path) -> Literal["w:gz", "w"]:
    return "w:gz" if path.name.endswith((".tar.gz", ".tgz")) else "w"


class ArchiveWriter:
    """Writes members one by one, recording their sums; ``finish`` appends the manifest."""

    def __init__(self, path: Path, *, mtime: float) -> None:
        self.tar = tarfile.open(path, _write_mode(path))  # noqa: SIM115 - closed in finish/abort
        self.members: list[Member] = []
        self.mtime = mtime

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        if not safe_member_name(name):
            raise BackupError("unsafe_name", f"Tên tệp không an toàn / unsafe file name: {name!r}")
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o600
        info.mtime = int(self.mtime)
        return info

    def add_stream(self, name: str, source: IO[bytes], size: int) -> Member:
        reader = HashingReader(source)
        self.tar.addfile(self._info(name, size), reader)
        if reader.size != size:
            raise BackupError(
                "file_changed",
                f"Tệp thay đổi trong khi sao lưu / a file changed while it was copied: {name}",
            )
        member = Member(name=name, size=size, sha256=reader.digest.hexdigest())
        self.members.append(member)
        return member

    def add_file(self, name: str, path: Path) -> Member:
        with path.open("rb") as f:
            return self.add_stream(name, f, path.stat().st_size)

    def _add_bytes(self, name: str, data: bytes) -> None:
        self.tar.addfile(self._info(name, len(data)), io.BytesIO(data))

    def finish(self, manifest: Manifest) -> None:
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        self._add_bytes(MANIFEST, data)
        self._add_bytes(MANIFEST_SUM, f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}\n".encode())
        self.tar.close()

    def abort(self) -> None:
        self.tar.close()


def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError("archive_missing", f"Không có tệp / no such file: {path}")
    try:
        return tarfile.open(path, "r:*")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise damaged(f"{exc}") from exc


def _members(tar: tarfile.TarFile) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    """Each member with its content, refusing anything but regular files with safe names."""
    names: set[str] = set()
    for info in tar:
        if not info.isfile() or not safe_member_name(info.name):
            raise damaged(f"unexpected member {info.name!r}")
        if info.name in names:
            raise damaged(f"member {info.name!r} appears twice")
        names.add(info.name)
        content = tar.extractfile(info)
        if content is None:  # pragma: no cover - regular files always have content
            raise damaged(f"unreadable member {info.name!r}")
        yield info, content


@dataclass(frozen=True)
class Contents:
    """What a full read of an archive found: the manifest and each member's size and sum."""

    manifest: Manifest
    found: dict[str, Member]


def _read_all(path: Path) -> Contents:
    found: dict[str, Member] = {}
    manifest_data: bytes | None = None
    manifest_sum: bytes | None = None
    with _open(path) as tar:
        try:
            for info, content in _members(tar):
                if info.name in (MANIFEST, MANIFEST_SUM):
                    if info.size > MAX_MANIFEST_BYTES:
                        raise damaged(f"{info.name} is too large")
                    data = content.read()
                    if info.name == MANIFEST:
                        manifest_data = data
                    else:
                        manifest_sum = data
                    continue
                reader = HashingReader(content)
                while reader.read(CHUNK):
                    pass
                found[info.name] = Member(
                    name=info.name, size=reader.size, sha256=reader.digest.hexdigest()
                )
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise damaged(f"{exc}") from exc
    if manifest_data is None or manifest_sum is None:
        raise damaged(f"{MANIFEST} or {MANIFEST_SUM} is missing (cut short?)")
    expected = manifest_sum.decode("ascii", "replace").split(" ", 1)[0].strip()
    if hashlib.sha256(manifest_data).hexdigest() != expected:
        raise damaged(f"the SHA-256 of {MANIFEST} does not match {MANIFEST_SUM}")
    return Contents(manifest=parse_manifest(manifest_data), found=found)


def parse_manifest(data: bytes) -> Manifest:
    """The manifest, checked field by field; a damaged or foreign one is refused."""
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise damaged(f"{MANIFEST} is not JSON ({exc})") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise damaged(f"{MANIFEST} is not a MộtCửa backup manifest")
    if raw.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            "unsupported_format",
            "Phiên bản định dạng sao lưu không được hỗ trợ / unsupported backup format version: "
            f"{raw.get('format_version')!r} (this version reads {FORMAT_VERSION})",
        )
    database = raw.get("database")
    members = raw.get("members")
    migrations = raw.get("migrations")
    tables = raw.get("tables")
    valid = (
        isinstance(raw.get("created_at"), str)
        and isinstance(raw.get("app_version"), str)
        and isinstance(database, dict)
        and database.get("vendor") in VENDORS
        and all(isinstance(database.get(k), str) for k in ("server_version", "tool", "dump"))
        and isinstance(migrations, dict)
        and all(
            isinstance(names, list) and all(isinstance(n, str) for n in names)
            for names in migrations.values()
        )
        and isinstance(tables, dict)
        and all(isinstance(n, int) and n >= 0 for n in tables.values())
        and isinstance(members, list)
        and all(
            isinstance(m, dict)
            and isinstance(m.get("name"), str)
            and safe_member_name(m["name"])
            and isinstance(m.get("size"), int)
            and isinstance(m.get("sha256"), str)
            and SHA256_RE.match(m["sha256"]) is not None
            for m in members
        )
    )
    if not valid:
        raise damaged(f"{MANIFEST} lacks a field or has one of the wrong type")
    return cast(Manifest, raw)


def verify(path: Path) -> Manifest:
    """Read the whole archive and check it against its manifest: every member listed is there
    with its size and SHA-256, nothing else is there, the database dump is among them. Raises
    ``BackupError`` (code ``archive_damaged``, ``archive_missing`` or ``unsupported_format``)
    before anything is restored."""
    contents = _read_all(path)
    manifest = contents.manifest
    listed = {m["name"]: m for m in manifest["members"]}
    if len(listed) != len(manifest["members"]):
        raise damaged(f"{MANIFEST} lists a member twice")
    missing = sorted(set(listed) - set(contents.found))
    if missing:
        raise damaged(f"{len(missing)} member(s) missing: {', '.join(missing[:5])}")
    extra = sorted(set(contents.found) - set(listed))
    if extra:
        raise damaged(f"{len(extra)} member(s) not in the manifest: {', '.join(extra[:5])}")
    wrong = sorted(
        name
        for name, member in listed.items()
        if contents.found[name]["sha256"] != member["sha256"]
        or contents.found[name]["size"] != member["size"]
    )
    if wrong:
        raise damaged(f"SHA-256 or size differs for {len(wrong)}: {', '.join(wrong[:5])}")
    dump = manifest["database"]["dump"]
    if dump not in listed or not dump.startswith(DATABASE_PREFIX):
        raise damaged(f"the database dump {dump!r} is not in the archive")
    return manifest


def read_members(path: Path, manifest: Manifest) -> Iterator[tuple[Member, HashingReader]]:
    """Each listed member with a reader that hashes what is read; the caller compares the sum
    after reading (the file could change between ``verify`` and now)."""
    listed = {m["name"]: m for m in manifest["members"]}
    with _open(path) as tar:
        try:
            for info, content in _members(tar):
                if info.name in listed:
                    yield listed[info.name], HashingReader(content)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise damaged(f"{exc}") from exc


def check_read(member: Member, reader: HashingReader) -> None:
    if reader.size != member["size"] or reader.digest.hexdigest() != member["sha256"]:
        raise damaged(f"{member['name']} changed after it was verified")
