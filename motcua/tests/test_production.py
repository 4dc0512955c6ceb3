"""What production needs from the package: code that runs without the development tools and
static files the manifest storage accepts (issue #10, item 5). ``scripts/check-wheel`` (run by
CI) then installs the real wheel and serves it."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "motcua"
# What the wheel leaves out (pyproject.toml, [tool.setuptools.packages.find] exclude).
NOT_SHIPPED = {"tests", "testing"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match, requirement
    return normalise(match.group())


def runtime_distributions() -> set[str]:
    """The distributions ``pip install motcua`` brings: the declared dependencies and theirs."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pending = [requirement_name(r) for r in pyproject["project"]["dependencies"]]
    found: set[str] = set()
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.add(name)
        try:
            requirements = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue  # a dependency for another platform (tzdata on Windows)
        for requirement in requirements:
            if "extra ==" not in requirement.partition(";")[2]:
                pending.append(requirement_name(requirement))
    return found


def shipped_modules() -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if not NOT_SHIPPED & set(path.relative_to(PACKAGE).parts[:-1])
        and path.name != "conftest.py"
    ]


def imported_names(tree: ast.Module) -> set[str]:
    """Top-level names of every import, anywhere in the module except under ``TYPE_CHECKING``."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.orelse:
                visit(statement)
            return
        if isinstance(node, ast.Import):
            names.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def test_shipped_code_imports_only_the_runtime_dependencies() -> None:
    """Every module the wheel carries imports only the standard library, motcua and what
    ``pip install motcua`` installs: no pytest, django_stubs_ext or other dev tool."""
    allowed = runtime_distributions()
    providers = importlib.metadata.packages_distributions()
    offending = []
    for path in shipped_modules():
        for name in imported_names(ast.parse(path.read_text(), str(path))):
            if name in sys.stdlib_module_names or name in {"motcua", "__future__"}:
                continue
            if not {normalise(d) for d in providers.get(name, [])} & allowed:
                offending.append(f"{path.relative_to(ROOT)}: {name}")
    assert offending == []


def test_the_test_helpers_live_where_the_wheel_leaves_them_out() -> None:
    """Test helpers and fixtures sit in packages the wheel excludes."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    exclude = pyproject["tool"]["setuptools"]["packages"]["find"]["exclude"]
    assert {"motcua.testing", "motcua.tests", "motcua.*.tests"} <= set(exclude)
    assert not (PACKAGE / "conftest.py").exists()
    leaked = [
        str(path.relative_to(ROOT))
        for path in shipped_modules()
        if "pytest" in imported_names(ast.parse(path.read_text()))
    ]
    assert leaked == []


def test_collectstatic_succeeds_with_the_manifest_storage(tmp_path: Path) -> None:
    """Production's manifest storage rewrites every reference in CSS and JS (Chart.js's
    ``sourceMappingURL`` included) and fails when a referenced file is missing."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "workspace/vendor/chartjs/chart.umd.min.js.map" in manifest
