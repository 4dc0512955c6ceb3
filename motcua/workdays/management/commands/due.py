"""``motcua due``: when is something due on a working calendar, and why."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.workdays import clock
from motcua.workdays.calendars import NATIONAL_CALENDAR_CODE, spec_for
from motcua.workdays.models import Calendar
from motcua.workdays.serializers import DueQuerySerializer


class Command(BaseCommand):
    help = (
        "Tính hạn giải quyết theo lịch làm việc và giải thích. / Compute a due date on a working "
        "calendar and explain it. Example: motcua due --calendar VN --start 2026-02-13T09:00 "
        "--amount 5 --unit working_days --json"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--calendar", default=NATIONAL_CALENDAR_CODE, help="calendar code")
        parser.add_argument(
            "--start",
            required=True,
            help="receipt instant, ISO 8601; without an offset it is in the calendar's time zone",
        )
        parser.add_argument("--amount", required=True, help="how many units (0.5 allowed)")
        parser.add_argument(
            "--unit",
            default=clock.Unit.WORKING_DAYS.value,
            help="working_days (default), working_hours or calendar_days",
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            calendar = Calendar.objects.get(code=options["calendar"])
        except Calendar.DoesNotExist as exc:
            known = ", ".join(Calendar.objects.values_list("code", flat=True)) or "-"
            raise CommandError(
                f"Không có lịch làm việc {options['calendar']!r} / unknown calendar "
                f"{options['calendar']!r} (known: {known})"
            ) from exc
        query = DueQuerySerializer(
            data={k: options[k] for k in ("start", "amount", "unit")},
            context={"time_zone": calendar.time_zone},
        )
        if not query.is_valid():
            problems = "; ".join(
                f"--{field}: {' '.join(str(m) for m in messages)}"
                for field, messages in query.errors.items()
            )
            raise CommandError(problems)
        data = query.validated_data
        try:
            result = clock.due(data["start"], data["amount"], data["unit"], spec_for(calendar))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._readable(result))

    def _readable(self, result: clock.DueResult) -> str:
        lines = [
            f"Lịch / calendar: {result.calendar}",
            f"Tiếp nhận / received: {result.start:%d/%m/%Y %H:%M}",
            f"Bắt đầu tính / clock starts: {result.effective_start:%d/%m/%Y %H:%M}",
            f"Thời hạn / time limit: {result.as_dict()['amount']} {result.unit}",
            f"Hạn / due: {result.due_at:%d/%m/%Y %H:%M} ({result.due_at.isoformat()})",
            "",
            "Giải thích / explanation:",
        ]
        for item in result.explanation:
            lines.append(f"  {item.date:%d/%m/%Y} [{item.kind}] {item.reason_vi}")
            lines.append(f"  {'':10} {' ' * (len(item.kind) + 2)} {item.reason_en}")
        return "\n".join(lines)
