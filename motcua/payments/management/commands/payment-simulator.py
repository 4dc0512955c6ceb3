"""``motcua payment-simulator``: the VNPay gateway simulator on localhost (docs/payments.md)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from motcua.payments.simulator import GatewaySimulator


class Command(BaseCommand):
    help = (
        "Run a VNPay gateway simulator on localhost: payment page, IPN, querydr, refund, "
        "settlement file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--ipn-url",
            default="",
            help="the merchant's IPN address (default: MOTCUA_SITE_URL + the IPN path)",
        )
        parser.add_argument(
            "--ipn-delay", type=float, default=0.0, help="send the IPN this many seconds late"
        )
        parser.add_argument(
            "--ipn-copies", type=int, default=1, help="send each IPN this many times"
        )
        parser.add_argument(
            "--no-ipn",
            action="store_true",
            help="never send the IPN (the reconciliation's querydr must find the payment)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.MOTCUA_VNPAY_TMN_CODE and settings.MOTCUA_VNPAY_HASH_SECRET):
            raise CommandError(
                "Set MOTCUA_VNPAY_TMN_CODE and MOTCUA_VNPAY_HASH_SECRET (the same values as the "
                "site's) before starting the simulator."
            )
        if options["ipn_copies"] < 1:
            raise CommandError("--ipn-copies must be 1 or more.")
        ipn_url = options["ipn_url"] or (
            settings.MOTCUA_SITE_URL.rstrip("/") + reverse("payment-vnpay-ipn")
        )
        simulator = GatewaySimulator(
            tmn_code=settings.MOTCUA_VNPAY_TMN_CODE,
            hash_secret=settings.MOTCUA_VNPAY_HASH_SECRET,
            ipn_url=ipn_url,
            host=options["host"],
            port=options["port"],
            ipn_enabled=not options["no_ipn"],
            ipn_delay=options["ipn_delay"],
            ipn_copies=options["ipn_copies"],
        )
        self.stdout.write(
            f"VNPay simulator on http://{simulator.host}:{simulator.port} — payment page "
            f"/paymentv2/vpcpay.html, API /merchant_webapi/api/transaction, settlement file "
            f"/merchant_webapi/settlement, IPN to {ipn_url}"
        )
        try:
            simulator.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
