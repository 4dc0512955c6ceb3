"""``motcua send-notifications``: deliver the outbox's unsent notifications that are due for an
attempt (new ones, and failed ones whose retry delay has passed). Run it every few minutes."""

from typing import Any

from django.core.management.base import BaseCommand

from motcua.notifications.services import deliver_pending


class Command(BaseCommand):
    help = "Gửi các thông báo đang chờ. / Deliver pending notifications (e-mail and SMS)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = deliver_pending()
        self.stdout.write(
            f"Đã gửi / sent: {result.sent}; lỗi, sẽ thử lại / failed, will retry: {result.failed}"
        )
