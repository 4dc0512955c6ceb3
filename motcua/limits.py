"""How much a request may carry, checked before it is read or parsed.

* JSON bodies (the API): at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes, refused by Django from
  their ``Content-Length`` before a byte is read (answered as a 400 with its code by
  ``exception_handler``), and nested at most ``MAX_JSON_DEPTH`` deep: Python's parser recurses
  once per level, so 50,000 brackets would otherwise end in a RecursionError.
* Multipart bodies (scans and uploads): at most ``MOTCUA_MAX_REQUEST_BYTES`` in all, refused
  from their ``Content-Length``; each file is counted as it streams in, and once past
  ``MOTCUA_MAX_UPLOAD_BYTES`` the rest of it is dropped instead of kept in memory or on disk,
  so the form or the API answers "larger than … MB" with everything else that was typed.

The web server in front (nginx ``client_max_body_size``) should carry the same total limit;
see ``.env.example`` and docs/architecture.md."""

import codecs
import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound, ParseError, PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils import json as drf_json

from motcua import errors

# Nothing the API accepts is nested more than a handful of levels (an intake payload is three).
MAX_JSON_DEPTH = 32


class JSONTooDeep(ValueError):
    """The JSON document is nested deeper than allowed."""


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar is 0), without
    recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        stack.extend((child, depth) for child in children)
    return deepest


def loads_bounded(text: str | bytes, max_depth: int = MAX_JSON_DEPTH, **options: Any) -> Any:
    """``json.loads`` that raises ``JSONTooDeep`` for a document nested deeper than
    ``max_depth`` (and never a RecursionError)."""
    try:
        value = json.loads(text, **options)
    except RecursionError:
        raise JSONTooDeep(max_depth) from None
    if json_depth(value) > max_depth:
        raise JSONTooDeep(max_depth)
    return value


def _content_length(meta: dict[str, Any]) -> int:
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with a depth limit: a 400 with the code ``json_too_deep``. (DRF reads
    the body through ``request.body``, which refuses one over ``DATA_UPLOAD_MAX_MEMORY_SIZE``
    from its ``Content-Length``: ``exception_handler`` answers that.)"""

    def parse(
        self,
        stream: IO[bytes] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        if stream is None:
            return None
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(stream.read(), encoding)
            constant = drf_json.strict_constant if api_settings.STRICT_JSON else None
            return loads_bounded(text, parse_constant=constant)
        except JSONTooDeep:
            raise ParseError(
                _("The JSON document is nested more than %(max)s levels deep.")
                % {"max": MAX_JSON_DEPTH},
                code="json_too_deep",
            ) from None
        except ValueError as exc:
            raise ParseError(
                _("The request body is not valid JSON: %(error)s") % {"error": exc},
                code="parse_error",
            ) from None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error of the API as ``{code, message, field?, errors}`` (docs/errors.md): a
    service's refusal with the status ``motcua.errors.refusal_status`` gives it, DRF's own
    errors (bad payload, not signed in, throttled…) with theirs; and a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (refused by Django before it is read) as a 400 with the
    code ``body_too_large`` instead of a bare "Bad Request" page."""
    # Imported here: rest_framework.views reads the parser classes, which live in this module.
    from rest_framework.views import exception_handler as drf_exception_handler
    from rest_framework.views import set_rollback

    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        exc = ParseError(
            _("The request body is larger than %(mb)s MB.") % {"mb": _mb(limit)},
            code="body_too_large",
        )
    if isinstance(exc, Http404):
        exc = NotFound()  # DRF's, with its code and translated "Not found."
    if isinstance(exc, DjangoPermissionDenied) and not str(exc):
        exc = PermissionDenied()  # DRF's, with its translated "You do not have permission…"
    if isinstance(exc, errors.REFUSALS):
        set_rollback()
        return Response(errors.refusal_body(exc), status=errors.refusal_status(exc))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException):
        response.data = errors.body(errors.detail_problems(exc.detail))
    return response


class BoundedMultiPartParser(MultiPartParser):
    """DRF's multipart parser refusing, from its ``Content-Length``, a body larger than
    ``MOTCUA_MAX_REQUEST_BYTES`` with a 400 and its code (``CappedUploadHandler`` checks the
    same for Django's own forms)."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        request = (parser_context or {}).get("request")
        total = settings.MOTCUA_MAX_REQUEST_BYTES
        if request is not None and _content_length(request.META) > total:
            raise ParseError(
                _("The request is larger than %(mb)s MB.") % {"mb": _mb(total)},
                code="request_too_large",
            )
        return super().parse(stream, media_type, parser_context)


def _mb(size: int) -> str:
    return f"{size / 2**20:g}"


class RequestTooLarge(MultiPartParserError):
    """The multipart body is larger than ``MOTCUA_MAX_REQUEST_BYTES`` (a 400 from Django, a 400
    with the message from DRF)."""


class OversizedUpload(UploadedFile):  # type: ignore[type-arg]
    """A file that went past ``MOTCUA_MAX_UPLOAD_BYTES``: its size is known, its content was
    dropped. ``dossiers.documents.check_upload`` refuses it as too large."""

    def __init__(self, name: str, content_type: str | None, size: int, charset: str | None):
        super().__init__(None, name, content_type, size, charset)

    def read(self, *args: Any) -> bytes:
        return b""

    def seek(self, *args: Any) -> int:
        return 0

    def chunks(self, chunk_size: int | None = None) -> Any:
        return iter(())

    def close(self) -> None:
        return None


class CappedUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: refuses a multipart body larger than
    ``MOTCUA_MAX_REQUEST_BYTES`` before reading it, and stops passing a file's bytes on to the
    memory or temporary-file handlers once it passes ``MOTCUA_MAX_UPLOAD_BYTES``."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        total = settings.MOTCUA_MAX_REQUEST_BYTES
        if content_length > total:
            raise RequestTooLarge(_("The request is larger than %(mb)s MB.") % {"mb": _mb(total)})
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.MOTCUA_MAX_UPLOAD_BYTES:
            self.oversized = True
        return None if self.oversized else raw_data

    def file_complete(self, file_size: int) -> OversizedUpload | None:
        if not self.oversized:
            return None  # the next handler keeps the file
        return OversizedUpload(self.file_name or "", self.content_type, file_size, self.charset)


class ProblemSerializer(serializers.Serializer[dict[str, Any]]):
    """One reason a request was refused (docs/errors.md)."""

    code = serializers.CharField(help_text="stable snake_case code, e.g. fee_more_than_owed")
    message = serializers.CharField(help_text="for people, in the request's language")
    field = serializers.CharField(
        required=False, help_text="the input it is about, a dotted path (applicant.id_number)"
    )


# Every error answer of the API, for its schema: the first problem on top, all of them in
# ``errors`` (``exception_handler``; the codes are listed in docs/errors.md). Built inline:
# a serializer's own ``errors`` attribute would hide a field of that name.
ErrorSerializer = inline_serializer(
    "Error",
    fields={
        **ProblemSerializer().get_fields(),
        "errors": ProblemSerializer(many=True, help_text="every problem, in order"),
    },
)


def error_responses(*statuses: int) -> dict[int, serializers.Serializer[Any]]:
    """The error answers an endpoint documents in its schema: ``responses={200: …,
    **error_responses(400, 403, 409)}``."""
    return dict.fromkeys(statuses, ErrorSerializer)
