"""``motcua national-simulator``: run the national portal's stand-in until interrupted."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.integration.simulator import Behaviour, NationalSimulator


class Command(BaseCommand):
    help = (
        "Run a stand-in for the National Public Service Portal on localhost: it keeps and "
        "acknowledges what the outbox sends; see docs/integration.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--store", type=Path, help="keep what is received in this JSON file")
        parser.add_argument("--token", default="", help="require this bearer token")
        parser.add_argument(
            "--catalogue",
            type=Path,
            help='the national catalogue to serve (JSON, our interchange format with "abolished")',
        )
        parser.add_argument("--fail", type=int, default=0, help="fail the first N requests")
        parser.add_argument("--down", action="store_true", help="fail every request")
        parser.add_argument("--status", type=int, default=500, help="the failing status")
        parser.add_argument("--delay", type=float, default=0.0, help="seconds before answering")
        parser.add_argument("--duplicate-acks", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        simulator = NationalSimulator(
            token=options["token"],
            store=options["store"],
            behaviour=Behaviour(
                fail=options["fail"],
                down=options["down"],
                status=options["status"],
                delay=options["delay"],
                duplicate_acks=options["duplicate_acks"],
            ),
        )
        if options["catalogue"]:
            simulator.catalogue = json.loads(options["catalogue"].read_text(encoding="utf-8"))
        server = simulator.server(options["host"], options["port"])
        host, port = server.server_address[:2]
        self.stdout.write(f"National portal simulator on http://{host!s}:{port}/ (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            self.stdout.write(f"{len(simulator.received)} messages received.")
