"""``motcua load-demo``: load the demo data (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from motcua.demo.services import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load demo data: administrative units, a demo province, agencies, users, procedures."

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo(progress=lambda text: self.stdout.write(text))
        self.stdout.write(
            self.style.SUCCESS(
                "Dữ liệu mẫu đã sẵn sàng / Demo data ready. Người dùng / users: motcua (quản trị / "
                "admin), tiepnhan, chuyenvien, truongphong, lanhdao, quantri, cchc, congdan, "
                f"mytho, lanhdao.mytho, truongphong.mytho — mật khẩu / password: {DEMO_PASSWORD}"
            )
        )
