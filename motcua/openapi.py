"""The API's OpenAPI schema as the API answers (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``).

drf-spectacular documents what a view declares; this class adds what every view may answer
besides, so that a client (and the schemathesis run of ``motcua/tests/test_api_fuzz.py``) finds
every answer documented:

* the shared error answers of docs/errors.md (``{code, message, field?, errors}``): 401 on every
  operation (an API token refused, HTTP Basic sent where it is off), 403 on every
  operation (not signed in, a second factor owed, not allowed), 429 on every operation (the
  request rates of ``motcua.throttling``), 400 where a request carries input (query parameters
  or a body), 415 where it carries a body (a media type the operation does not parse), 404
  where the path names something, a list is paged (a page past the end) or ``format`` chooses
  among several renderers (a format the view has not);
* a read-only field as nullable when the model field behind it is;
* local times (``TimeField``) as ``HH:MM[:SS]``, not OpenAPI's ``time`` format (which requires
  an offset the API never sends: the times are Vietnam's, as the calendars say).
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from motcua.limits import ErrorSerializer

LOCAL_TIME = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"


class MotcuaAutoSchema(AutoSchema):
    """drf-spectacular's ``AutoSchema`` with the answers every operation shares."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status in self._shared_error_statuses():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    ErrorSerializer, str(status), ["application/json"], direction
                )
        return responses

    def _shared_error_statuses(self) -> list[int]:
        statuses = [401, 403, 429]
        paginator = self._get_paginator()  # type: ignore[no-untyped-call]
        filters = self._get_filter_parameters()  # type: ignore[no-untyped-call]
        has_input = self.method in ("POST", "PUT", "PATCH") or bool(
            filters or paginator or self._query_parameters()
        )
        if has_input:
            statuses.append(400)
        if self.method in ("POST", "PUT", "PATCH"):
            # A body in a media type the operation's parsers do not take (DRF's 415), e.g. a
            # multipart body whose boundary the parser cannot find.
            statuses.append(415)
        paged = self._is_list_view() and paginator
        # ``format`` naming no renderer of the view: DRF's content negotiation answers 404.
        formats = len(self.view.get_renderers()) > 1
        if "{" in self.path or paged or formats:
            statuses.append(404)
        return sorted(statuses)

    def _query_parameters(self) -> list[Any]:
        return [
            parameter
            for parameter in self.get_override_parameters()
            if getattr(parameter, "location", None) == "query"
        ]

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(  # type: ignore[no-untyped-call]
            field, direction, bypass_extensions
        )
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            schema = {k: v for k, v in schema.items() if k != "format"}
            schema["pattern"] = LOCAL_TIME
        if field.read_only and self._model_field_is_nullable(field):
            schema = {**schema, "nullable": True}
        return schema

    def _model_field_is_nullable(self, field: Any) -> bool:
        """Whether the model field a read-only serializer field reads (``source``, dotted
        through relations) may be null: then the API answers ``null`` there."""
        parent = getattr(field, "parent", None)
        model = getattr(getattr(parent, "Meta", None), "model", None)
        source = getattr(field, "source", None)
        if model is None or not source or source == "*":
            return False
        for part in source.split("."):
            if model is None:
                return False
            try:
                model_field = model._meta.get_field(part)
            except (FieldDoesNotExist, AttributeError):
                return False
            if model_field.null:
                return True
            related = getattr(model_field, "related_model", None)
            if isinstance(model_field, models.ForeignKey | models.OneToOneField) and related:
                model = related
            else:
                model = None
        return False
