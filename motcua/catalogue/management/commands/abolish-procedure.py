"""``motcua abolish-procedure CODE --decision NUMBER``: abolish a procedure by decision."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalogue import services
from motcua.catalogue.models import Decision, Procedure


class Command(BaseCommand):
    help = "Abolish a procedure from the effective date of an existing decision."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="National procedure code")
        parser.add_argument("--decision", required=True, help="Number of the abolishing decision")

    def handle(self, *args: Any, **options: Any) -> None:
        procedure = Procedure.objects.filter(code=options["code"]).first()
        if procedure is None:
            raise CommandError(f"Không có thủ tục / No procedure {options['code']}")
        decisions = list(Decision.objects.filter(number=options["decision"]))
        if len(decisions) != 1:
            raise CommandError(
                f"Cần đúng một quyết định số / Need exactly one decision numbered "
                f"{options['decision']} (found {len(decisions)})"
            )
        try:
            version = services.abolish_procedure(procedure, decision=decisions[0], actor=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã bãi bỏ / Abolished {procedure.code} v{version.number} "
                f"từ / from {decisions[0].effective_from:%d/%m/%Y}"
            )
        )
