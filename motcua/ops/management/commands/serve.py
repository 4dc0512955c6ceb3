"""``motcua serve``: the production server, gunicorn with workers sized from the cores, serving
the application and its static files (whitenoise; run ``motcua collectstatic`` first). Options
override the settings MOTCUA_HOST, MOTCUA_PORT, MOTCUA_WORKERS, MOTCUA_TIMEOUT and
MOTCUA_FORWARDED_ALLOW_IPS; any other gunicorn setting through GUNICORN_CMD_ARGS.
docs/deployment.md."""

import os
import shlex
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections

from motcua.ops.cache import ensure_cache_tables
from motcua.ops.serving import ServeOptions, cores, default_workers, gunicorn_argv


class Command(BaseCommand):
    help = "Serve MộtCửa in production with gunicorn (docs/deployment.md)."
    # The checks run in the server's workers as they load; `motcua check --deploy` is the
    # deployment's own step.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.MOTCUA_HOST, help="Address to listen on")
        parser.add_argument("--port", type=int, default=settings.MOTCUA_PORT, help="Port")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.MOTCUA_WORKERS,
            help=f"Worker processes (0: 2 × cores + 1, at most; here {default_workers(cores())})",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=settings.MOTCUA_TIMEOUT,
            help="Seconds a request may take before its worker is restarted",
        )
        parser.add_argument(
            "--forwarded-allow-ips",
            default=settings.MOTCUA_FORWARDED_ALLOW_IPS,
            help="Addresses whose X-Forwarded-* headers are trusted (the TLS proxy)",
        )
        parser.add_argument("--no-access-log", action="store_true", help="Do not log each request")
        parser.add_argument(
            "--print", action="store_true", help="Print the gunicorn command instead of running it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 0 or options["timeout"] <= 0:
            raise CommandError("--workers must be 0 or more and --timeout positive")
        argv = gunicorn_argv(
            ServeOptions(
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                timeout=options["timeout"],
                forwarded_allow_ips=options["forwarded_allow_ips"],
                access_log=not options["no_access_log"],
            )
        )
        if options["print"]:
            self.stdout.write(shlex.join(argv))
            return
        # The shared cache's table (the default with DEBUG off), before any worker counts a
        # request rate in it; a database that is not migrated yet is left to /readyz to report.
        try:
            ensure_cache_tables()
        except DatabaseError as error:
            self.stderr.write(f"The cache table could not be created: {error}")
        finally:
            connections.close_all()
        self.stdout.flush()
        self.stderr.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        os.execv(argv[0], argv)  # noqa: S606 - this Python, running gunicorn
