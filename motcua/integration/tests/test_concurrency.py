"""Workers delivering at the same moment (PostgreSQL's row locks): each message is sent once,
by one of them, and every dossier's messages still arrive in order."""

import threading

import pytest
from django.db import connection

from motcua.dossiers import intake, services
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.dossiers.workflow import Channel, Status
from motcua.integration import outbox
from motcua.integration.models import CodeMapping, MappingKind, MessageState, OutboxMessage
from motcua.integration.national import NationalPortal
from motcua.integration.simulator import NationalSimulator
from motcua.testing import Cast


@pytest.mark.django_db(transaction=True)
def test_three_workers_send_each_message_once_and_in_order(cast: Cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE SKIP LOCKED) need PostgreSQL")
    rows = [CodeMapping(kind=MappingKind.STATUS, ours=s.value, national=s.value) for s in Status]
    rows += [CodeMapping(kind=MappingKind.CHANNEL, ours=c.value, national=c.value) for c in Channel]
    rows.append(CodeMapping(kind=MappingKind.AGENCY, ours=cast.agency.code, national="H56"))
    CodeMapping.objects.bulk_create(rows)
    case = household_business_case(cast.agency)
    codes = []
    for hour in (8, 9, 10):
        dossier = intake.receive_new_dossier(
            complete_intake(case), agency=cast.agency, actor=cast.alice,
            now=at(f"2026-03-02T{hour:02d}:00"),
        )  # fmt: skip
        services.forward(dossier, actor=cast.alice, now=at(f"2026-03-02T{hour:02d}:10"))
        services.request_supplement(
            dossier, actor=cast.bob, items=["x"], now=at(f"2026-03-02T{hour:02d}:20")
        )
        codes.append(dossier.code)
    simulator = NationalSimulator()
    simulator.behaviour.delay = 0.1  # each send holds its row a while
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def work(url: str) -> None:
        try:
            barrier.wait(timeout=30)
            outbox.deliver_due(now=at("2026-03-02T12:00"), portal=NationalPortal(url))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    with simulator.running() as url:
        threads = [threading.Thread(target=work, args=(url,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        # What the racing workers left (a dossier whose next message another held) goes now.
        outbox.deliver_due(now=at("2026-03-02T12:00"), portal=NationalPortal(url))
    assert errors == []
    assert simulator.requests == 9  # no message was sent twice
    assert simulator.problems == []
    for code in codes:
        arrived = [r.body["sequence"] for r in simulator.received if r.body["dossier_code"] == code]
        assert arrived == [1, 2, 3]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MessageState.DELIVERED}
