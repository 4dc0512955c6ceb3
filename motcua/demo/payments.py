"""Online payments in the demo, made through VNPay's protocol against the gateway simulator.

``DemoGateway`` starts ``motcua.payments.simulator`` on a free local port with the demo's own
merchant code and a fresh secret (whatever the site is configured with: the demo never reaches
a real gateway) and points the payment settings at it while the demo loads. ``pay`` does what a
citizen and the gateway do: the payment is started (``start_payment``), the simulator's payment
page is opened over HTTP (it checks the signature) and its *Pay* button pressed, and the
gateway's signed notice (the IPN, built by the simulator) is handled by ``handle_ipn`` at the
demo's instant, which records the payment on the dossier through the engine. So the demo's
online payments are ``Payment`` rows paid, with receipts, and ``collect_fee`` /
``confirm_payment`` events with method ``online``, as in production."""

import datetime as dt
import secrets
import urllib.request
from types import TracebackType
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.test.utils import override_settings

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.payments import gateway as gw
from motcua.payments import services
from motcua.payments.models import Payment
from motcua.payments.simulator import DECIDE_PATH, GatewaySimulator

TMN_CODE = "MOTCUADEMO"
RETURN_URL = "http://127.0.0.1:8000/thanh-toan/ket-qua/"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The gateway's answer to *Pay* is a redirect to the site, which is not running."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class DemoGateway:
    """The simulator and the settings pointing at it, for a ``with`` block."""

    def __init__(self) -> None:
        self.simulator = GatewaySimulator(
            tmn_code=TMN_CODE,
            hash_secret=secrets.token_hex(16),
            ipn_url="http://127.0.0.1:9/",  # never called: the IPN is handled in-process
            ipn_enabled=False,
        )
        self._settings: Any = None

    def __enter__(self) -> "DemoGateway":
        sim = self.simulator.start()
        self._settings = override_settings(
            MOTCUA_VNPAY_TMN_CODE=sim.tmn_code,
            MOTCUA_VNPAY_HASH_SECRET=sim.hash_secret,
            MOTCUA_VNPAY_URL=sim.pay_url,
            MOTCUA_VNPAY_API_URL=sim.api_url,
            MOTCUA_VNPAY_SETTLEMENT_URL=sim.settlement_url,
        )
        self._settings.enable()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._settings.disable()
        self.simulator.stop()

    def pay(self, dossier: Dossier, *, payer: User, at: dt.datetime) -> Payment:
        """``payer`` pays what ``dossier`` owes online, the notice arriving at ``at``."""
        payment, url = services.start_payment(
            dossier,
            payer=payer,
            return_url=RETURN_URL,
            ip_address="127.0.0.1",
            now=at - dt.timedelta(minutes=3),
        )
        with urllib.request.urlopen(url, timeout=10) as page:  # noqa: S310 - the local simulator
            page.read()
        parts = urlsplit(url)
        decide = f"{parts.scheme}://{parts.netloc}{DECIDE_PATH}"
        form = urlencode({"txn": payment.txn_ref, "choice": "pay"}).encode()
        try:
            urllib.request.build_opener(_NoRedirect).open(decide, data=form, timeout=10)
        except HTTPError as redirect:  # the 303 back to the site's return address
            if redirect.code != 303:
                raise
            params = dict(parse_qsl(urlsplit(redirect.headers["Location"]).query))
        else:  # pragma: no cover - the simulator always redirects
            raise RuntimeError("the simulator did not redirect")
        txn = self.simulator.transactions[payment.txn_ref]
        txn.pay_date = gw.vnpay_date(at)  # the demo's instant, not the loader's
        answer = services.handle_ipn(self.simulator.result_params(txn), now=at)
        if answer["RspCode"] != "00" or params.get("vnp_ResponseCode") != "00":
            raise RuntimeError(f"demo payment {payment.txn_ref} not confirmed: {answer}")
        payment.refresh_from_db()
        return payment
