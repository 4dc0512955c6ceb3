"""``motcua backup`` and ``motcua restore`` end to end, as an operator runs them: real
``motcua`` processes on a database filled by ``load-demo`` with documents attached through the
engine, real SQLite files and a real PostgreSQL server with ``pg_dump``/``pg_restore``.

The SQLite round trip runs in the SQLite leg, the PostgreSQL one in the PostgreSQL leg (which
``scripts/test`` runs when a server answers), on scratch databases of its own that it drops.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.db import connection
from psycopg import sql

from motcua.ops import archive
from motcua.ops.archive import BackupError

# Attaches documents to the demo's dossiers through the engine (as the desk officer of Mỹ Tho
# ward) and puts one more file with a Vietnamese name into the storage.
ATTACH_SCRIPT = """
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from motcua.accounts.models import User
from motcua.dossiers import documents
from motcua.dossiers.models import Dossier

actor = User.objects.get(username="mytho")
attached = 0
for dossier in Dossier.objects.order_by("pk"):
    for n in range(3):
        content = b"%PDF-1.4\\n" + f"{dossier.code} {n}".encode() + bytes(range(256)) * (n + 1)
        try:
            documents.attach(
                dossier, actor=actor, upload=SimpleUploadedFile(f"Tờ khai {n}.pdf", content)
            )
        except (PermissionDenied, ValidationError):
            break
        attached += 1
    if attached >= 6:
        break
assert attached >= 3, attached
default_storage.save("khác/Biên bản họp.txt", ContentFile("Biên bản".encode()))
"""


# Opens sessions one after another until the file ``stop`` appears: a server at work.
WRITER_SCRIPT = """
import pathlib, time
from django.contrib.sessions.backends.db import SessionStore
stop = pathlib.Path({stop!r})
deadline = time.monotonic() + 120
while not stop.exists() and time.monotonic() < deadline:
    SessionStore().create()
"""


@dataclass(frozen=True)
class Installation:
    """One installation: its data directory (SQLite file, uploads) and, for PostgreSQL, its
    database's URL."""

    data_dir: Path
    database_url: str | None = None

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    @property
    def sqlite(self) -> Path:
        return self.data_dir / "motcua.sqlite3"

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
        env["MOTCUA_DATA_DIR"] = str(self.data_dir)
        env["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "motcua", *args],
            env=self._env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    def start(self, *args: str) -> "subprocess.Popen[str]":
        return subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "motcua", *args],
            env=self._env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def row_counts(self) -> dict[str, int]:
        """Rows of every table, read with the database's own driver (not the code tested)."""
        if self.database_url is None:
            with closing(sqlite3.connect(self.sqlite)) as db:
                names = [
                    row[0]
                    for row in db.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite%'"
                    )
                ]
                count = 'SELECT COUNT(*) FROM "{}"'
                return {n: db.execute(count.format(n)).fetchone()[0] for n in names}
        with psycopg.connect(self.database_url) as db:
            names = [
                row[0]
                for row in db.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                )
            ]
            counts: dict[str, int] = {}
            for n in names:
                row = db.execute(
                    sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(n))
                ).fetchone()
                assert row is not None
                counts[n] = row[0]
            return counts

    def files(self) -> dict[str, bytes]:
        if not self.media.exists():
            return {}
        return {
            str(p.relative_to(self.media)): p.read_bytes()
            for p in sorted(self.media.rglob("*"))
            if p.is_file()
        }


def _filled(installation: Installation) -> Installation:
    installation.ok("migrate", "--verbosity", "0")
    installation.ok("load-demo")
    installation.ok("shell", "--no-imports", "-c", ATTACH_SCRIPT)
    return installation


def _assert_same(source: Installation, restored: Installation) -> None:
    counts = source.row_counts()
    assert counts["dossiers_dossierdocument"] > 0
    assert sum(counts.values()) > 10_000
    assert restored.row_counts() == counts
    files = source.files()
    assert len(files) >= 4
    assert "khác/Biên bản họp.txt" in files
    # A sample of the uploads, byte for byte: every other file.
    restored_files = restored.files()
    assert sorted(restored_files) == sorted(files)
    for name in sorted(files)[::2]:
        assert restored_files[name] == files[name], name


