"""Idempotent intake through the API (``Idempotency-Key``): a repeat answers with the first
dossier, the same key with another body is refused, keys are per user and expire, and two
simultaneous requests with one key make one dossier (SQLite and PostgreSQL legs)."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from unittest import mock

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.catalogue.models import Case
from motcua.dossiers import idempotency
from motcua.dossiers.models import Dossier, DossierEvent, IntakeKey
from motcua.dossiers.tests.factories import household_business_case
from motcua.testing import Cast, make_user

RECEIVE = "/api/v1/dossiers/receive/"
SUBMIT = "/api/v1/dossiers/submit/"


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


def _intake(case: Case, name: str = "Nguyễn Văn Bình", channel: str = "in_person") -> Any:
    return {
        "agency": "H56.22",
        "procedure": "2.000720",
        "channel": channel,
        "applicant": {"name": name, "id_number": "087090001234"},
        "checklist": [{"required_id": d.pk} for d in case.documents.filter(mandatory=True)],
    }


def _post(client: Client, url: str, data: Any, key: str | None) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(url, data, content_type="application/json", headers=headers)


def test_a_repeat_with_the_same_key_answers_with_the_first_dossier(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    first = _post(client, RECEIVE, _intake(case), "3f1c9a52-0d7e-4c1b-9a51-7d2f0e6b8c11")
    again = _post(client, RECEIVE, _intake(case), "3f1c9a52-0d7e-4c1b-9a51-7d2f0e6b8c11")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(action="receive").count() == 1


def test_without_a_key_each_request_is_a_new_dossier(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    codes = {_post(client, RECEIVE, _intake(case), None).json()["code"] for _ in range(2)}
    assert len(codes) == 2


def test_the_same_key_with_another_body_is_refused_with_422(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    first = _post(client, RECEIVE, _intake(case), "key-1")
    other = _post(client, RECEIVE, _intake(case, name="Trần Thị Hoa"), "key-1")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert first.json()["code"] in other.json()["message"]

    # The same key on another intake endpoint is another request too.
    refused = _post(
        client, "/api/v1/dossiers/refuse/", {**_intake(case), "reasons": ["x"]}, "key-1"
    )
    assert refused.status_code == 422
    assert Dossier.objects.count() == 1


def test_keys_are_per_user(client: Client, cast: Cast, case: Case) -> None:
    """Another desk officer's identical key is another key: a dossier each."""
    nina = make_user("nina", (Role.DESK_OFFICER, cast.agency))
    client.force_login(cast.alice)
    mine = _post(client, RECEIVE, _intake(case), "shared-key")
    client.force_login(nina)
    hers = _post(client, RECEIVE, _intake(case), "shared-key")
    assert mine.status_code == hers.status_code == 201
    assert mine.json()["code"] != hers.json()["code"]
    assert IntakeKey.objects.filter(key="api:shared-key").count() == 2


def test_a_key_expires_after_the_window(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    first = _post(client, RECEIVE, _intake(case), "late-retry").json()["code"]
    later = timezone.now() + idempotency.WINDOW + dt.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        second = _post(client, RECEIVE, _intake(case), "late-retry")
    assert second.status_code == 201
    assert second.json()["code"] != first
    stored = IntakeKey.objects.get(key="api:late-retry").dossier
    assert stored is not None and stored.code == second.json()["code"]


def test_a_refused_intake_stores_no_key_and_the_key_can_be_sent_again(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    incomplete = {**_intake(case), "checklist": []}
    assert _post(client, RECEIVE, incomplete, "fix-and-retry").status_code == 400
    assert not IntakeKey.objects.exists()
    assert _post(client, RECEIVE, _intake(case), "fix-and-retry").status_code == 201


def test_online_submission_takes_the_key_too(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.henry)
    first = _post(client, SUBMIT, _intake(case, channel="online"), "citizen-retry")
    again = _post(client, SUBMIT, _intake(case, channel="online"), "citizen-retry")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Dossier.objects.filter(owner=cast.henry).count() == 1


@pytest.mark.parametrize("key", ["", "x" * 201, "clé-accentuée"])
def test_a_malformed_key_is_refused_with_400(
    client: Client, cast: Cast, case: Case, key: str
) -> None:
    client.force_login(cast.alice)
    response = _post(client, RECEIVE, _intake(case), key)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert not Dossier.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_with_one_key_make_one_dossier(cast: Cast) -> None:
    """Six requests released together with one key: one dossier, one receive event, every
    answer 201 with the same body (the losers wait for the winner, then replay it)."""
    case = household_business_case(cast.agency)
    count = 6
    clients = [Client() for _ in range(count)]
    for c in clients:
        c.force_login(cast.alice)
    barrier = threading.Barrier(count)

    def send(c: Client) -> Any:
        barrier.wait()
        try:
            response = _post(c, RECEIVE, _intake(case), "double-click")
            return response.status_code, response.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        answers = list(pool.map(send, clients))
    assert {status for status, _ in answers} == {201}
    assert len({body["code"] for _, body in answers}) == 1
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(action="receive").count() == 1
    assert IntakeKey.objects.count() == 1
