"""The national outbox: a message per event in the event's transaction, delivered over HTTP to
the simulator in order per dossier, retried with back-off, dead-lettered and blocked where it
must be, and never lost or reordered when the portal is down or a worker dies mid-delivery.
Time is simulated: each delivery run is given its ``now``."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from motcua.catalogue.models import Case
from motcua.dossiers import event_hooks, intake, services
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import (
    at,
    birth_registration_case,
    complete_intake,
    household_business_case,
)
from motcua.dossiers.workflow import Channel, Status
from motcua.errors import Refused, refusal_codes
from motcua.feedback import event_hooks as feedback_hooks
from motcua.feedback import services as feedback_services
from motcua.feedback.tests.factories import submit as submit_feedback
from motcua.integration import outbox
from motcua.integration.models import (
    CodeMapping,
    MappingKind,
    MessageEvent,
    MessageState,
    Operation,
    OutboxMessage,
)
from motcua.integration.national import Ack, NationalPortal
from motcua.integration.simulator import NationalSimulator
from motcua.satisfaction import event_hooks as rating_hooks
from motcua.satisfaction import services as satisfaction
from motcua.satisfaction.tests.factories import answers as rating_answers
from motcua.satisfaction.tests.factories import returned_dossier
from motcua.testing import Cast

TOKEN = "s3cret"


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


@pytest.fixture
def mapped(cast: Cast) -> None:
    """Every status, channel and both agencies mapped (procedures keep their national code)."""
    rows = [
        CodeMapping(kind=MappingKind.STATUS, ours=s.value, national=f"TT{s.value}") for s in Status
    ]
    rows += [
        CodeMapping(kind=MappingKind.CHANNEL, ours=c.value, national=c.value.upper())
        for c in Channel
    ]
    rows += [
        CodeMapping(kind=MappingKind.AGENCY, ours=a.code, national=f"000.00.{a.code}")
        for a in (cast.agency, cast.other_agency)
    ]
    CodeMapping.objects.bulk_create(rows)


@pytest.fixture
def simulator() -> NationalSimulator:
    return NationalSimulator(token=TOKEN)


@pytest.fixture
def portal(simulator: NationalSimulator) -> Iterator[NationalPortal]:
    with simulator.running() as url:
        yield NationalPortal(url, TOKEN, timeout=5)


def _received(cast: Cast, case: Case, when: str = "2026-03-02T09:00") -> Dossier:
    return intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at(when)
    )


def _whole_life(cast: Cast, case: Case) -> Dossier:
    """Desk receipt → supplement → resumption → extension → payment → approval → return."""
    dossier = _received(cast, case)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    services.request_supplement(
        dossier, actor=cast.bob, items=["Bản sao CCCD"], now=at("2026-03-03T09:00")
    )
    services.resubmit(dossier, actor=cast.alice, now=at("2026-03-05T09:00"))
    services.request_payment(
        dossier, actor=cast.bob, amount=Decimal(200000), reason="Lệ phí", now=at("2026-03-05T10:00")
    )
    services.confirm_payment(
        dossier,
        actor=cast.alice,
        amount=Decimal(200000),
        receipt="KB-1",
        now=at("2026-03-05T11:00"),
    )
    services.forward(dossier, actor=cast.bob, now=at("2026-03-06T09:00"))
    services.extend(
        dossier,
        actor=cast.carol,
        reason="Chờ xác minh",
        new_return_at=at("2026-03-13T16:00"),
        now=at("2026-03-09T08:00"),
    )
    services.forward(dossier, actor=cast.carol, now=at("2026-03-10T10:00"))
    services.approve(dossier, actor=cast.dave, result="GCN 1/HKD", now=at("2026-03-11T09:00"))
    services.return_result(
        dossier,
        actor=cast.alice,
        method="in_person",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-11T14:00"),
    )
    return dossier


LIFE = [
    "receive",
    "forward",
    "request_supplement",
    "resubmit",
    "request_payment",
    "confirm_payment",
    "forward",
    "extend",
    "forward",
    "approve",
    "return_result",
]


def _arrived(simulator: NationalSimulator, code: str) -> list[tuple[int, str]]:
    return [
        (r.body["sequence"], r.body["action"])
        for r in simulator.received
        if r.body.get("dossier_code") == code
    ]


def test_the_outbox_is_registered_with_the_engine() -> None:
    assert outbox.on_dossier_event in event_hooks.registered()


def test_each_event_writes_a_message_in_its_transaction(cast: Cast, case: Case) -> None:
    """One message per event, numbered per dossier; the first a full sync; a refused action
    (its transaction rolled back) writes none."""
    dossier = _received(cast, case)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    with pytest.raises(ActionRefused):
        services.approve(dossier, actor=cast.dave, result="x", now=at("2026-03-02T11:00"))
    messages = list(OutboxMessage.objects.order_by("sequence"))
    assert [(m.sequence, m.operation, m.facts["action"]) for m in messages] == [
        (1, Operation.SYNC_DOSSIER, "receive"),
        (2, Operation.UPDATE_PROGRESS, "forward"),
    ]
    assert {m.state for m in messages} == {MessageState.PENDING}
    assert messages[1].facts["old_status"] == Status.RECEIVED
    assert messages[1].facts["new_status"] == Status.PROCESSING


@pytest.mark.usefixtures("mapped")
def test_a_dossiers_whole_life_arrives_in_order_each_acknowledged(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal
) -> None:
    dossier = _whole_life(cast, case)
    result = outbox.deliver_due(now=at("2026-03-11T15:00"), portal=portal)
    assert (result.delivered, result.failed, result.blocked) == (len(LIFE), 0, 0)
    assert _arrived(simulator, dossier.code) == list(enumerate(LIFE, start=1))
    assert simulator.problems == []
    first = simulator.received[0]
    assert first.operation == "sync_dossier"
    assert first.body["procedure"] == dossier.version.procedure.code
    assert first.body["receiving_agency"] == "000.00.H56.22"
    assert first.body["channel"] == "IN_PERSON"
    assert first.body["status"] == "TT2"
    assert simulator.received[-1].body["status"] == "TT10"
    messages = OutboxMessage.objects.order_by("sequence")
    assert [m.ack_id for m in messages] == [r.ack_id for r in simulator.received]
    assert all(m.acked_at == at("2026-03-11T15:00") for m in messages)
    assert {m.state for m in messages} == {MessageState.DELIVERED}


@pytest.mark.usefixtures("mapped")
def test_the_portal_answering_500_then_200_delays_the_dossier_but_loses_nothing(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal
) -> None:
    """The first message fails: it waits 30 s and its successor waits behind it."""
    dossier = _received(cast, case)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    simulator.behaviour.fail = 1
    now = at("2026-03-02T11:00")
    result = outbox.deliver_due(now=now, portal=portal)
    assert (result.delivered, result.failed) == (0, 1)
    assert simulator.received == [] and simulator.requests == 1
    first = OutboxMessage.objects.get(sequence=1)
    assert first.state == MessageState.PENDING and first.attempts == 1
    assert first.next_attempt_at == now + dt.timedelta(seconds=30)
    assert "HTTP 500" in first.problem
    # Before the back-off ends nothing goes, not even the second message.
    assert outbox.deliver_due(now=now + dt.timedelta(seconds=29), portal=portal).delivered == 0
    assert simulator.requests == 1
    result = outbox.deliver_due(now=now + dt.timedelta(seconds=30), portal=portal)
    assert result.delivered == 2
    assert _arrived(simulator, dossier.code) == [(1, "receive"), (2, "forward")]
    kinds = list(first.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == [MessageEvent.Kind.FAILED, MessageEvent.Kind.DELIVERED]


class Killed(BaseException):
    """The worker process dying: not an error the delivery code handles."""


class DyingPortal(NationalPortal):
    """The real portal client, whose worker dies right after the portal acknowledged the
    first message, before the delivery's transaction commits."""

    def send(self, operation: str, key: str, body: dict[str, Any]) -> Ack:
        super().send(operation, key, body)
        raise Killed


