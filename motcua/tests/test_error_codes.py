"""Every refusal a service raises carries a stable code (docs/errors.md), checked by reading the
source: a ``ValidationError`` names its ``code`` (or gathers messages that each name one), a
permission refusal is a ``Refused`` with its code, never a bare ``PermissionDenied``; and every
code is documented."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The engine's apps: every module but the adapters (API, serializers, admin, screens).
ENGINE_APPS = (
    "workdays",
    "accounts",
    "catalogue",
    "notifications",
    "dossiers",
    "feedback",
    "payments",
    "reports",
    "satisfaction",
    "reform",
    "digitisation",
    "par",
)
ADAPTERS = re.compile(
    r"(^|_)(api|serializers|admin|apps|filters|views|forms|dashboard|printing|templatetags)(_|\.py$)"
)
# The workspace's own services (its other modules are views and forms).
WORKSPACE_SERVICES = ("saved_filters.py", "twofactor.py", "lockout.py")

CODED_CLASSES = {
    "Refusal",
    "Refused",
    "Conflict",
    "Mismatch",
    "ActionRefused",
    "DossierConflict",
    "GrantRefused",
}
CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def service_modules() -> list[Path]:
    found = [
        path
        for app in ENGINE_APPS
        for path in sorted((ROOT / app).glob("*.py"))
        if not ADAPTERS.search(path.name)
    ]
    return found + [ROOT / "workspace" / name for name in WORKSPACE_SERVICES]


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _literal_code(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def problems(source: str) -> Iterator[tuple[int, str]]:
    """(line, what is wrong) for each refusal in ``source`` without a literal code."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Name | ast.Attribute):
            bare = _name(node.exc)
            if bare in {"PermissionDenied", "ValidationError"} | CODED_CLASSES:
                yield node.lineno, f"raise {bare} without a message and a code"

        if not isinstance(node, ast.Call):
            continue
        callee = _name(node.func)
        if callee == "PermissionDenied":
            yield node.lineno, "PermissionDenied: raise a Refused with its code"
        elif callee in CODED_CLASSES or callee == "ValidationError":
            code = _literal_code(_keyword(node, "code"))
            gathered = callee == "ValidationError" and _gathers_coded(node)
            if code is None and not gathered:
                yield node.lineno, f"{callee} without a literal code="
            elif code is not None and not CODE.match(code):
                yield node.lineno, f"code {code!r} is not snake_case"
        elif callee == "invalid":
            given = _literal_code(node.args[0] if node.args else _keyword(node, "code"))
            if given is None or not CODE.match(given):
                yield node.lineno, "invalid() without a literal snake_case code first"


def _gathers_coded(call: ast.Call) -> bool:
    """``ValidationError({field: <coded>, …})`` or ``ValidationError([<coded>, …])``: each
    message is a call checked on its own (a ``ValidationError`` with a code, ``invalid``…)."""
    if len(call.args) != 1 or call.keywords:
        return False
    (arg,) = call.args
    if isinstance(arg, ast.Dict):
        values: list[ast.expr] = list(arg.values)
    elif isinstance(arg, ast.List):
        values = list(arg.elts)
    else:
        return False
    return bool(values) and all(_coded_value(v) for v in values)


def _coded_value(node: ast.expr) -> bool:
    if isinstance(node, ast.List):
        return all(_coded_value(v) for v in node.elts)
    if not isinstance(node, ast.Call):
        return False
    callee = _name(node.func)
    return callee in CODED_CLASSES | {"ValidationError", "invalid"}


def codes(source: str) -> set[str]:
    """The codes named in ``source`` by refusals (``code="…"`` and ``invalid("…", …)``)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        callee = _name(node.func)
        if callee in CODED_CLASSES or callee == "ValidationError":
            code = _literal_code(_keyword(node, "code"))
        elif callee == "invalid" and node.args:
            code = _literal_code(node.args[0])
        else:
            continue
        if code:
            found.add(code)
    return found


@pytest.mark.parametrize("path", service_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_refusal_a_service_raises_has_a_code(path: Path) -> None:
    """No service raises a ValidationError or a permission refusal without a stable code."""
    found = list(problems(path.read_text()))
    assert not found, "\n".join(f"{path.name}:{line}: {what}" for line, what in found)


def test_the_check_fails_when_a_code_is_removed() -> None:
    """The check catches a refusal raised without a code, a field message without one, a
    bare PermissionDenied and a Refused without its code; coded ones pass."""
    uncoded = [
        'raise ValidationError(_("No."))',
        'raise ValidationError({"amount": _("No.")})',
        'raise ValidationError({"amount": ValidationError(_("No."))})',
        'raise PermissionDenied(_("No."))',
        "raise PermissionDenied",
        'raise ActionRefused(_("No."))',
        'raise invalid(message, "field")',
        'raise ValidationError(_("No."), code="NotSnake")',
    ]
    for line in uncoded:
        assert list(problems(line)), line
    coded = [
        'raise ValidationError(_("No."), code="amount_not_positive")',
        'raise ValidationError({"amount": ValidationError(_("No."), code="amount_negative")})',
        'raise invalid("amount_negative", _("No."), "amount")',
        'raise Refused(_("No."), code="not_step_holder")',
    ]
    for line in coded:
        assert not list(problems(line)), line


def test_every_code_is_documented() -> None:
    """docs/errors.md lists every code a service refuses with, so clients can rely on it."""
    documented = (ROOT.parent / "docs" / "errors.md").read_text()
    named = set().union(*(codes(path.read_text()) for path in service_modules()))
    missing = sorted(code for code in named if f"`{code}`" not in documented)
    assert not missing, f"codes missing from docs/errors.md: {missing}"
