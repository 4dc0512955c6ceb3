"""``motcua send-national``: deliver the national outbox now (the worker does it every minute)."""

from typing import Any

from django.core.management.base import BaseCommand

from motcua.integration.outbox import deliver_due


class Command(BaseCommand):
    help = "Send the national portal the outbox messages that may go now, in order per dossier."

    def handle(self, *args: Any, **options: Any) -> None:
        result = deliver_due()
        if not result.configured:
            self.stdout.write("MOTCUA_NATIONAL_URL is not set: messages wait in the outbox.")
            return
        self.stdout.write(
            f"delivered {result.delivered}, failed {result.failed}, blocked {result.blocked}, "
            f"dead {result.dead}"
        )
