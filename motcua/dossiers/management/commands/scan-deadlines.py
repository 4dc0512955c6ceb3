"""``motcua scan-deadlines``: queue due-soon, overdue and escalation notices (see
``motcua.dossiers.scanner``). Idempotent; run it every few minutes from cron or a timer."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.management.instants import parse_now
from motcua.dossiers.scanner import due_soon_working_days, scan


class Command(BaseCommand):
    help = (
        "Tìm hồ sơ, bước xử lý sắp đến hạn hoặc quá hạn và gửi thông báo. / Find steps and "
        "dossiers due soon or overdue and queue notices."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="scan as of this instant, ISO 8601 (without an offset: the site's time zone)",
        )
        parser.add_argument(
            "--due-soon-days",
            type=int,
            default=None,
            help=f"working days ahead that count as due soon (default {due_soon_working_days()})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        days = options["due_soon_days"]
        if days is not None and days < 0:
            raise CommandError("--due-soon-days must not be negative")
        result = scan(now, due_soon_days=days)
        self.stdout.write(
            "\n".join(
                [
                    f"Thời điểm / as of: {result.now.isoformat()}",
                    f"Bước sắp đến hạn / steps due soon: {result.due_soon_steps}",
                    f"Bước quá hạn / steps overdue: {result.overdue_steps}",
                    f"Hồ sơ sắp đến hạn / dossiers due soon: {result.due_soon_dossiers}",
                    f"Hồ sơ quá hạn / dossiers overdue: {result.overdue_dossiers}",
                    f"Báo lãnh đạo / escalated: {result.escalated_dossiers}",
                    f"Thông báo mới / notifications queued: {result.queued}",
                ]
            )
        )
