"""No function in the engine (``dossiers``), the clock (``workdays``) or ``reports`` runs over
60 lines: a longer one is split into named steps. Tests and migrations are not walked.

``PENDING_SPLIT`` names the long functions that are still to be split, in modules being changed
elsewhere at the time of writing; it only shrinks. A function that grows past the limit fails
here, and so does an entry of ``PENDING_SPLIT`` that is no longer long (remove it).
"""

import ast
from collections.abc import Iterator
from pathlib import Path

MAX_LINES = 60
ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("motcua/dossiers", "motcua/workdays", "motcua/reports")
SKIPPED_DIRECTORIES = frozenset({"tests", "migrations"})

PENDING_SPLIT: frozenset[str] = frozenset()  # every long function has been split


def long_functions(source: str, *, limit: int = MAX_LINES) -> Iterator[tuple[str, int]]:
    """``(qualified name, lines)`` of every function in ``source`` longer than ``limit`` lines,
    counted from its ``def`` (decorators aside) to its last line, docstring included; methods
    and nested functions are named ``Class.method`` and ``outer.inner``."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                lines = (child.end_lineno or child.lineno) - child.lineno + 1
                if lines > limit:
                    yield name, lines
                yield from walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, prefix + child.name + ".")
            else:
                yield from walk(child, prefix)

    yield from walk(ast.parse(source), "")


def long_functions_in_packages() -> dict[str, int]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if SKIPPED_DIRECTORIES.intersection(relative.parts):
                continue
            for name, lines in long_functions(path.read_text(encoding="utf-8")):
                found[f"{relative.as_posix()}::{name}"] = lines
    return found


def test_no_function_in_the_engine_clock_or_reports_is_over_sixty_lines() -> None:
    found = long_functions_in_packages()
    new = {name: lines for name, lines in found.items() if name not in PENDING_SPLIT}
    assert new == {}, f"split these into named steps of at most {MAX_LINES} lines"


def test_every_function_pending_a_split_is_still_long() -> None:
    """An entry split since (or renamed, or removed) is taken off ``PENDING_SPLIT``."""
    assert PENDING_SPLIT - long_functions_in_packages().keys() == set()


def _function(name: str, lines: int, indent: str = "") -> str:
    """The source of a function ``lines`` lines long, its ``def`` line included."""
    body = "".join(f"{indent}    x{n} = {n}\n" for n in range(lines - 1))
    return f"{indent}def {name}():\n{body}"


def test_the_walk_finds_a_long_function_a_long_method_and_a_long_nested_function() -> None:
    source = "\n".join(
        [
            _function("at_the_limit", 60),
            _function("one_over", 61),
            "class Import:\n" + _function("run", 62, indent="    "),
            "def outer():\n" + _function("inner", 61, indent="    ") + "    return inner\n",
        ]
    )
    assert dict(long_functions(source)) == {
        "one_over": 61,
        "Import.run": 62,
        "outer": 63,
        "outer.inner": 61,
    }
