"""``motcua rebuild-rollups``: recompute the report rollups from the dossiers, in one
transaction (after installing the reports app on existing data, or to repair). Run it when no
dossier is being changed: a change committed during the rebuild may be counted twice or not."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.rollup import rebuild


class Command(BaseCommand):
    help = "Recompute the report rollups from the dossiers."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counted = rebuild()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Đã tính lại từ {counted} hồ sơ / rebuilt from {counted} dossiers ({elapsed:.1f} s)."
        )
