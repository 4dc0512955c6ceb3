"""The API's pages (docs/api.md, "Pages").

Every list answers ``PAGE_SIZE`` (50) items a page unless the client asks for another
``page_size``, cut to ``MOTCUA_API_MAX_PAGE_SIZE`` (100 by default, as peers' APIs allow).
Small lists (units, agencies, procedures…) are numbered pages with an exact ``count``; the
dossier list, which grows to millions of rows, is keyset pages (``KeysetPagination``): no
COUNT, no OFFSET (issue #18 item 2)."""

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext
from rest_framework import pagination
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param


def _page_size(request: Request) -> int:
    """``page_size`` from the query, cut to the maximum; ``PAGE_SIZE`` when absent or not a
    positive number."""
    default = int(api_settings.PAGE_SIZE or 50)
    raw = str(request.query_params.get("page_size", ""))
    try:
        asked: int = int(raw)
    except ValueError:
        return default
    if asked <= 0:
        return default
    largest: int = settings.MOTCUA_API_MAX_PAGE_SIZE
    return min(asked, largest)


def _page_size_parameter() -> dict[str, Any]:
    return {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": "items a page (default 50; more than the maximum, 100 by default, is cut "
        "to it)",
        "schema": {"type": "integer"},
    }


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's numbered pages with ``page_size`` honoured up to the configured maximum."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return int(settings.MOTCUA_API_MAX_PAGE_SIZE)


@dataclass(frozen=True)
class Cursor:
    """Where a walk stands: the ordering value and id of the last row seen, and which way."""

    value: dt.datetime | None
    pk: int
    backwards: bool

    def encode(self) -> str:
        data = {
            "v": self.value.isoformat() if self.value is not None else None,
            "id": self.pk,
            "b": self.backwards,
        }
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, raw: str) -> "Cursor | None":
        try:
            text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
            data = json.loads(text)
            value = data["v"]
            instant = dt.datetime.fromisoformat(value) if value is not None else None
            pk, backwards = data["id"], data["b"]
            if instant is not None:
                if instant.tzinfo is None:
                    return None
                instant = instant.astimezone(dt.UTC)
        except (ValueError, TypeError, KeyError, OverflowError, binascii.Error):
            return None
        if not isinstance(pk, int) or isinstance(pk, bool) or not isinstance(backwards, bool):
            return None
        if not 0 < pk < 2**63:
            return None
        return cls(instant, pk, backwards)


class KeysetPagination(pagination.BasePagination):
    """Keyset ("cursor") pages over a list ordered by one nullable instant, newest first with
    the empty ones last, then by id (the dossier list: ``received_at`` DESC NULLS LAST, ``id``
    DESC). A page is the ``page_size`` rows after (or before) the last row the client saw,
    found by a WHERE on the ordering's columns: no OFFSET and no COUNT, so a page costs the
    same at the start and at the millionth row, and rows added while a client walks the list
    neither repeat nor push others out of it. (A row whose ordering column changes while it is
    walked, an online dossier received in between, moves within the order and may be seen
    twice or not at all.) ``next`` and ``previous`` are links with an opaque ``cursor``."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    field = "received_at"

    def __init__(self) -> None:
        self.base_url = ""
        self.page_size = 0
        self.has_next = False
        self.has_previous = False
        self.page: list[Any] = []

    def get_page_size(self, request: Request) -> int:
        return _page_size(request)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        cursor = self._decode(request.query_params.get(self.cursor_query_param))
        backwards = cursor is not None and cursor.backwards
        rows = queryset.order_by(*self._ordering(backwards))
        if cursor is not None:
            rows = rows.filter(self._beyond(cursor))
        found = list(rows[: self.page_size + 1])
        more = len(found) > self.page_size
        found = found[: self.page_size]
        if backwards:
            found.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_next, self.has_previous = more, cursor is not None
        self.page = found
        return found

    def _ordering(self, backwards: bool) -> list[Any]:
        if backwards:
            return [F(self.field).asc(nulls_first=True), F("pk").asc()]
        return [F(self.field).desc(nulls_last=True), F("pk").desc()]

    def _beyond(self, cursor: Cursor) -> Q:
        """The rows after the cursor in the walk's direction."""
        value, pk, field = cursor.value, cursor.pk, self.field
        if not cursor.backwards:
            if value is None:
                return Q(**{f"{field}__isnull": True, "pk__lt": pk})
            return (
                Q(**{f"{field}__lt": value})
                | Q(**{field: value, "pk__lt": pk})
                | Q(**{f"{field}__isnull": True})
            )
        if value is None:
            return Q(**{f"{field}__isnull": False}) | Q(**{f"{field}__isnull": True, "pk__gt": pk})
        return Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk})

    def _link(self, row: Any, backwards: bool) -> str:
        value = getattr(row, self.field)
        cursor = Cursor(value, row.pk, backwards)
        url = replace_query_param(self.base_url, self.cursor_query_param, cursor.encode())
        return str(url)

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        return self._link(self.page[-1], backwards=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous or not self.page:
            return None
        return self._link(self.page[0], backwards=True)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def _decode(self, raw: str | None) -> Cursor | None:
        if raw is None:
            return None
        cursor = Cursor.decode(raw)
        if cursor is None:
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        ErrorDetail(gettext("Invalid cursor."), code="invalid_cursor")
                    ]
                }
            )
        return cursor

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "the cursor of a next or previous link (opaque)",
                "schema": {"type": "string"},
            },
            _page_size_parameter(),
        ]
