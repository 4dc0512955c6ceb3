"""The outbox in the admin: listed by state, never added or deleted by hand; a stuck message
re-queued and a note written through the services, each kept in the message's history."""

import pytest
from django.test import Client

from motcua.dossiers import intake
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.integration.models import MessageEvent, MessageState, OutboxMessage
from motcua.testing import Cast

BASE = "/admin/integration/outboxmessage/"


@pytest.fixture
def message(cast: Cast) -> OutboxMessage:
    intake.receive_new_dossier(
        complete_intake(household_business_case(cast.agency)),
        agency=cast.agency,
        actor=cast.alice,
        now=at("2026-03-02T09:00"),
    )
    return OutboxMessage.objects.get()


@pytest.fixture
def admin(client: Client, cast: Cast) -> Client:
    cast.grace.is_staff = cast.grace.is_superuser = True
    cast.grace.save()
    client.force_login(cast.grace)
    return client


def test_the_admin_lists_messages_and_adds_or_deletes_none(
    admin: Client, message: OutboxMessage
) -> None:
    assert admin.get(f"{BASE}?state__exact=pending").status_code == 200
    assert message.stream in admin.get(BASE).content.decode()
    assert admin.get(f"{BASE}{message.pk}/change/").status_code == 200
    assert admin.get(f"{BASE}add/").status_code == 403
    assert admin.get(f"{BASE}{message.pk}/delete/").status_code == 403
    assert admin.get("/admin/integration/codemapping/add/").status_code == 200


def test_a_dead_message_is_requeued_from_the_list(
    admin: Client, message: OutboxMessage, cast: Cast
) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=MessageState.DEAD, attempts=12, problem="HTTP 500"
    )
    answer = admin.post(BASE, {"action": "requeue", "_selected_action": [message.pk]})
    assert answer.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.PENDING, 0)
    requeued = message.events.get()
    assert (requeued.kind, requeued.actor) == (MessageEvent.Kind.REQUEUED, cast.grace)
    assert requeued.detail == "dead: HTTP 500"


def test_a_pending_message_is_not_requeued(admin: Client, message: OutboxMessage) -> None:
    admin.post(BASE, {"action": "requeue", "_selected_action": [message.pk]})
    assert not message.events.exists()


def test_a_note_is_written_through_the_service_and_nothing_else_changes(
    admin: Client, message: OutboxMessage, cast: Cast
) -> None:
    answer = admin.post(
        f"{BASE}{message.pk}/change/",
        {
            "note": "Đã liên hệ Cổng quốc gia",
            "state": MessageState.DELIVERED,  # read-only: ignored
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    message.refresh_from_db()
    assert message.note == "Đã liên hệ Cổng quốc gia"
    assert message.state == MessageState.PENDING
    noted = message.events.get()
    assert (noted.kind, noted.actor, noted.detail) == (
        MessageEvent.Kind.NOTED,
        cast.grace,
        "Đã liên hệ Cổng quốc gia",
    )
