"""The import contracts of pyproject.toml (docs/architecture.md, "Layers and contracts").

``lint-imports`` runs them in ``make test``. These tests run it on a copy of the sources, once as
they are and once for each kind of wrong import added to the copy, to show that the contracts
hold today and that each rule fails on an import against it.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

LAYERS = "Apps depend one way: each layer imports only the layers below it"
ACYCLIC = "No import cycle between the apps and the top-level modules"
REPORTS_READ = "Reports only read: they never import the engine's writers"
CLOCK_PURE = "The clock is pure: days and clock import no models, no users, no other app"
API_ADAPTED = "Only URL configuration imports the API's modules"
ENGINE_WITHOUT_DRF = "The engine imports no REST framework, only its API modules do"


def _python_only(directory: str, names: list[str]) -> set[str]:
    return {
        name for name in names if not name.endswith(".py") and not (Path(directory) / name).is_dir()
    }


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A copy of the ``motcua`` package's Python files and of pyproject.toml."""
    shutil.copytree(ROOT / "motcua", tmp_path / "motcua", ignore=_python_only)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(sources: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the copy: the copy comes first on the path, before the installed
    package."""
    return subprocess.run(  # noqa: S603 - our own venv's lint-imports on our own files
        [str(LINT_IMPORTS), "--no-cache", "--config", str(sources / "pyproject.toml")],
        cwd=sources,
        env={**os.environ, "PYTHONPATH": str(sources)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _add_import(sources: Path, module: str, statement: str) -> None:
    path = sources / module
    path.write_text(path.read_text() + f"\n{statement}\n")


def test_the_code_keeps_every_contract(sources: Path) -> None:
    """Every contract is kept, including the one that no two apps import each other."""
    result = _lint(sources)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in (LAYERS, ACYCLIC, REPORTS_READ, CLOCK_PURE, API_ADAPTED, ENGINE_WITHOUT_DRF):
        assert f"{name} KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        # The clock knows no users: permission checks belong to the layer that calls it.
        ("motcua/workdays/services.py", "from motcua.accounts import permissions", [LAYERS]),
        # A calendar change reaches the engine through the registry, not an import.
        ("motcua/workdays/services.py", "import motcua.dossiers.reschedule", [LAYERS]),
        # The outbox names dossiers by code and never imports the engine.
        ("motcua/notifications/services.py", "import motcua.dossiers.models", [LAYERS, ACYCLIC]),
        # The engine writes the rollups itself and never imports the reports.
        ("motcua/dossiers/intake.py", "import motcua.reports.processing", [LAYERS, ACYCLIC]),
        # Reports only read.
        ("motcua/reports/processing.py", "import motcua.dossiers.services", [REPORTS_READ]),
        # The adapters beside each other are independent.
        ("motcua/workspace/views.py", "import motcua.demo.services", [LAYERS]),
        # The citizens' portal and the officers' workspace know nothing of each other.
        ("motcua/portal/views.py", "import motcua.workspace.views", [LAYERS]),
        ("motcua/workspace/views.py", "import motcua.portal.tracking", [LAYERS]),
        # The engine never imports the portal above it.
        ("motcua/dossiers/queries.py", "import motcua.portal.tracking", [LAYERS, ACYCLIC]),
        # The engine announces its events to the national outbox through a registry.
        ("motcua/dossiers/transitions.py", "import motcua.integration.outbox", [LAYERS, ACYCLIC]),
        # The national integration never reaches up into the screens.
        ("motcua/integration/outbox.py", "import motcua.workspace.views", [LAYERS]),
        # The shared bases import no app.
        ("motcua/events.py", "import motcua.workdays.models", [LAYERS]),
        # The clock's arithmetic stays pure.
        ("motcua/workdays/clock.py", "import motcua.workdays.models", [CLOCK_PURE]),
        # The screens adapt the engine's action registry, not the API (as they once did).
        ("motcua/workspace/views.py", "from motcua.dossiers.api import PAYLOADS", [API_ADAPTED]),
        ("motcua/reports/dashboard.py", "import motcua.reports.api", [API_ADAPTED]),
        ("motcua/dossiers/actions.py", "import motcua.dossiers.api", [API_ADAPTED]),
        # The engine speaks Django, not DRF: directly, or through a serializer.
        ("motcua/dossiers/services.py", "import rest_framework.exceptions", [ENGINE_WITHOUT_DRF]),
        ("motcua/dossiers/actions.py", "import motcua.dossiers.serializers", [API_ADAPTED]),
        ("motcua/dossiers/reception.py", "from motcua import limits", [ENGINE_WITHOUT_DRF]),
    ],
)
def test_a_wrong_import_breaks_its_contract(
    sources: Path, module: str, statement: str, broken: list[str]
) -> None:
    """An import against a rule fails ``lint-imports``, naming the contract it breaks."""
    _add_import(sources, module, statement)
    result = _lint(sources)
    assert result.returncode == 1, result.stdout + result.stderr
    for name in broken:
        assert f"{name} BROKEN" in result.stdout


def test_test_modules_may_import_across_layers(sources: Path) -> None:
    """Tests build their data through any layer: the contracts leave ``*.tests`` alone."""
    _add_import(sources, "motcua/workdays/tests/test_services.py", "import motcua.reports.behind")
    assert _lint(sources).returncode == 0