@pytest.mark.usefixtures("mapped")
def test_a_worker_killed_mid_delivery_leaves_it_to_be_delivered_exactly_once_in_order(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal
) -> None:
    dossier = _whole_life(cast, case)
    now = at("2026-03-11T15:00")
    with pytest.raises(Killed):
        outbox.deliver_due(now=now, portal=DyingPortal(portal.url, TOKEN))
    # The portal kept the first message, but our side rolled back: nothing is marked.
    assert len(simulator.received) == 1
    assert not OutboxMessage.objects.filter(state=MessageState.DELIVERED).exists()
    assert not MessageEvent.objects.exists()
    result = outbox.deliver_due(now=now, portal=portal)
    assert result.delivered == len(LIFE)
    # Sent again with the same key: acknowledged as a duplicate, kept once, all in order.
    assert _arrived(simulator, dossier.code) == list(enumerate(LIFE, start=1))
    assert simulator.problems == []
    first = OutboxMessage.objects.get(sequence=1)
    assert first.ack_id == simulator.received[0].ack_id
    assert "duplicate" in first.events.get().detail


@pytest.mark.usefixtures("mapped")
def test_ten_minutes_down_loses_nothing_and_everything_arrives_in_order(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal
) -> None:
    """Two dossiers live on while the portal is down; the worker runs every minute."""
    first = _whole_life(cast, case)
    second = _received(cast, case, "2026-03-11T09:30")
    services.forward(second, actor=cast.alice, now=at("2026-03-11T09:40"))
    simulator.behaviour.down = True
    start = at("2026-03-11T15:00")
    for minute in range(10):
        outbox.deliver_due(now=start + dt.timedelta(minutes=minute), portal=portal)
    assert simulator.received == []
    assert not OutboxMessage.objects.exclude(state=MessageState.PENDING).exists()
    # Only the heads were tried: never a later message of a dossier.
    assert set(OutboxMessage.objects.filter(attempts__gt=0).values_list("sequence", flat=True)) == {
        1
    }
    simulator.behaviour.down = False
    for minute in range(10, 30):
        outbox.deliver_due(now=start + dt.timedelta(minutes=minute), portal=portal)
    assert _arrived(simulator, first.code) == list(enumerate(LIFE, start=1))
    assert _arrived(simulator, second.code) == [(1, "receive"), (2, "forward")]
    assert simulator.problems == []
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MessageState.DELIVERED}


