"""``motcua purge-access-log``: delete the access log's rows older than the retention period
(``MOTCUA_ACCESS_LOG_RETENTION_DAYS``, docs/privacy.md) and record the purge. Idempotent; run it
daily from cron or a timer."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.access_log import purge_expired, retention_days
from motcua.dossiers.management.instants import parse_now


class Command(BaseCommand):
    help = (
        "Xóa nhật ký truy cập dữ liệu cá nhân quá thời hạn lưu trữ. / Delete access-log entries "
        "of personal data older than the retention period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="purge as of this instant, ISO 8601 (without an offset: the site's time zone)",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"keep this many days instead of the setting ({retention_days()}; 0: forever)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        days = options["days"]
        if days is not None and days < 0:
            raise CommandError("--days must not be negative")
        kept = retention_days() if days is None else days
        deleted = purge_expired(now=now, days=days)
        if kept == 0:
            self.stdout.write("Lưu vĩnh viễn / kept forever: nothing deleted")
            return
        self.stdout.write(f"Đã xóa / deleted: {deleted} (older than {kept} days)")
