"""A VNPay gateway simulator: a small HTTP server on localhost speaking the protocol of
``motcua.payments.gateway``, for the demo and the tests (``motcua payment-simulator``).

* ``GET /paymentv2/vpcpay.html?vnp_…`` checks the signature and shows the payment page (in
  Vietnamese and English) with three buttons: pay, cancel, fail.
* ``POST /paymentv2/decide`` settles the transaction, calls the merchant's IPN URL server to
  server (at once, or ``ipn_delay`` seconds later, ``ipn_copies`` times, or never when
  ``ipn_enabled`` is off: a blocked IPN for the reconciliation to catch) and redirects the
  browser to the return URL with the signed result.
* ``POST /merchant_webapi/api/transaction`` answers ``querydr`` and ``refund`` with their
  checksums.
* ``GET /merchant_webapi/settlement?vnp_SettlementDate=yyyyMMdd&…`` (signed like a payment
  request) serves the day's settlement file: the payments settled and the refunds made that day
  (Vietnam's day), as CSV with the HMAC-SHA512 of its bytes in ``X-VNPay-SecureHash``.

It keeps its transactions in memory; it is not a payment system."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import itertools
import json
import logging
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from motcua.payments import gateway as gw

log = logging.getLogger(__name__)

PAY_PATH = "/paymentv2/vpcpay.html"
DECIDE_PATH = "/paymentv2/decide"
API_PATH = "/merchant_webapi/api/transaction"
SETTLEMENT_PATH = "/merchant_webapi/settlement"

# choice → (vnp_ResponseCode, vnp_TransactionStatus): 24 the customer cancelled, 51 not enough
# money in the account; a failed transaction's status is 02.
OUTCOMES = {"pay": ("00", "00"), "cancel": ("24", "02"), "fail": ("51", "02")}


@dataclass
class Transaction:
    txn_ref: str
    amount: int
    order_info: str
    return_url: str
    created_date: str
    status: str = "01"  # not finished yet
    response_code: str = ""
    transaction_no: str = ""
    pay_date: str = ""
    refunded: int = 0
    # (amount in VND, vnp_TransactionType, yyyyMMddHHmmss in GMT+7) of each refund made.
    refunds: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class IpnCall:
    txn_ref: str
    status: int
    answer: dict[str, Any]


@dataclass
class GatewaySimulator:
    """The server and what it saw. ``start()`` listens on ``host:port`` (0: a free port)."""

    tmn_code: str
    hash_secret: str
    ipn_url: str
    host: str = "127.0.0.1"
    port: int = 0
    ipn_enabled: bool = True
    ipn_delay: float = 0.0
    ipn_copies: int = 1
    transactions: dict[str, Transaction] = field(default_factory=dict)
    ipn_calls: list[IpnCall] = field(default_factory=list)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(14000001))
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pay_url(self) -> str:
        return self.base_url + PAY_PATH

    @property
    def api_url(self) -> str:
        return self.base_url + API_PATH

    @property
    def settlement_url(self) -> str:
        return self.base_url + SETTLEMENT_PATH

    def _bind(self) -> ThreadingHTTPServer:
        simulator = self

        class Handler(_Handler):
            sim = simulator

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        return self._server

    def start(self) -> GatewaySimulator:
        """Serve in a background thread (the tests)."""
        threading.Thread(target=self._bind().serve_forever, daemon=True).start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (the command)."""
        self._bind().serve_forever()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # The protocol.

    def result_params(self, txn: Transaction) -> dict[str, str]:
        params = {
            "vnp_Amount": str(txn.amount * 100),
            "vnp_BankCode": "NCB",
            "vnp_BankTranNo": f"VNP{txn.transaction_no}",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": txn.order_info,
            "vnp_PayDate": txn.pay_date,
            "vnp_ResponseCode": txn.response_code,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionNo": txn.transaction_no,
            "vnp_TransactionStatus": txn.status,
            "vnp_TxnRef": txn.txn_ref,
        }
        params["vnp_SecureHash"] = gw.sign_query(self.hash_secret, params)
        return params

    def settle(self, txn_ref: str, choice: str) -> Transaction:
        response_code, status = OUTCOMES[choice]
        with self._lock:
            txn = self.transactions[txn_ref]
            if txn.status == "01":
                txn.response_code, txn.status = response_code, status
                txn.transaction_no = str(next(self._numbers))
                txn.pay_date = gw.vnpay_date(dt.datetime.now(tz=gw.VIETNAM))
        return txn

    def send_ipn(self, txn: Transaction) -> None:
        url = f"{self.ipn_url}?{gw.signed_query(self.result_params(txn))}"
        try:
            with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - the merchant's configured URL
                status, body = response.status, response.read().decode()
        except OSError as exc:
            log.warning("IPN to %s failed: %s", self.ipn_url, exc)
            self.ipn_calls.append(IpnCall(txn.txn_ref, 0, {"error": str(exc)}))
            return
        try:
            answer = json.loads(body)
        except ValueError:
            answer = {"body": body}
        self.ipn_calls.append(IpnCall(txn.txn_ref, status, answer))

    def dispatch_ipn(self, txn: Transaction) -> None:
        if not self.ipn_enabled:
            return

        def send_all() -> None:
            if self.ipn_delay:
                time.sleep(self.ipn_delay)
            for _ in range(self.ipn_copies):
                self.send_ipn(txn)

        if self.ipn_delay:
            threading.Thread(target=send_all, daemon=True).start()
        else:
            send_all()

    def answer_api(self, body: dict[str, str]) -> dict[str, str]:
        command = body.get("vnp_Command", "")
        fields, answer_fields = {
            "querydr": (gw.QUERY_FIELDS, gw.QUERY_ANSWER_FIELDS),
            "refund": (gw.REFUND_FIELDS, gw.REFUND_ANSWER_FIELDS),
        }.get(command, ((), ()))
        answer = {
            "vnp_ResponseId": body.get("vnp_RequestId", ""),
            "vnp_Command": command,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": body.get("vnp_TxnRef", ""),
        }
        expected = gw.checksum(self.hash_secret, body, fields) if fields else ""
        txn = self.transactions.get(body.get("vnp_TxnRef", ""))
        if not fields:
            code, message = "02", "Invalid command"
        elif not hmac.compare_digest(body.get("vnp_SecureHash", ""), expected):
            code, message = "97", "Invalid checksum"
        elif body.get("vnp_TmnCode") != self.tmn_code:
            code, message = "02", "Invalid TmnCode"
        elif txn is None:
            code, message = "91", "Transaction not found"
        elif command == "refund":
            amount = int(body.get("vnp_Amount", "0")) // 100
            if txn.status != "00" or amount + txn.refunded > txn.amount:
                code, message = "95", "Transaction is not refundable"
            else:
                txn.refunded += amount
                txn.refunds.append(
                    (
                        amount,
                        body.get("vnp_TransactionType", gw.REFUND_FULL),
                        gw.vnpay_date(dt.datetime.now(tz=gw.VIETNAM)),
                    )
                )
                code, message = "00", "Refund success"
                if txn.refunded == txn.amount:
                    txn.status = "06"  # refunded
        else:
            code, message = "00", "QueryDR Success"
        answer.update({"vnp_ResponseCode": code, "vnp_Message": message})
        if txn is not None and code == "00":
            answer.update(
                {
                    "vnp_Amount": str(
                        (int(body["vnp_Amount"]) // 100 if command == "refund" else txn.amount)
                        * 100
                    ),
                    "vnp_BankCode": "NCB",
                    "vnp_PayDate": txn.pay_date,
                    "vnp_TransactionNo": txn.transaction_no,
                    "vnp_TransactionType": body.get("vnp_TransactionType", "01"),
                    "vnp_TransactionStatus": txn.status,
                    "vnp_OrderInfo": txn.order_info,
                    "vnp_PromotionCode": "",
                    "vnp_PromotionAmount": "",
                }
            )
        answer["vnp_SecureHash"] = gw.checksum(
            self.hash_secret, answer, answer_fields or gw.QUERY_ANSWER_FIELDS
        )
        return answer

    def settlement_rows(self, day: str) -> list[gw.SettlementRow]:
        """What the gateway settled on ``day`` (``yyyyMMdd`` in GMT+7): each transaction paid
        that day (status ``00``: a later refund is its own row) and each refund made that day."""
        rows: list[gw.SettlementRow] = []
        with self._lock:
            for txn in sorted(self.transactions.values(), key=lambda t: t.pay_date or "~"):
                if txn.response_code == "00" and txn.pay_date.startswith(day):
                    rows.append(
                        gw.SettlementRow(
                            txn_ref=txn.txn_ref,
                            transaction_no=txn.transaction_no,
                            transaction_type=gw.PAYMENT,
                            transaction_status="00",
                            amount=txn.amount,
                            bank_code="NCB",
                            pay_date=txn.pay_date,
                        )
                    )
                rows.extend(
                    gw.SettlementRow(
                        txn_ref=txn.txn_ref,
                        transaction_no=txn.transaction_no,
                        transaction_type=kind,
                        transaction_status="00",
                        amount=amount,
                        bank_code="NCB",
                        pay_date=when,
                    )
                    for amount, kind, when in txn.refunds
                    if when.startswith(day)
                )
        return rows

    def settlement_file(self, query: str) -> tuple[int, bytes]:
        params = dict(parse_qsl(query, keep_blank_values=True))
        given = params.pop("vnp_SecureHash", "")
        expected = gw.sign_query(self.hash_secret, params)
        if not hmac.compare_digest(given, expected) or params.get("vnp_TmnCode") != self.tmn_code:
            return 403, b"97 Invalid signature"
        day = params.get("vnp_SettlementDate", "")
        if len(day) != 8 or not day.isdigit():
            return 400, b"02 Invalid vnp_SettlementDate"
        return 200, gw.settlement_csv(self.settlement_rows(day), self.tmn_code)


PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cổng thanh toán (mô phỏng) — Payment gateway (simulator)</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}}
h1{{font-size:1.3rem;color:#005baa}} .en{{color:#555;font-size:.9em}}
dl{{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}} dt{{font-weight:600}}
dd{{margin:0;overflow-wrap:anywhere}}
form{{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1.5rem}}
button{{font-size:1rem;padding:.6rem 1rem;border:0;border-radius:4px;color:#fff;cursor:pointer}}
.pay{{background:#0a7a2f}} .cancel{{background:#555}} .fail{{background:#b00020}}
.note{{background:#fff4d6;padding:.5rem;border-radius:4px}}
</style></head><body>
<h1>Cổng thanh toán VNPay (mô phỏng) <span class="en">/ VNPay gateway (simulator)</span></h1>
<p class="note">Máy chủ mô phỏng dùng cho thử nghiệm, không trừ tiền thật.
<span class="en">A test simulator: no real money moves.</span></p>
<dl>
<dt>Đơn vị <span class="en">Merchant</span></dt><dd>{tmn}</dd>
<dt>Mã giao dịch <span class="en">Reference</span></dt><dd id="txn">{txn}</dd>
<dt>Nội dung <span class="en">Order</span></dt><dd>{info}</dd>
<dt>Số tiền <span class="en">Amount</span></dt><dd id="amount">{amount} VND</dd>
</dl>
<form method="post" action="{decide}">
<input type="hidden" name="txn" value="{txn}">
<button class="pay" name="choice" value="pay">Thanh toán / Pay</button>
<button class="cancel" name="choice" value="cancel">Hủy giao dịch / Cancel</button>
<button class="fail" name="choice" value="fail">Giao dịch lỗi / Fail</button>
</form></body></html>"""

REFUSED = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Giao dịch không hợp lệ</title></head><body>
<h1>Sai chữ ký hoặc tham số / Invalid signature or parameters</h1><p>{why}</p></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    sim: GatewaySimulator

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)

    def _send(self, status: int, body: str, content_type: str = "text/html; charset=utf-8") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == SETTLEMENT_PATH:
            status, body = self.sim.settlement_file(parts.query)
            self.send_response(status)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header(
                gw.SETTLEMENT_CHECKSUM_HEADER,
                hmac.new(self.sim.hash_secret.encode(), body, hashlib.sha512).hexdigest(),
            )
            self.end_headers()
            self.wfile.write(body)
            return
        if parts.path != PAY_PATH:
            self._send(404, "Not found")
            return
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        given = params.pop("vnp_SecureHash", "")
        params.pop("vnp_SecureHashType", None)
        expected = gw.sign_query(self.sim.hash_secret, params)
        amount = gw.wire_amount(params.get("vnp_Amount", ""))
        if not hmac.compare_digest(given, expected):
            self._send(400, REFUSED.format(why="vnp_SecureHash (code 97)"))
            return
        if params.get("vnp_TmnCode") != self.sim.tmn_code or amount is None or amount <= 0:
            self._send(400, REFUSED.format(why="vnp_TmnCode / vnp_Amount"))
            return
        txn_ref = params.get("vnp_TxnRef", "")
        with self.sim._lock:
            txn = self.sim.transactions.setdefault(
                txn_ref,
                Transaction(
                    txn_ref=txn_ref,
                    amount=amount,
                    order_info=params.get("vnp_OrderInfo", ""),
                    return_url=params.get("vnp_ReturnUrl", ""),
                    created_date=params.get("vnp_CreateDate", ""),
                ),
            )
        self._send(
            200,
            PAGE.format(
                tmn=html.escape(self.sim.tmn_code),
                txn=html.escape(txn.txn_ref),
                info=html.escape(txn.order_info),
                amount=f"{txn.amount:,}".replace(",", "."),
                decide=DECIDE_PATH,
            ),
        )

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, 64 * 1024))

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path == API_PATH:
            try:
                body = json.loads(self._body().decode())
                if not isinstance(body, dict):
                    raise ValueError("not an object")
            except ValueError:
                self._send(400, json.dumps({"vnp_ResponseCode": "99"}), "application/json")
                return
            answer = self.sim.answer_api({str(k): str(v) for k, v in body.items()})
            self._send(200, json.dumps(answer), "application/json")
            return
        if path != DECIDE_PATH:
            self._send(404, "Not found")
            return
        form = dict(parse_qsl(self._body().decode()))
        txn_ref, choice = form.get("txn", ""), form.get("choice", "")
        if txn_ref not in self.sim.transactions or choice not in OUTCOMES:
            self._send(400, REFUSED.format(why="txn / choice"))
            return
        txn = self.sim.settle(txn_ref, choice)
        self.sim.dispatch_ipn(txn)
        query = gw.signed_query(self.sim.result_params(txn))
        separator = "&" if "?" in txn.return_url else "?"
        self.send_response(303)
        self.send_header("Location", f"{txn.return_url}{separator}{query}")
        self.send_header("Content-Length", "0")
        self.end_headers()
