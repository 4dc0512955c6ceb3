"""Fill the register of digitised papers from the documents stored before it existed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.digitisation import backfill


class Command(BaseCommand):
    help = (
        "Record every dossier document with a file that the register of digitised papers does "
        "not hold yet (who attached it and when, from its attach event), and the signatures "
        "recorded on the dossiers' events. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="documents per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        papers, signatures = backfill.backfill(batch=options["batch"])
        self.stdout.write(f"{papers} digitised papers recorded, {signatures} signatures.")
