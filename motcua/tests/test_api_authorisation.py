"""The API's authorisation matrix, generated from the workflow table and the URL list: every
action endpoint (``POST /api/v1/dossiers/<code>/actions/<name>/``, one per action of the
engine's registry) is called from every status the table lets that action start from, by every
role standing in every place (in the dossier's agency, in another agency, in none; for a
citizen: the dossier's owner, another citizen, no role at all) and anonymously. Whom the table
allows must pass the authorisation gate (the engine may still refuse past it with a code of its
own: a wrong amount, approving before the last step); anyone else is refused with 403
``action_not_allowed``, or 404 when they may not even read the dossier.

Each call runs in a savepoint rolled back afterwards, so every cell sees the same dossier."""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from motcua.accounts.models import AGENCY_ROLES, GLOBAL_ROLES, Agency, Role, User
from motcua.catalogue.models import Case
from motcua.dossiers import actions
from motcua.dossiers.intake import submit_online
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import assign, complete_intake, household_business_case
from motcua.dossiers.workflow import RULES, Action, Grant, Scope, Status, find_rule
from motcua.testing import Cast, make_user

# A payload each action's serializer and parser accept, so that only the gate decides.
PAYLOADS: dict[str, dict[str, Any]] = {
    "receive": {},
    "forward": {},
    "send_back": {"reason": "Thiếu chữ ký"},
    "transfer": {"reason": "Liên thông", "to_agency": "H56.23", "allowance": "1"},
    "request_supplement": {"items": ["Bản sao căn cước"], "reason": "Thiếu giấy tờ"},
    "allow_further_supplement": {"reason": "Phát sinh giấy tờ"},
    "resubmit": {},
    "request_payment": {"reason": "Lệ phí", "amount": "100000"},
    "confirm_payment": {"amount": "100000", "receipt": "BL-1", "method": "cash"},
    "collect_fee": {"amount": "100000", "receipt": "BL-2", "method": "cash"},
    "extend": {"reason": "Cần xác minh", "new_return_at": "2030-01-07T16:00:00+07:00"},
    "approve": {"result": "Giấy chứng nhận đăng ký hộ kinh doanh"},
    "return_result": {"method": "in_person"},
    "hand_to_post": {"tracking_number": "EB123456789VN"},
    "withdraw": {"reason": "Không còn nhu cầu"},
    "stop": {"reason": "Hồ sơ giả mạo"},
}
PLACES = ("own", "other", "none")
ROLES = tuple(Role)
# Refusals by the gate: the table says no (403), or the dossier is not theirs to read (404).
DENIALS = {"action_not_allowed", "not_found", "not_authenticated", "permission_denied"}


