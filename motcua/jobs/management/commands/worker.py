"""``motcua worker``: run the background tasks and the periodic schedule (``motcua.jobs``).
Runs until stopped (SIGTERM, Ctrl+C); ``--once`` does one turn and every ready task, then
exits."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.jobs.worker import Loop


class Command(BaseCommand):
    help = (
        "Chạy các tác vụ nền và lịch định kỳ. / Run the background tasks and the periodic "
        "schedule (deadline scan, notifications, nightly rollup check)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait when there is nothing to run (default 1)",
        )
        parser.add_argument(
            "--once", action="store_true", help="one turn and every ready task, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        loop = Loop(interval=max(options["interval"], 0.0))
        if options["once"]:
            ran = loop.drain()
            self.stdout.write(f"Đã chạy / tasks run: {ran}")
            return
        loop.forever()
