"""``motcua compare-settlement``: fetch the gateway's settlement file of a day (yesterday in
Vietnam by default), compare it with our payments and record the run (docs/payments.md)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.payments.settlement import compare_settlement, yesterday


class Command(BaseCommand):
    help = (
        "Đối soát tệp quyết toán của cổng thanh toán với các khoản thanh toán. / Compare the "
        "payment gateway's settlement file of a day with our payments."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to compare, YYYY-MM-DD (default: yesterday)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            date = dt.date.fromisoformat(options["date"]) if options["date"] else yesterday()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        run = compare_settlement(date)
        if run.error:
            raise CommandError(f"{date:%Y-%m-%d}: {run.error} (run {run.pk})")
        self.stdout.write(
            f"{date:%Y-%m-%d}: {run.gateway_rows} at the gateway, {run.our_rows} ours, "
            f"{run.matched} matched, {run.mismatched} unmatched (run {run.pk})"
        )
        for mismatch in run.mismatches.all():
            refund = " refund" if mismatch.is_refund else ""
            self.stdout.write(
                f"  {mismatch.kind}{refund} {mismatch.txn_ref} gateway={mismatch.gateway_amount} "
                f"ours={mismatch.our_amount} status={mismatch.gateway_status}/{mismatch.our_state}"
            )
