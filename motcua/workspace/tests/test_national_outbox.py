"""The national outbox's screen for system administrators and its figures on ``/readyz``:
queue depth, the oldest undelivered message, failures by reason; dead letters and blocked
messages re-queued or annotated through the outbox's services, each recorded. The failures are
real: the messages were sent over HTTP to the simulator while it was down."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, complete_intake
from motcua.dossiers.workflow import Channel, Status
from motcua.integration import outbox
from motcua.integration.figures import outbox_figures
from motcua.integration.models import (
    CodeMapping,
    MappingKind,
    MessageEvent,
    MessageState,
    OutboxMessage,
)
from motcua.integration.national import NationalPortal
from motcua.integration.simulator import NationalSimulator
from motcua.jobs import heartbeat
from motcua.testing import Cast

PAGE = "/workspace/national/outbox/"


@pytest.fixture
def simulator() -> NationalSimulator:
    return NationalSimulator()


@pytest.fixture
def portal(simulator: NationalSimulator) -> Iterator[NationalPortal]:
    with simulator.running() as url:
        yield NationalPortal(url, timeout=5)


def _receive(cast: Cast, case: Case, when: str) -> Dossier:
    return intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at(when)
    )


@pytest.fixture
def stuck(
    cast: Cast,
    case: Case,
    simulator: NationalSimulator,
    portal: NationalPortal,
    settings: Any,
) -> tuple[OutboxMessage, OutboxMessage]:
    """A dead letter (the portal answered 500 to its one allowed attempt) and, later, a
    blocked message (the statuses' national codes removed meanwhile)."""
    settings.MOTCUA_NATIONAL_MAX_ATTEMPTS = 1
    CodeMapping.objects.bulk_create(
        [CodeMapping(kind=MappingKind.STATUS, ours=s.value, national=s.value) for s in Status]
        + [CodeMapping(kind=MappingKind.CHANNEL, ours=c.value, national=c.value) for c in Channel]
        + [CodeMapping(kind=MappingKind.AGENCY, ours=cast.agency.code, national="G01")]
    )
    simulator.behaviour.down = True
    first = _receive(cast, case, "2026-03-02T09:00")
    assert outbox.deliver_due(now=at("2026-03-02T09:01"), portal=portal).dead == 1
    CodeMapping.objects.filter(kind=MappingKind.STATUS).delete()
    second = _receive(cast, case, "2026-03-02T10:00")
    assert outbox.deliver_due(now=at("2026-03-02T10:01"), portal=portal).blocked == 1
    simulator.behaviour.down = False
    return (
        OutboxMessage.objects.get(dossier=first),
        OutboxMessage.objects.get(dossier=second),
    )


def test_the_figures_count_depth_oldest_and_failures_by_reason(
    stuck: tuple[OutboxMessage, OutboxMessage],
) -> None:
    _dead, blocked = stuck
    figures = outbox_figures(now=at("2026-03-02T11:00"))
    assert (figures.depth, figures.pending, figures.dead, figures.blocked) == (2, 0, 1, 1)
    assert figures.oldest_at == at("2026-03-02T09:00")
    assert figures.oldest_age_seconds == 2 * 3600
    assert dict(figures.failures) == {"HTTP 500": 1, blocked.problem: 1}
    assert "dossier status" in blocked.problem


def test_readyz_carries_the_figures_and_they_do_not_decide_readiness(
    client: Client, stuck: tuple[OutboxMessage, OutboxMessage]
) -> None:
    heartbeat.beat("w1", started_at=at("2026-03-02T08:00"))
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["national_outbox"]["depth"] == 2
    assert body["national_outbox"]["dead"] == 1
    assert body["national_outbox"]["failures"]["HTTP 500"] == 1
    assert body["national_outbox"]["oldest_undelivered_at"] == "2026-03-02T02:00:00+00:00"


def test_the_screen_shows_the_figures_and_the_stuck_messages_to_a_system_admin(
    client: Client, cast: Cast, stuck: tuple[OutboxMessage, OutboxMessage]
) -> None:
    client.force_login(cast.grace)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="message-{stuck[0].pk}"' in html
    assert f'id="message-{stuck[1].pk}"' in html
    assert "HTTP 500" in html
    assert '<td class="depth">2</td>' in html


@pytest.mark.parametrize("who", ["alice", "erin", "frank"])
def test_no_one_but_a_system_admin_sees_or_changes_the_outbox(
    client: Client, cast: Cast, stuck: tuple[OutboxMessage, OutboxMessage], who: str
) -> None:
    dead = stuck[0]
    client.force_login(getattr(cast, who))
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}{dead.pk}/requeue/").status_code == 403
    assert client.post(f"{PAGE}{dead.pk}/note/", {"note": "x"}).status_code == 403
    dead.refresh_from_db()
    assert (dead.state, dead.note) == (MessageState.DEAD, "")
    assert not dead.events.filter(kind__in=["requeued", "noted"]).exists()


def test_a_stranger_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/workspace/login/" in response["Location"]


def test_a_requeued_dead_letter_is_delivered_once_the_portal_is_up(
    client: Client,
    cast: Cast,
    stuck: tuple[OutboxMessage, OutboxMessage],
    simulator: NationalSimulator,
    portal: NationalPortal,
) -> None:
    dead = stuck[0]
    client.force_login(cast.grace)
    response = client.post(f"{PAGE}{dead.pk}/requeue/", follow=True)
    assert response.status_code == 200
    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == (MessageState.PENDING, 0)
    event = dead.events.get(kind=MessageEvent.Kind.REQUEUED)
    assert event.actor == cast.grace
    assert event.detail.startswith("dead: HTTP 500")
    CodeMapping.objects.bulk_create(
        [CodeMapping(kind=MappingKind.STATUS, ours=s.value, national=s.value) for s in Status]
    )
    assert outbox.deliver_due(portal=portal).delivered == 1  # re-queued for now
    assert [r.body["dossier_code"] for r in simulator.received] == [dead.stream]


def test_a_pending_message_is_not_requeued_and_the_screen_says_why(
    client: Client, cast: Cast, stuck: tuple[OutboxMessage, OutboxMessage]
) -> None:
    dead = stuck[0]
    outbox.requeue(dead, actor=cast.grace)
    client.force_login(cast.grace)
    response = client.post(f"{PAGE}{dead.pk}/requeue/", follow=True)
    assert '<li class="error">' in response.content.decode()
    assert dead.events.filter(kind=MessageEvent.Kind.REQUEUED).count() == 1


def test_a_note_is_saved_and_recorded(
    client: Client, cast: Cast, stuck: tuple[OutboxMessage, OutboxMessage]
) -> None:
    blocked = stuck[1]
    client.force_login(cast.grace)
    response = client.post(f"{PAGE}{blocked.pk}/note/", {"note": " Chờ Sở bổ sung mã "})
    assert response.status_code == 302
    blocked.refresh_from_db()
    assert blocked.note == "Chờ Sở bổ sung mã"
    noted = blocked.events.get(kind=MessageEvent.Kind.NOTED)
    assert (noted.actor, noted.detail) == (cast.grace, "Chờ Sở bổ sung mã")
    assert blocked.state == MessageState.BLOCKED
