"""``motcua load-demo``: load the demo data (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.demo.services import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load demo data: administrative units, a demo province, agencies, users, procedures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--history",
            type=int,
            default=0,
            metavar="N",
            help="Also make N dossiers of the past year through the services (e.g. 3000)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["history"] < 0:
            raise CommandError("--history phải ≥ 0 / must be at least 0")
        load_demo(progress=lambda text: self.stdout.write(text), history=options["history"])
        self.stdout.write(
            self.style.SUCCESS(
                "Dữ liệu mẫu đã sẵn sàng / Demo data ready. Người dùng / users: motcua (quản trị / "
                "admin), tiepnhan, chuyenvien, truongphong, lanhdao, quantri, cchc, congdan, "
                f"mytho, lanhdao.mytho, truongphong.mytho — mật khẩu / password: {DEMO_PASSWORD}"
            )
        )