@pytest.mark.usefixtures("mapped")
def test_a_message_failing_n_times_is_a_dead_letter_until_requeued(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal, settings: Any
) -> None:
    settings.MOTCUA_NATIONAL_MAX_ATTEMPTS = 3
    dossier = _received(cast, case)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    simulator.behaviour.down = True
    now = at("2026-03-02T11:00")
    for _ in range(3):
        head = OutboxMessage.objects.get(sequence=1)
        now = max(now, head.next_attempt_at)
        outbox.deliver_due(now=now, portal=portal)
    head = OutboxMessage.objects.get(sequence=1)
    assert head.state == MessageState.DEAD and head.attempts == 3
    simulator.behaviour.down = False
    # A dead letter holds its dossier's later messages, however long one waits.
    assert outbox.deliver_due(now=now + dt.timedelta(days=1), portal=portal).delivered == 0
    assert simulator.received == []
    outbox.requeue(head, actor=cast.grace, now=now + dt.timedelta(days=1))
    assert outbox.deliver_due(now=now + dt.timedelta(days=1), portal=portal).delivered == 2
    assert _arrived(simulator, dossier.code) == [(1, "receive"), (2, "forward")]
    requeued = head.events.get(kind=MessageEvent.Kind.REQUEUED)
    assert requeued.actor == cast.grace


@pytest.mark.usefixtures("mapped")
def test_an_unmapped_code_blocks_the_message_with_its_reason(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal
) -> None:
    CodeMapping.objects.filter(kind=MappingKind.STATUS, ours=Status.PROCESSING).delete()
    dossier = _received(cast, case)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    services.forward(dossier, actor=cast.bob, now=at("2026-03-02T11:00"))
    result = outbox.deliver_due(now=at("2026-03-02T12:00"), portal=portal)
    assert (result.delivered, result.blocked) == (1, 1)
    blocked = OutboxMessage.objects.get(sequence=2)
    assert blocked.state == MessageState.BLOCKED
    assert "dossier status “4”" in blocked.problem
    assert _arrived(simulator, dossier.code) == [(1, "receive")]
    with pytest.raises(Exception) as refused:  # only stuck messages can be re-queued
        outbox.requeue(OutboxMessage.objects.get(sequence=3), actor=cast.grace)
    assert refusal_codes(refused.value) == ["message_not_stuck"]
    CodeMapping.objects.create(kind=MappingKind.STATUS, ours=Status.PROCESSING, national="TT4")
    outbox.requeue(blocked, actor=cast.grace, now=at("2026-03-02T13:00"))
    assert outbox.deliver_due(now=at("2026-03-02T13:00"), portal=portal).delivered == 2
    assert _arrived(simulator, dossier.code) == [(1, "receive"), (2, "forward"), (3, "forward")]


