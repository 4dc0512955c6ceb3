"""Migration 0002_message_streams: the messages written before it get their dossier's code as
their stream, so their order and their idempotency keys are unchanged."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from motcua.dossiers import intake
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.testing import Cast

BEFORE = [("integration", "0001_outbox_and_mappings")]
AFTER = [("integration", "0002_message_streams")]


@pytest.mark.django_db(transaction=True)
def test_existing_messages_get_their_dossiers_code_as_stream(cast: Cast) -> None:
    dossier = intake.receive_new_dossier(
        complete_intake(household_business_case(cast.agency)),
        agency=cast.agency,
        actor=cast.alice,
        now=at("2026-03-02T09:00"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("integration", "OutboxMessage")
    old.objects.all().delete()
    old.objects.create(
        dossier_id=dossier.pk,
        sequence=1,
        event_id=dossier.events.earliest("pk").pk,
        operation="sync_dossier",
        facts={"dossier_code": dossier.code},
        next_attempt_at=at("2026-03-02T09:00"),
        created_at=at("2026-03-02T09:00"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("integration", "OutboxMessage")
    try:
        assert list(new.objects.values_list("stream", "sequence")) == [(dossier.code, 1)]
    finally:
        # Forward to the latest migrations again (0003 and later were rolled back with 0002):
        # the next tests of this process, and a server started on this database, need them.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
