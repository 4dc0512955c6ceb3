"""The uploaded files, through Django's storage API (``STORAGES["default"]``, where dossier
documents are kept), so that a shared or S3-compatible storage is backed up the same way."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, cast

from django.core.files import File
from django.core.files.storage import Storage, storages

from motcua.ops.archive import (
    CHUNK,
    MEDIA_PREFIX,
    BackupError,
    HashingReader,
    Manifest,
    Member,
)


def storage() -> Storage:
    return storages["default"]


def stored_files(store: Storage) -> Iterator[str]:
    """Every file's name in the storage, directory by directory (the storage API has no
    recursive listing); nothing when the storage's root does not exist yet."""

    def walk(prefix: str) -> Iterator[str]:
        try:
            directories, files = store.listdir(prefix)
        except FileNotFoundError:
            return
        for name in sorted(files):
            yield f"{prefix}{name}"
        for name in sorted(directories):
            yield from walk(f"{prefix}{name}/")

    yield from walk("")


def _sha256(store: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with store.open(name, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class MediaPlan:
    """Which archived files to write and which are already in the storage with the same bytes."""

    write: list[Member]
    keep: list[Member]
    overwrite: set[str]


def plan(manifest: Manifest, *, replace: bool) -> MediaPlan:
    """Compare the archive's files with the storage; a file there with other bytes is refused
    (code ``media_conflict``) unless ``replace``."""
    store = storage()
    write: list[Member] = []
    keep: list[Member] = []
    overwrite: set[str] = set()
    for member in manifest["members"]:
        if not member["name"].startswith(MEDIA_PREFIX):
            continue
        name = member["name"].removeprefix(MEDIA_PREFIX)
        if store.exists(name):
            if _sha256(store, name) == member["sha256"]:
                keep.append(member)
                continue
            overwrite.add(name)
        write.append(member)
    if overwrite and not replace:
        shown = ", ".join(sorted(overwrite)[:5])
        raise BackupError(
            "media_conflict",
            f"{len(overwrite)} tệp đã có với nội dung khác, không khôi phục / {len(overwrite)} "
            f"file(s) already stored with other content, nothing restored ({shown}); "
            "use --replace to overwrite them",
        )
    return MediaPlan(write=write, keep=keep, overwrite=overwrite)


def write(member: Member, reader: HashingReader, *, overwrite: bool) -> None:
    store = storage()
    name = member["name"].removeprefix(MEDIA_PREFIX)
    if overwrite:
        store.delete(name)
    saved = store.save(name, File(cast(IO[bytes], reader), name=name))
    if saved != name:
        raise BackupError(
            "media_name_changed",
            f"Kho tệp lưu dưới tên khác / the storage saved {name} as {saved}",
        )
