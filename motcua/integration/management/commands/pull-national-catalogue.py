"""``motcua pull-national-catalogue``: pull the national catalogue now (the worker: daily)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.integration.catalogue_sync import pull_catalogue
from motcua.integration.national import NationalPortal


class Command(BaseCommand):
    help = (
        "Pull the national catalogue and record each new, amended or abolished procedure as a "
        "pending change for the catalogue officer; the catalogue itself is not changed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not NationalPortal.from_settings().configured:
            raise CommandError("MOTCUA_NATIONAL_URL is not set: there is no catalogue to pull.")
        report = pull_catalogue(actor=None)
        if report.problem:
            raise CommandError(f"pull failed: {report.problem}")
        found = ", ".join(f"{kind} {len(codes)}" for kind, codes in report.found.items())
        self.stdout.write(
            f"changes found: {found or 'none'}; unchanged {report.unchanged}, "
            f"already waiting or rejected {report.kept}, superseded {report.superseded}"
        )
