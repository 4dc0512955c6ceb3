"""``motcua load-units FILE``: load Vietnam's administrative units from a JSON file.

The shipped file ``motcua/accounts/data/vn-admin-units-2025-03.json`` comes from
ThangLeQuoc/vietnamese-provinces-database (MIT licence, © 2021 Thang Le Quoc; see the LICENSE file
beside it): 63 provinces, 696 districts and their communes as of March 2025.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.accounts.services import load_units


class Command(BaseCommand):
    help = "Load administrative units (provinces, districts, communes) from a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="JSON file of provinces → districts → wards")
        parser.add_argument(
            "--source", default=None, help="Name of the data set (default: the file name)"
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp / File not found: {path}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"Tệp không phải JSON hợp lệ / Not valid JSON: {exc}") from None
        if not isinstance(data, list) or not all(
            isinstance(p, dict) and {"Code", "Name", "FullName"} <= p.keys() for p in data
        ):
            raise CommandError(
                "Tệp phải là danh sách tỉnh có Code, Name, FullName, District[Ward] / "
                "The file must be a list of provinces with Code, Name, FullName, District[Ward]"
            )
        total = len(data) + sum(
            len(d.get("Ward") or []) + 1 for p in data for d in p.get("District") or []
        )
        with tqdm(
            total=total, unit=" units", disable=options["no_progress"], file=self.stderr
        ) as bar:
            counts = load_units(data, source=options["source"] or path.name, progress=bar.update)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp đơn vị hành chính / Units loaded: {counts['created']} mới / new, "
                f"{counts['updated']} cập nhật / updated, {counts['unchanged']} không đổi / "
                "unchanged."
            )
        )
