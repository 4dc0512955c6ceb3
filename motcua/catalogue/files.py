"""Reading and writing catalogue files by extension: .json, .xlsx or .csv."""

import json
from pathlib import Path
from typing import Any

from motcua.catalogue import tabular
from motcua.catalogue.interchange import CatalogueImportError, ImportIssue
from motcua.limits import JSONTooDeep, loads_bounded

FORMATS = ("json", "xlsx", "csv")


def format_of(path: Path, explicit: str | None = None) -> str:
    kind = (explicit or path.suffix.lstrip(".")).lower()
    if kind not in FORMATS:
        raise CatalogueImportError(
            [
                ImportIssue(
                    str(path),
                    "định dạng phải là .json, .xlsx hoặc .csv / format must be json, xlsx or csv",
                )
            ]
        )
    return kind


def read_catalogue_file(path: Path, kind: str | None = None) -> dict[str, Any]:
    """The nested catalogue in ``path``; problems come as ``CatalogueImportError``."""
    kind = format_of(path, kind)
    try:
        if kind == "json":
            data: dict[str, Any] = loads_bounded(path.read_text(encoding="utf-8-sig"))
            return data
        if kind == "xlsx":
            return tabular.read_xlsx(path)
        return tabular.read_csv(path)
    except FileNotFoundError:
        raise CatalogueImportError(
            [ImportIssue(str(path), "không tìm thấy tệp / file not found")]
        ) from None
    except JSONTooDeep as exc:
        raise CatalogueImportError(
            [
                ImportIssue(
                    str(path),
                    f"JSON lồng quá {exc.args[0]} cấp / JSON nested more than {exc.args[0]} deep",
                )
            ]
        ) from None
    except json.JSONDecodeError as exc:
        raise CatalogueImportError(
            [ImportIssue(f"{path}:{exc.lineno}", f"JSON không hợp lệ / invalid JSON: {exc.msg}")]
        ) from None
    except tabular.TabularError as exc:
        raise CatalogueImportError(
            [
                ImportIssue(
                    f"{e.sheet}, dòng/row {e.row}"
                    + (f", cột/column {e.column}" if e.column else ""),
                    e.message,
                )
                for e in exc.errors
            ]
        ) from None


def write_catalogue_file(data: dict[str, Any], path: Path, kind: str | None = None) -> None:
    kind = format_of(path, kind)
    if kind == "json":
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif kind == "xlsx":
        tabular.write_xlsx(data, path)
    else:
        tabular.write_csv(data, path)