def _round_trip_while_writing(source: Installation, target: Installation, path: Path) -> None:
    """Back up while another process keeps writing: the archive holds one moment (its
    manifest's counts are the dump's, which the restore checks), not rows from before and
    after."""
    source.ok("migrate", "--verbosity", "0")
    stop = source.data_dir / "stop"
    writer = source.start("shell", "--no-imports", "-c", WRITER_SCRIPT.format(stop=str(stop)))
    try:
        deadline = time.monotonic() + 60
        while source.row_counts()["django_session"] < 50:
            assert writer.poll() is None, writer.communicate()[1]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        source.ok("backup", str(path))
        time.sleep(0.2)
    finally:
        stop.touch()
        _, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors
    archived = archive.verify(path)["tables"]
    assert 50 <= archived["django_session"] < source.row_counts()["django_session"]
    target.ok("restore", str(path))
    assert target.row_counts() == archived


# --- SQLite -------------------------------------------------------------------------------

sqlite_leg = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite round trip runs in the SQLite leg"
)
postgresql_leg = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="runs in the PostgreSQL leg (scripts/test runs it when a server answers)",
)


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    return _filled(Installation(tmp_path_factory.mktemp("source")))


@pytest.fixture(scope="module")
def sqlite_archive(sqlite_source: Installation) -> Path:
    path = sqlite_source.data_dir / "backups" / "nightly.tar"
    out = sqlite_source.ok("backup", str(path))
    assert str(path) in out
    return path


@pytest.fixture
def empty(tmp_path: Path) -> Installation:
    return Installation(tmp_path / "target")


@sqlite_leg
def test_a_sqlite_backup_restores_every_row_and_file(
    sqlite_source: Installation, sqlite_archive: Path, empty: Installation
) -> None:
    """Backup → restore into a new installation: every table has the same number of rows and
    the uploads the same bytes; the archive is readable by its owner only."""
    assert sqlite_archive.stat().st_mode & 0o077 == 0
    out = empty.ok("restore", str(sqlite_archive))
    assert "restored" in out
    _assert_same(sqlite_source, empty)
    # The restored installation works: Django sees every migration applied.
    assert "[ ]" not in empty.ok("showmigrations")


@sqlite_leg
def test_a_sqlite_backup_taken_while_the_server_writes_is_one_moment(tmp_path: Path) -> None:
    _round_trip_while_writing(
        Installation(tmp_path / "source"), Installation(tmp_path / "target"), tmp_path / "b.tar"
    )


@sqlite_leg
def test_the_manifest_lists_every_member_with_its_sum_and_the_dump_s_rows(
    sqlite_source: Installation, sqlite_archive: Path
) -> None:
    manifest = archive.verify(sqlite_archive)
    assert manifest["format_version"] == archive.FORMAT_VERSION
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["database"]["dump"] == "database/db.sqlite3"
    assert "0001_initial" in manifest["migrations"]["dossiers"]
    assert manifest["tables"] == sqlite_source.row_counts()
    media = {m["name"].removeprefix("media/") for m in manifest["members"]} - {
        "database/db.sqlite3"
    }
    assert media == set(sqlite_source.files())


@sqlite_leg
def test_a_compressed_backup_restores_too(sqlite_source: Installation, empty: Installation) -> None:
    path = sqlite_source.data_dir / "backups" / "weekly.tar.gz"
    sqlite_source.ok("backup", str(path))
    with path.open("rb") as f:
        assert f.read(2) == b"\x1f\x8b"
    empty.ok("restore", str(path))
    _assert_same(sqlite_source, empty)


@sqlite_leg
def test_an_existing_file_is_never_overwritten_by_a_backup(
    sqlite_source: Installation, sqlite_archive: Path
) -> None:
    before = sqlite_archive.read_bytes()
    result = sqlite_source.run("backup", str(sqlite_archive))
    assert result.returncode != 0
    assert "not overwritten" in result.stderr
    assert sqlite_archive.read_bytes() == before


# --- Damaged archives ---------------------------------------------------------------------


def _flip_a_byte_of(source: Path, target: Path, member: str) -> None:
    data = bytearray(source.read_bytes())
    with tarfile.open(source) as tar:
        offset = tar.getmember(member).offset_data
    data[offset + 100] ^= 0x01
    target.write_bytes(bytes(data))


def _rewrite(source: Path, target: Path, *, drop: str = "", manifest: dict[str, object]) -> None:
    """A copy of the archive without the member ``drop`` and with ``manifest`` (its sum file
    recomputed, as someone editing it on purpose would)."""
    data = json.dumps(manifest).encode()
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for info in old:
            if info.name == drop:
                continue
            content = old.extractfile(info)
            assert content is not None
            if info.name == archive.MANIFEST:
                info.size = len(data)
                new.addfile(info, io.BytesIO(data))
            elif info.name == archive.MANIFEST_SUM:
                line = f"{hashlib.sha256(data).hexdigest()}  manifest.json\n".encode()
                info.size = len(line)
                new.addfile(info, io.BytesIO(line))
            else:
                new.addfile(info, content)


