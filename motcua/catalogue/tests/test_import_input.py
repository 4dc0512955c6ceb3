"""``motcua import-catalogue`` on malformed files: a JSON file nested too deep and values of the
wrong type (``cases`` as text, entries that are not objects) are reported as problems, never
as a traceback, and nothing is imported."""

import copy
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.catalogue.models import Procedure

DEMO = Path(__file__).resolve().parents[2] / "demo" / "data" / "procedures.json"


def _import(path: Path) -> tuple[str, str]:
    """The command's error and what it wrote to stderr."""
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import-catalogue", str(path), stdout=StringIO(), stderr=err)
    return str(failed.value), err.getvalue()


def test_a_json_file_nested_50000_deep_is_a_clear_error(db: None, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"procedures": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
    error, problems = _import(path)
    assert "Nothing imported: 1 problem(s)" in error
    assert "JSON nested more than 32 deep" in problems
    assert not Procedure.objects.exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["procedures"][0].update(cases="two"),
            "“cases” phải là danh sách / must be a list",
        ),
        (lambda d: d["procedures"][0].update(cases=[1, "x"]), "entries must be objects"),
        (lambda d: d["procedures"][1]["cases"][0].update(documents={"a": 1}), "must be a list"),
        (lambda d: d["procedures"][2]["cases"][0].update(fees=[None]), "entries must be objects"),
        (
            lambda d: d.update(procedures={"code": "1"}),
            "“procedures” phải là danh sách / must be a list",
        ),
        (lambda d: d.update(fields=["x"]), "entries must be objects"),
    ],
)
def test_wrongly_typed_lists_are_reported_and_nothing_is_imported(
    db: None, tmp_path: Path, change: Any, expected: str
) -> None:
    data = copy.deepcopy(json.loads(DEMO.read_text(encoding="utf-8")))
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    error, problems = _import(path)
    assert "Nothing imported" in error
    assert expected in problems
    assert not Procedure.objects.exists()
