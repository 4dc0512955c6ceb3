"""The API fuzzed against its own OpenAPI schema (schemathesis): every operation of
``/api/v1/schema/``, as a desk officer, as a citizen with a portal account and anonymously, gets
``MOTCUA_FUZZ_EXAMPLES`` generated requests (default 8) through the WSGI application. No answer
may be a server error (5xx), every answer's status must be documented for its operation, and
every body must match the schema the operation documents for that status."""

import base64
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.dossiers.intake import receive_new_dossier
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.testing import TEST_PASSWORD, Cast

EXAMPLES = int(os.environ.get("MOTCUA_FUZZ_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema() -> dict[str, Any]:
    """The schema ``/api/v1/schema/`` serves, as a dictionary (drf-spectacular's generator)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    assert isinstance(generated, dict)
    return generated


# The fuzzing phase only, bounded by EXAMPLES: the coverage phase sends every boundary of every
# parameter (hundreds of requests per operation), too many for each run of the suite.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(_schema(), config=CONFIG)
# A tus chunk (PATCH /api/v1/uploads/<token>/) is raw bytes, as any octet stream.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
APP = WSGIHandler()


def _basic(username: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{TEST_PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def world(cast: Cast) -> Iterator[Cast]:
    """The named users, a published procedure at alice's agency and one dossier received
    there, so that lists and lookups have something to answer with. The requests run inside
    the test's transaction: as Django's test client, the WSGI handler may not close the
    connection at the end of each request."""
    case = household_business_case(cast.agency)
    receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield cast
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


IDENTITIES = {"desk officer": "alice", "citizen": "henry", "anonymous": ""}


@pytest.mark.parametrize("identity", sorted(IDENTITIES))
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case: Any, identity: str, world: Cast) -> None:
    """No 5xx, a documented status and a body of the documented shape, for any identity."""
    username = IDENTITIES[identity]
    headers = _basic(username) if username else {}
    case.call_and_validate(app=APP, headers=headers, checks=CHECKS)


@pytest.mark.parametrize(
    ("identity", "status", "count"),
    [("desk officer", 200, 1), ("citizen", 200, 0), ("anonymous", 403, None)],
)
def test_the_fuzzing_identities_are_who_they_say(
    client: Client, world: Cast, identity: str, status: int, count: int | None
) -> None:
    """The desk officer's and the citizen's credentials open the API (else every fuzzed
    request would be a 403 and prove little): alice sees her agency's dossier, henry none."""
    username = IDENTITIES[identity]
    headers = _basic(username) if username else {}
    response = client.get("/api/v1/dossiers/", headers=headers)
    assert response.status_code == status
    if count is not None:
        assert len(response.json()["results"]) == count