def _damage(kind: str, source: Path, target: Path) -> None:
    manifest = json.loads(_manifest_bytes(source))
    media = next(m["name"] for m in manifest["members"] if m["name"].startswith("media/"))
    if kind == "flipped byte in the dump":
        _flip_a_byte_of(source, target, "database/db.sqlite3")
    elif kind == "flipped byte in a file":
        data = bytearray(source.read_bytes())
        with tarfile.open(source) as tar:
            data[tar.getmember(media).offset_data] ^= 0x20
        target.write_bytes(bytes(data))
    elif kind == "truncated":
        target.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    elif kind == "truncated before the manifest":
        with tarfile.open(source) as tar:
            cut = tar.getmember(archive.MANIFEST).offset
        target.write_bytes(source.read_bytes()[:cut])
    elif kind == "member deleted":
        _rewrite(source, target, drop=media, manifest=manifest)
    elif kind == "member added":
        _rewrite(source, target, manifest=manifest)
        with tarfile.open(target, "a") as tar:
            info = tarfile.TarInfo("media/extra.pdf")
            info.size = 3
            tar.addfile(info, io.BytesIO(b"abc"))
    elif kind == "flipped byte in the manifest":
        _flip_a_byte_of(source, target, archive.MANIFEST)
    elif kind == "manifest's sums edited":
        manifest["members"][0]["sha256"] = "0" * 64
        _rewrite(source, target, manifest=manifest)
    elif kind == "not an archive":
        target.write_bytes(b"hello, world\n" * 1000)
    else:  # pragma: no cover
        raise AssertionError(kind)


def _manifest_bytes(path: Path) -> bytes:
    with tarfile.open(path) as tar:
        content = tar.extractfile(archive.MANIFEST)
        assert content is not None
        return content.read()


DAMAGE = [
    "flipped byte in the dump",
    "flipped byte in a file",
    "truncated",
    "truncated before the manifest",
    "member deleted",
    "member added",
    "flipped byte in the manifest",
    "manifest's sums edited",
    "not an archive",
]


@sqlite_leg
@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_archive_is_refused_before_anything_is_restored(
    sqlite_archive: Path, tmp_path: Path, kind: str
) -> None:
    bad = tmp_path / "bad.tar"
    _damage(kind, sqlite_archive, bad)
    with pytest.raises(BackupError) as refused:
        archive.verify(bad)
    assert refused.value.code == "archive_damaged"


@sqlite_leg
@pytest.mark.parametrize("kind", ["flipped byte in the dump", "truncated", "member deleted"])
def test_restore_refuses_a_damaged_archive_and_touches_nothing(
    sqlite_archive: Path, empty: Installation, tmp_path: Path, kind: str
) -> None:
    bad = tmp_path / "bad.tar"
    _damage(kind, sqlite_archive, bad)
    for command in (["restore", str(bad)], ["restore", "--check", str(bad)]):
        result = empty.run(*command)
        assert result.returncode != 0
        assert "the archive is damaged, nothing restored" in result.stderr
    assert not empty.sqlite.exists() or empty.sqlite.stat().st_size == 0
    assert empty.files() == {}


@sqlite_leg
def test_a_compressed_archive_with_a_flipped_byte_is_refused(
    sqlite_source: Installation, tmp_path: Path
) -> None:
    path = tmp_path / "b.tgz"
    sqlite_source.ok("backup", str(path))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad = tmp_path / "bad.tgz"
    bad.write_bytes(bytes(data))
    with pytest.raises(BackupError) as refused:
        archive.verify(bad)
    assert refused.value.code == "archive_damaged"


@sqlite_leg
def test_an_intact_archive_passes_the_check(
    sqlite_source: Installation, sqlite_archive: Path
) -> None:
    out = sqlite_source.ok("restore", "--check", str(sqlite_archive))
    assert "the archive is intact" in out


# --- Refused targets ----------------------------------------------------------------------