def _action_routes() -> set[str]:
    """The action names the URL list routes to ``…/actions/<name>/`` (the URL's pattern takes
    any name; the view answers 404 for one the registry lacks)."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern)

    routes = [r for r in walk(get_resolver().url_patterns, "") if "actions/(?P<name>" in r]
    assert routes, "the URL list has no action endpoint"
    return set(actions.REGISTRY)


def _cells() -> list[tuple[str, str]]:
    """(action, status) for every action of the registry from every status the table lets
    someone take it from (the statuses this test can build)."""
    buildable = set(BUILDERS)
    found = {
        (rule.action.value, rule.source)
        for rule in RULES
        if rule.action.value in actions.REGISTRY and rule.source in buildable
    }
    return sorted(found)


@dataclass
class World:
    cast: Cast
    case: Case
    owner: User
    users: dict[tuple[str, str], User]


@pytest.fixture
def world(cast: Cast) -> World:
    case = household_business_case(cast.agency)
    assign(case, cast.other_agency)
    users: dict[tuple[str, str], User] = {}
    for role in ROLES:
        for place in PLACES:
            if role == Role.CITIZEN and place == "own":
                users[(role, place)] = cast.henry  # the owner of every test dossier
                continue
            holds = _holds(cast, role, place)
            if holds is None:
                continue
            users[(role, place)] = make_user(f"{role}-{place}".replace("_", "-"), *holds)
    return World(cast, case, cast.henry, users)


def _holds(cast: Cast, role: str, place: str) -> list[tuple[str, Agency | None]] | None:
    """The roles of the user standing in ``place`` with ``role``: held in the dossier's agency
    (own) or the other agency; ``none`` is no role at all for a role held only in an agency and
    for a citizen (whose ``other`` is another citizen), and the role held system-wide for the
    system administrator and a reform officer. ``None``: no such place for this role."""
    if role == Role.CITIZEN:
        places: dict[str, list[tuple[str, Agency | None]]] = {"other": [(role, None)], "none": []}
        return places.get(place)
    if role in GLOBAL_ROLES:
        return [(role, None)] if place == "none" else None
    if place == "none":
        return [] if role in AGENCY_ROLES else [(role, None)]
    return [(role, cast.agency if place == "own" else cast.other_agency)]


def _new(world: World) -> Dossier:
    return submit_online(complete_intake(world.case), agency=world.cast.agency, actor=world.owner)


def _received(world: World) -> Dossier:
    dossier = _new(world)
    return actions.take(dossier, "receive", world.cast.alice, {})


def _processing(world: World) -> Dossier:
    """At the first processing step (the specialist's): not the last, so nobody approves."""
    return actions.take(_received(world), "forward", world.cast.alice, {})


def _supplement_requested(world: World) -> Dossier:
    payload = PAYLOADS["request_supplement"]
    return actions.take(_processing(world), "request_supplement", world.cast.bob, payload)


def _financial_obligation(world: World) -> Dossier:
    payload = {**PAYLOADS["request_payment"], "amount": Decimal(100000)}
    return actions.take(_processing(world), "request_payment", world.cast.bob, payload)


def _processed(world: World) -> Dossier:
    dossier = _processing(world)
    for holder in (world.cast.bob, world.cast.carol):
        dossier = actions.take(dossier, "forward", holder, {})
    return actions.take(dossier, "approve", world.cast.dave, PAYLOADS["approve"])


BUILDERS = {
    Status.NEW: _new,
    Status.RECEIVED: _received,
    Status.PROCESSING: _processing,
    Status.SUPPLEMENT_REQUESTED: _supplement_requested,
    Status.FINANCIAL_OBLIGATION: _financial_obligation,
    Status.PROCESSED: _processed,
}


def _grants(dossier: Dossier, role: str, place: str) -> set[Grant]:
    """What standing in ``place`` with ``role`` gives on the dossier, by the definitions of the
    table's scopes (all of the test dossier's agencies are the receiving one)."""
    if place != "own":
        return set()
    if role == Role.CITIZEN:
        return {(role, Scope.OWNER)}
    grants: set[Grant] = {(role, Scope.RECEIVING), (role, Scope.CURRENT)}
    step = dossier.current_step
    if step is not None and step.role == role:
        grants.add((role, Scope.STEP))
    return grants


def _expected(dossier: Dossier, name: str, role: str, place: str) -> bool:
    """Whether the table lets ``role`` standing in ``place`` take ``name`` now. (Past the gate
    the engine may still refuse with its own code: approving before the last processing step
    is ``approve_not_last_step``, a 400, not a denial.)"""
    return find_rule(Action(name), dossier.status, _grants(dossier, role, place)) is not None


def _call(client: Client, user: User | None, code: str, name: str) -> tuple[int, str]:
    client.logout()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = client.post(
            f"/api/v1/dossiers/{code}/actions/{name}/",
            PAYLOADS[name],
            content_type="application/json",
        )
        transaction.set_rollback(True)
    body = response.json()
    return response.status_code, str(body.get("code", "")) if isinstance(body, dict) else ""


def test_every_action_of_the_registry_has_an_endpoint_a_payload_and_a_rule() -> None:
    """The matrix covers the whole API: each routed action has a payload here and at least
    one row in the table from a status this test builds."""
    names = _action_routes()
    assert names == set(PAYLOADS)
    assert {name for name, _status in _cells()} == names


@pytest.mark.parametrize(("name", "status"), _cells())
def test_the_gate_lets_through_exactly_whom_the_table_names(
    client: Client, world: World, name: str, status: str
) -> None:
    """Every role × place (and anonymous) on the action from this status: allowed ones pass
    the gate (any answer but a denial), the others get 403 action_not_allowed or 404."""
    dossier = BUILDERS[Status(status)](world)
    dossier.refresh_from_db()
    assert dossier.status == status
    wrong: list[str] = []
    allowed_count = 0
    for (role, place), user in sorted(world.users.items()):
        expected = _expected(dossier, name, role, place)
        allowed_count += expected
        answer, code = _call(client, user, dossier.code, name)
        denied = answer in (403, 404) and code in DENIALS
        # Past the gate: done (200) or refused by a rule of the engine's own (400: an amount,
        # a fee still owed, approving before the last step…).
        passed = answer in (200, 400) and code not in DENIALS
        if (expected and not passed) or (not expected and not denied):
            wrong.append(
                f"{role}@{place}: expected {'allowed' if expected else 'denied'}, got "
                f"{answer} {code}"
            )
    answer, code = _call(client, None, dossier.code, name)
    if not (answer == 403 and code in DENIALS):
        wrong.append(f"anonymous: expected denied, got {answer} {code}")
    assert not wrong, "\n".join(wrong)
    assert allowed_count, f"nobody may {name} from {status}: the row is not exercised"