@pytest.mark.usefixtures("mapped")
def test_a_wrong_token_is_a_failure_not_a_delivery(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal
) -> None:
    _received(cast, case)
    result = outbox.deliver_due(
        now=at("2026-03-02T12:00"), portal=NationalPortal(portal.url, "wrong")
    )
    assert result.failed == 1 and simulator.received == []
    assert "HTTP 401" in OutboxMessage.objects.get().problem


@pytest.mark.usefixtures("mapped")
def test_duplicate_acks_from_the_portal_are_stored_as_given(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal
) -> None:
    dossier = _received(cast, case)
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    simulator.behaviour.duplicate_acks = True
    assert outbox.deliver_due(now=at("2026-03-02T12:00"), portal=portal).delivered == 2
    acks = list(OutboxMessage.objects.order_by("sequence").values_list("ack_id", flat=True))
    assert acks == ["ACK-000001", "ACK-000001"]


def test_without_a_url_messages_wait(cast: Cast, case: Case, settings: Any) -> None:
    settings.MOTCUA_NATIONAL_URL = ""
    _received(cast, case)
    result = outbox.deliver_due(now=at("2026-03-02T12:00"))
    assert not result.configured
    assert OutboxMessage.objects.get().state == MessageState.PENDING


def test_the_back_off_doubles_up_to_an_hour() -> None:
    waits = [outbox.backoff(n).total_seconds() for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_an_online_dossier_is_told_from_its_receipt_to_its_withdrawal(
    cast: Cast, case: Case
) -> None:
    """The submission itself is not sent (the desk has not received it yet); its receipt is the
    full sync, the applicant's withdrawal a progress update; a leader's stop likewise."""
    online = intake.submit_online(
        complete_intake(case, "online"), agency=cast.agency, actor=cast.henry,
        now=at("2026-03-02T08:00"),
    )  # fmt: skip
    assert not OutboxMessage.objects.exists()
    services.receive(online, actor=cast.alice, now=at("2026-03-02T09:00"))
    services.withdraw(online, actor=cast.henry, reason="Không còn nhu cầu")
    stopped = _received(cast, case, "2026-03-02T10:00")
    services.stop(stopped, actor=cast.carol, reason="Không thuộc diện giải quyết")
    sent = OutboxMessage.objects.order_by("dossier_id", "sequence")
    assert [(m.stream, m.sequence, m.operation, m.facts["action"]) for m in sent] == [
        (online.code, 1, Operation.SYNC_DOSSIER, "receive"),
        (online.code, 2, Operation.UPDATE_PROGRESS, "withdraw"),
        (stopped.code, 1, Operation.SYNC_DOSSIER, "receive"),
        (stopped.code, 2, Operation.UPDATE_PROGRESS, "stop"),
    ]
    assert sent[1].facts["new_status"] == Status.WITHDRAWN


@pytest.mark.usefixtures("mapped")
def test_the_workers_schedule_delivers_the_outbox(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal, settings: Any
) -> None:
    """``motcua worker``'s schedule enqueues ``deliver_national`` every minute; the queue runs
    it against the configured URL and token."""
    from motcua.jobs.schedule import enqueue_due
    from motcua.jobs.worker import Loop

    settings.MOTCUA_NATIONAL_URL = portal.url
    settings.MOTCUA_NATIONAL_TOKEN = TOKEN
    dossier = _received(cast, case)
    assert "deliver-national" in enqueue_due()
    loop = Loop()
    while loop.run_one():
        pass
    assert _arrived(simulator, dossier.code) == [(1, "receive")]
    assert OutboxMessage.objects.get().state == MessageState.DELIVERED


@pytest.mark.usefixtures("mapped")
def test_send_national_delivers_by_hand_or_says_why_not(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal, settings: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    _received(cast, case)
    settings.MOTCUA_NATIONAL_URL = ""
    out = StringIO()
    call_command("send-national", stdout=out)
    assert "MOTCUA_NATIONAL_URL is not set" in out.getvalue()
    settings.MOTCUA_NATIONAL_URL = portal.url
    settings.MOTCUA_NATIONAL_TOKEN = TOKEN
    call_command("send-national", stdout=out)
    assert "delivered 1, failed 0, blocked 0, dead 0" in out.getvalue()
    assert len(simulator.received) == 1


# --- ratings and feedback answers (sync ratings; sync questions and answers) ---------------


def test_ratings_and_feedback_answers_are_registered_with_their_apps() -> None:
    assert outbox.on_rating_event in rating_hooks.registered()
    assert outbox.on_feedback_event in feedback_hooks.registered()


@pytest.mark.usefixtures("mapped")
def test_a_returned_dossiers_rating_arrives_after_its_return_acknowledged(
    cast: Cast, simulator: NationalSimulator, portal: NationalPortal
) -> None:
    """Online, processed, returned, rated, the rating changed: the two "sync ratings" messages
    follow the return in the dossier's order, each acknowledged."""
    dossier = returned_dossier(cast, birth_registration_case(cast.agency), owner=cast.henry)
    rating = satisfaction.rate(
        dossier, actor=cast.henry, level="satisfied", answers=rating_answers("satisfied")
    )
    satisfaction.edit_rating(rating, actor=cast.henry, level="very_satisfied",
                             answers=rating_answers("very_satisfied"))  # fmt: skip
    result = outbox.deliver_due(now=timezone.now() + dt.timedelta(minutes=1), portal=portal)
    assert (result.failed, result.blocked) == (0, 0)
    arrived = _arrived(simulator, dossier.code)
    assert [action for _, action in arrived][-3:] == ["return_result", "rated", "edited"]
    assert [sequence for sequence, _ in arrived] == list(range(1, len(arrived) + 1))
    assert simulator.problems == []
    rated, edited = simulator.received[-2:]
    assert (rated.operation, edited.operation) == ("sync_ratings", "sync_ratings")
    assert (rated.body["level"], edited.body["level"]) == ("satisfied", "very_satisfied")
    assert rated.body["procedure"] == dossier.version.procedure.code
    messages = OutboxMessage.objects.filter(stream=dossier.code).order_by("sequence")
    assert {m.state for m in messages} == {MessageState.DELIVERED}
    assert [m.ack_id for m in messages][-2:] == [rated.ack_id, edited.ack_id]
    assert messages.last().event is None  # type: ignore[union-attr]


def test_a_refused_rating_writes_no_message(cast: Cast) -> None:
    dossier = returned_dossier(cast, birth_registration_case(cast.agency), owner=cast.henry)
    before = OutboxMessage.objects.count()
    with pytest.raises(Refused):
        satisfaction.rate(dossier, actor=cast.alice, level="satisfied", channel="portal")
    assert OutboxMessage.objects.count() == before


@pytest.mark.usefixtures("mapped")
def test_a_published_feedback_answer_arrives_in_its_own_order(
    cast: Cast, case: Case, simulator: NationalSimulator, portal: NationalPortal
) -> None:
    """Answered then published: two messages in the feedback's own stream, the second with the
    question and the answer; the sender's name and contact are never sent."""
    feedback = submit_feedback(procedure_code=case.version.procedure.code)
    feedback_services.draft_answer(feedback, answer="Đã rút ngắn còn 3 ngày.", actor=cast.bob)
    feedback_services.approve_answer(feedback, actor=cast.dave)
    assert OutboxMessage.objects.filter(stream=f"feedback:{feedback.code}").count() == 1
    feedback_services.publish_answer(feedback, actor=cast.frank)
    result = outbox.deliver_due(now=timezone.now() + dt.timedelta(minutes=1), portal=portal)
    assert (result.delivered, result.failed, result.blocked) == (2, 0, 0)
    answered, published = simulator.received
    assert (answered.operation, published.operation) == ("sync_questions", "sync_questions")
    assert [(r.body["sequence"], r.body["action"]) for r in simulator.received] == [
        (1, "approve"),
        (2, "publish"),
    ]
    assert answered.key == f"feedback:{feedback.code}:1"
    assert "answer" not in answered.body
    assert published.body["answer"] == "Đã rút ngắn còn 3 ngày."
    assert published.body["agency"] == f"000.00.{cast.agency.code}"
    sent = str(published.body)
    assert feedback.sender_name not in sent and feedback.sender_phone not in sent
    assert simulator.problems == []
    assert {m.state for m in OutboxMessage.objects.all()} == {MessageState.DELIVERED}


def test_an_unpublished_feedback_event_writes_no_message(cast: Cast, case: Case) -> None:
    submit_feedback(procedure_code=case.version.procedure.code)
    assert not OutboxMessage.objects.exists()