@sqlite_leg
def test_a_database_with_data_is_refused_unless_replace(
    sqlite_source: Installation, sqlite_archive: Path, empty: Installation
) -> None:
    """A target holding data is left alone; --replace drops it and restores the archive."""
    empty.ok("migrate", "--verbosity", "0")
    units = Path(__file__).resolve().parents[2] / "accounts/data/vn-admin-units-2025-03.json"
    empty.ok("load-units", str(units))
    before = empty.row_counts()
    result = empty.run("restore", str(sqlite_archive))
    assert result.returncode != 0
    assert "the target database is not empty, nothing restored" in result.stderr
    assert empty.row_counts() == before
    assert empty.files() == {}

    empty.ok("restore", "--replace", str(sqlite_archive))
    _assert_same(sqlite_source, empty)


@sqlite_leg
def test_a_stored_file_with_other_content_is_refused_unless_replace(
    sqlite_source: Installation, sqlite_archive: Path, empty: Installation
) -> None:
    name = "khác/Biên bản họp.txt"
    (empty.media / "khác").mkdir(parents=True)
    (empty.media / name).write_bytes(b"another text")
    result = empty.run("restore", str(sqlite_archive))
    assert result.returncode != 0
    assert "already stored with other content, nothing restored" in result.stderr
    assert not empty.sqlite.exists() or empty.sqlite.stat().st_size == 0
    assert empty.files() == {name: b"another text"}

    empty.ok("restore", "--replace", str(sqlite_archive))
    assert empty.files()[name] == sqlite_source.files()[name]


@sqlite_leg
def test_an_archive_from_a_newer_version_is_refused(
    sqlite_archive: Path, empty: Installation, tmp_path: Path
) -> None:
    manifest = json.loads(_manifest_bytes(sqlite_archive))
    manifest["migrations"]["dossiers"].append("9999_from_the_future")
    newer = tmp_path / "newer.tar"
    _rewrite(sqlite_archive, newer, manifest=manifest)
    result = empty.run("restore", str(newer))
    assert result.returncode != 0
    assert "the archive comes from a newer version" in result.stderr
    assert "dossiers.9999_from_the_future" in result.stderr
    assert not empty.sqlite.exists() or empty.sqlite.stat().st_size == 0


# --- PostgreSQL ---------------------------------------------------------------------------


def _server_url(database: str) -> str:
    params = dj_database_url.parse(os.environ["DATABASE_URL"])
    auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{database}"


@pytest.fixture(scope="module")
def scratch_databases() -> Iterator[list[str]]:
    """Creates the databases the test asks for (named after this process) and drops them."""
    created: list[str] = []
    yield created
    with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
        for name in created:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _scratch(created: list[str], role: str) -> str:
    name = f"motcua_backup_{role}_{os.getpid()}"
    with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    created.append(name)
    return _server_url(name)


@postgresql_leg
def test_a_postgresql_backup_restores_every_row_and_file(
    scratch_databases: list[str], tmp_path: Path
) -> None:
    """pg_dump → drop → pg_restore into an empty database: the same rows in every table, the
    same uploads; restoring again into the now full database is refused."""
    source = _filled(Installation(tmp_path / "source", _scratch(scratch_databases, "src")))
    path = tmp_path / "pg.tar"
    source.ok("backup", str(path))
    manifest = archive.verify(path)
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["database"]["tool"].startswith("pg_dump")
    assert manifest["tables"] == source.row_counts()

    target = Installation(tmp_path / "target", _scratch(scratch_databases, "dst"))
    target.ok("restore", str(path))
    _assert_same(source, target)
    assert "[ ]" not in target.ok("showmigrations")

    again = target.run("restore", str(path))
    assert again.returncode != 0
    assert "the target database is not empty, nothing restored" in again.stderr
    target.ok("restore", "--replace", str(path))
    _assert_same(source, target)


@postgresql_leg
def test_a_postgresql_backup_taken_while_the_server_writes_is_one_moment(
    scratch_databases: list[str], tmp_path: Path
) -> None:
    _round_trip_while_writing(
        Installation(tmp_path / "source", _scratch(scratch_databases, "live")),
        Installation(tmp_path / "target", _scratch(scratch_databases, "copy")),
        tmp_path / "b.tar",
    )


@postgresql_leg
def test_an_archive_of_another_database_is_refused(
    scratch_databases: list[str], tmp_path: Path
) -> None:
    sqlite_source = Installation(tmp_path / "sqlite")
    sqlite_source.ok("migrate", "--verbosity", "0")
    path = tmp_path / "sqlite.tar"
    sqlite_source.ok("backup", str(path))
    target = Installation(tmp_path / "target", _scratch(scratch_databases, "other"))
    result = target.run("restore", str(path))
    assert result.returncode != 0
    assert "the archive holds a SQLite database, this installation uses PostgreSQL" in (
        result.stderr
    )
    assert target.row_counts() == {}
