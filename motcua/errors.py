"""Refusals that say why with a stable machine code, and their one answer per transport.

A service refuses by raising one of these (or Django's ``ValidationError`` with a ``code`` on
every message); each carries a snake_case ``code`` that clients and tests decide by, and a
translated message for people. Nothing decides by a message's text.

* ``Refusal`` (a ``ValidationError``): the input is wrong → 400.
* ``Refused`` (a ``PermissionDenied``): this user may not do this now → 403.
* ``Conflict``: the state changed under the caller (a stale revision) → 409.
* ``Mismatch``: the same request key came with another request → 422.

``refusal_status`` maps any of them (and Django's own two) to the HTTP status; the API answers
with ``refusal_body`` (``{code, message, field?, errors}``, see docs/errors.md) and the screens
put ``refusal_errors`` next to their form fields. The codes are listed in docs/errors.md; a test
(motcua/tests/test_error_codes.py) fails when a service raises without one."""

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Problem(TypedDict, total=False):
    """One reason a request was refused: ``code`` and ``message`` always, ``field`` when it
    is about one input (a dotted path into the payload, e.g. ``applicant.id_number``)."""

    code: str
    message: str
    field: str


class Refusal(ValidationError):
    """The input is wrong (400): ``code`` says how, ``field`` which input, when one."""

    status = 400

    def __init__(
        self,
        message: "StrOrPromise",
        *,
        code: str,
        field: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        if field is None:
            super().__init__(message, code=code, params=params)
        else:
            super().__init__({field: ValidationError(message, code=code, params=params)})
        self.code = code
        self.field = field


class Refused(PermissionDenied):
    """This user may not do this now (403): ``code`` says why (role, agency or status)."""

    status = 403

    def __init__(self, message: "StrOrPromise" = "", *, code: str) -> None:
        super().__init__(message)
        self.code = code


class Conflict(Exception):
    """The state changed under the caller, e.g. someone else acted since the revision it saw
    (409): reload and try again."""

    status = 409

    def __init__(self, message: "StrOrPromise" = "", *, code: str) -> None:
        super().__init__(message)
        self.code = code


class Mismatch(Exception):
    """The same request (by its idempotency key) came again with something else (422)."""

    status = 422

    def __init__(self, message: "StrOrPromise" = "", *, code: str) -> None:
        super().__init__(message)
        self.code = code


def invalid(code: str, message: "StrOrPromise", field: str | None = None) -> Refusal:
    """The refusal of a wrong input: ``raise invalid("amount_not_positive", _("…"), "amount")``."""
    return Refusal(message, code=code, field=field)


# What a service may refuse with; ``refusal_status`` answers each.
REFUSALS = (ValidationError, PermissionDenied, Conflict, Mismatch)

# The code of a refusal raised without one (Django's own, or a framework's).
DEFAULT_CODES = {400: "invalid", 403: "permission_denied", 409: "conflict", 422: "mismatch"}


def refusal_status(exc: BaseException) -> int:
    """The HTTP status of a refusal, for the API and the screens alike: 403 not allowed, 409
    conflict, 422 a key reused for another request, 400 wrong input."""
    if isinstance(exc, Refused | Conflict | Mismatch):
        return exc.status
    if isinstance(exc, PermissionDenied):
        return 403
    return 400


def refusal_errors(exc: BaseException) -> list[Problem]:
    """Each reason of a refusal as ``{code, message, field?}``, in the order given."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [
                _problem(error, field)
                for field, errors in exc.error_dict.items()
                for error in errors
            ]
        return [_problem(error, None) for error in exc.error_list]
    default = DEFAULT_CODES[refusal_status(exc)]
    problem: Problem = {"code": getattr(exc, "code", None) or default, "message": str(exc)}
    return [problem]


def _problem(error: ValidationError, field: str | None) -> Problem:
    message = error.message
    if error.params:
        message = message % error.params
    problem: Problem = {"code": error.code or DEFAULT_CODES[400], "message": str(message)}
    if field and field != "__all__":
        problem["field"] = field
    return problem


def refusal_codes(exc: BaseException) -> list[str]:
    """The codes of a refusal, in order (what tests and clients decide by)."""
    return [problem["code"] for problem in refusal_errors(exc)]


def body(problems: Iterable[Problem]) -> dict[str, Any]:
    """The API's error body: the first problem's ``code``, ``message`` and ``field`` at the
    top (what most clients need) and every problem in ``errors``."""
    found = list(problems)
    first = found[0] if found else Problem(code=DEFAULT_CODES[400], message="")
    return {**first, "errors": found}


def refusal_body(exc: BaseException) -> dict[str, Any]:
    """The API's answer to a refusal (with ``refusal_status(exc)``)."""
    return body(refusal_errors(exc))


def detail_problems(detail: Any, field: str = "") -> list[Problem]:
    """DRF's error ``detail`` (nested dicts and lists of strings that carry a ``code``, as
    its ``ErrorDetail``) as problems, each field named by its dotted path."""
    if isinstance(detail, Mapping):
        found: list[Problem] = []
        for key, value in detail.items():
            name = "" if key in ("detail", "non_field_errors", "__all__") else str(key)
            found += detail_problems(value, f"{field}.{name}" if field and name else field or name)
        return found
    if isinstance(detail, list | tuple):
        found = []
        for index, item in enumerate(detail):
            # A list of messages belongs to its field; a list of objects numbers them.
            nested = isinstance(item, Mapping | list | tuple)
            path = f"{field}.{index}" if nested and field else str(index) if nested else field
            found += detail_problems(item, path)
        return found
    problem: Problem = {
        "code": str(getattr(detail, "code", None) or DEFAULT_CODES[400]),
        "message": str(detail),
    }
    if field:
        problem["field"] = field
    return [problem]


def on_field(exc: ValidationError, field: str) -> ValidationError:
    """The same refusal, its messages (and their codes) put on ``field``, whichever field
    they were on: for errors already coded elsewhere, such as Django's password validators,
    or a file's checks reported next to the input that sent it."""
    if hasattr(exc, "error_dict"):
        return ValidationError({field: [e for errors in exc.error_dict.values() for e in errors]})
    return ValidationError({field: exc.error_list})


def renamed(exc: ValidationError, name: "Callable[[str], str]") -> ValidationError:
    """The same refusal, each field's messages (and their codes) under ``name(field)``: a
    service's refusal reported next to the caller's own inputs. One about no field stays so."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({name(field): errors for field, errors in exc.error_dict.items()})


def together(refusals: Iterable[ValidationError]) -> ValidationError:
    """Several refusals raised at once, each message kept on its field with its code."""
    fields: dict[str, list[ValidationError]] = {}
    for refusal in refusals:
        found = refusal.error_dict if hasattr(refusal, "error_dict") else {}
        for field, errors in found.items() or [(NON_FIELD_ERRORS, refusal.error_list)]:
            fields.setdefault(field, []).extend(errors)
    return ValidationError(fields)
