"""The payment gateway's protocol: an interface and VNPay's implementation (version 2.1.0).

VNPay's published protocol, as used here:

* **Pay** — the citizen's browser is redirected to ``MOTCUA_VNPAY_URL`` with ``vnp_*``
  parameters; ``vnp_Amount`` is the amount in VND × 100; ``vnp_CreateDate`` is
  ``yyyyMMddHHmmss`` in Vietnam's time (GMT+7); ``vnp_SecureHash`` is the hex HMAC-SHA512, keyed
  with the merchant's secret, of the parameters sorted by name and URL-encoded
  (``name=value&…``, spaces as ``+``).
* **Return URL and IPN** — the gateway sends the result back, signed the same way (every
  ``vnp_*`` parameter except ``vnp_SecureHash`` and ``vnp_SecureHashType``): once through the
  browser (the return URL, for display only) and once server to server (the IPN, which is what
  confirms a payment). The IPN is answered with JSON ``{"RspCode", "Message"}``.
* **querydr and refund** — JSON POSTs to ``MOTCUA_VNPAY_API_URL`` whose checksum is the
  HMAC-SHA512 of listed fields joined by ``|``; the answer carries its own checksum.

Only this module knows the wire format; services speak in ``GatewayResult``. The secret comes
from the environment (``MOTCUA_VNPAY_HASH_SECRET``), never from code.
"""

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import secrets
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import quote_plus, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
VERSION = "2.1.0"
DATE_FORMAT = "%Y%m%d%H%M%S"

# IPN answers (VNPay's merchant IPN specification).
IPN_OK = "00"
IPN_ORDER_NOT_FOUND = "01"
IPN_ALREADY_CONFIRMED = "02"
IPN_INVALID_AMOUNT = "04"
IPN_INVALID_SIGNATURE = "97"
IPN_OTHER = "99"
IPN_MESSAGES = {
    IPN_OK: "Confirm Success",
    IPN_ORDER_NOT_FOUND: "Order not found",
    IPN_ALREADY_CONFIRMED: "Order already confirmed",
    IPN_INVALID_AMOUNT: "invalid amount",
    IPN_INVALID_SIGNATURE: "Invalid signature",
    IPN_OTHER: "Unknow error",
}

# vnp_ResponseCode / vnp_TransactionStatus values that matter here.
RESPONSE_SUCCESS = "00"
RESPONSE_CANCELLED = "24"  # the customer cancelled the transaction
STATUS_SUCCESS = "00"

# The fields each JSON API call signs, in order (VNPay's querydr and refund specification).
QUERY_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERY_ANSWER_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)
REFUND_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
REFUND_ANSWER_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
)
REFUND_FULL = "02"
REFUND_PARTIAL = "03"
PAYMENT = "01"  # vnp_TransactionType of a payment

# The daily settlement file (file đối soát): its request's signed parameters and its CSV
# columns. VNPay hands merchants this file under the merchant contract (not in the published
# integration guide); the shape here is our assumption, documented in docs/payments.md.
SETTLEMENT_DATE_FORMAT = "%Y%m%d"
SETTLEMENT_COLUMNS = (
    "TmnCode",
    "TxnRef",
    "TransactionNo",
    "TransactionType",
    "TransactionStatus",
    "Amount",
    "BankCode",
    "PayDate",
)
SETTLEMENT_CHECKSUM_HEADER = "X-VNPay-SecureHash"


class GatewayError(Exception):
    """The gateway could not be reached or answered something unusable."""


@dataclass(frozen=True)
class GatewayResult:
    """What a signed gateway message says, once its signature was checked.

    ``verified`` is False when the signature did not match: nothing else in it may be trusted.
    ``amount`` is in VND (the wire's ``vnp_Amount`` ÷ 100)."""

    verified: bool
    txn_ref: str = ""
    amount: int | None = None
    response_code: str = ""
    transaction_status: str = ""
    transaction_no: str = ""
    bank_code: str = ""
    pay_date: str = ""
    message: str = ""
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        status = self.transaction_status or self.response_code
        return self.verified and self.response_code == RESPONSE_SUCCESS and status == STATUS_SUCCESS


@dataclass(frozen=True)
class SettlementRow:
    """One transaction the gateway settled on the file's day: a payment (type ``01``) or a
    refund (``02`` full, ``03`` partial); ``amount`` in VND."""

    txn_ref: str
    transaction_no: str
    transaction_type: str
    transaction_status: str
    amount: int
    bank_code: str
    pay_date: str

    @property
    def is_refund(self) -> bool:
        return self.transaction_type in (REFUND_FULL, REFUND_PARTIAL)


@dataclass(frozen=True)
class SettlementFile:
    """The gateway's settlement file of one day, its checksum verified; ``sha256`` of the
    bytes as received, kept with the run."""

    date: dt.date
    rows: tuple[SettlementRow, ...]
    sha256: str


@dataclass(frozen=True)
class PaymentRequest:
    """One payment to start: ``amount`` in VND, ``txn_ref`` unique per payment."""

    txn_ref: str
    amount: int
    order_info: str
    return_url: str
    ip_address: str
    created_at: dt.datetime
    locale: str = "vn"


class PaymentGateway(Protocol):
    """What the services need from a gateway, whatever its wire format."""

    name: str

    def payment_url(self, request: PaymentRequest) -> str: ...

    def verify(self, params: Mapping[str, str]) -> GatewayResult:
        """Check a return URL's or an IPN's parameters and read them."""
        ...

    def query(
        self, *, txn_ref: str, transaction_date: dt.datetime, ip_address: str, now: dt.datetime
    ) -> GatewayResult: ...

    def refund(
        self,
        *,
        txn_ref: str,
        amount: int,
        full: bool,
        transaction_no: str,
        transaction_date: dt.datetime,
        created_by: str,
        ip_address: str,
        now: dt.datetime,
    ) -> GatewayResult: ...

    def settlement(self, date: dt.date, *, now: dt.datetime) -> SettlementFile:
        """The transactions the gateway settled on ``date`` (Vietnam's day)."""
        ...


def vnpay_date(instant: dt.datetime) -> str:
    """``yyyyMMddHHmmss`` in GMT+7, the only time format VNPay reads."""
    return instant.astimezone(VIETNAM).strftime(DATE_FORMAT)


def parse_vnpay_date(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, DATE_FORMAT).replace(tzinfo=VIETNAM)
    except (TypeError, ValueError):
        return None


def hmac_sha512(secret: str, data: str) -> str:
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def signed_query(params: Mapping[str, str]) -> str:
    """The parameters sorted by name and URL-encoded, as they are signed and sent."""
    return "&".join(
        f"{quote_plus(k)}={quote_plus(str(v))}" for k, v in sorted(params.items()) if v != ""
    )


def sign_query(secret: str, params: Mapping[str, str]) -> str:
    return hmac_sha512(secret, signed_query(params))


def checksum(secret: str, body: Mapping[str, object], fields: tuple[str, ...]) -> str:
    return hmac_sha512(secret, "|".join(str(body.get(f, "")) for f in fields))


def _signed_fields(params: Mapping[str, str]) -> dict[str, str]:
    return {
        k: v
        for k, v in params.items()
        if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType")
    }


def wire_amount(value: object) -> int | None:
    try:
        hundredths = int(str(value))
    except ValueError:
        return None
    return hundredths // 100 if hundredths % 100 == 0 else None


class VNPayGateway:
    """VNPay's protocol, version 2.1.0 (see the module's docstring)."""

    name = "vnpay"

    def __init__(
        self,
        *,
        tmn_code: str,
        hash_secret: str,
        pay_url: str,
        api_url: str,
        settlement_url: str = "",
    ) -> None:
        self.tmn_code = tmn_code
        self.hash_secret = hash_secret
        self.pay_url = pay_url
        self.api_url = api_url
        self.settlement_url = settlement_url

    @classmethod
    def from_settings(cls) -> "VNPayGateway":
        return cls(
            tmn_code=settings.MOTCUA_VNPAY_TMN_CODE,
            hash_secret=settings.MOTCUA_VNPAY_HASH_SECRET,
            pay_url=settings.MOTCUA_VNPAY_URL,
            api_url=settings.MOTCUA_VNPAY_API_URL,
            settlement_url=settings.MOTCUA_VNPAY_SETTLEMENT_URL,
        )

    @property
    def origin(self) -> str:
        """Where the payment page is (scheme://host[:port]): the pay form's CSP allows it."""
        parts = urlsplit(self.pay_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def configured(self) -> bool:
        return bool(self.tmn_code and self.hash_secret and self.pay_url)

    def payment_params(self, request: PaymentRequest) -> dict[str, str]:
        return {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(request.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": request.txn_ref,
            "vnp_OrderInfo": request.order_info,
            "vnp_OrderType": "other",
            "vnp_Locale": request.locale,
            "vnp_ReturnUrl": request.return_url,
            "vnp_IpAddr": request.ip_address,
            "vnp_CreateDate": vnpay_date(request.created_at),
        }

    def payment_url(self, request: PaymentRequest) -> str:
        params = self.payment_params(request)
        query = signed_query(params)
        return f"{self.pay_url}?{query}&vnp_SecureHash={hmac_sha512(self.hash_secret, query)}"

    def verify(self, params: Mapping[str, str]) -> GatewayResult:
        raw = dict(params)
        given = raw.get("vnp_SecureHash", "")
        expected = sign_query(self.hash_secret, _signed_fields(raw))
        verified = bool(given) and hmac.compare_digest(given.lower(), expected)
        verified = verified and raw.get("vnp_TmnCode") == self.tmn_code
        return GatewayResult(
            verified=verified,
            txn_ref=raw.get("vnp_TxnRef", ""),
            amount=wire_amount(raw.get("vnp_Amount", "")),
            response_code=raw.get("vnp_ResponseCode", ""),
            transaction_status=raw.get("vnp_TransactionStatus", ""),
            transaction_no=raw.get("vnp_TransactionNo", ""),
            bank_code=raw.get("vnp_BankCode", ""),
            pay_date=raw.get("vnp_PayDate", ""),
            raw=raw,
        )

    def _post(self, body: dict[str, str]) -> dict[str, str]:
        if not self.api_url.startswith(("http://", "https://")):
            raise GatewayError(f"MOTCUA_VNPAY_API_URL is not an HTTP address: {self.api_url!r}")
        data = json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            self.api_url, data=data, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                answer = json.loads(response.read().decode())
        except (OSError, ValueError) as exc:
            raise GatewayError(str(exc)) from exc
        if not isinstance(answer, dict):
            raise GatewayError("The gateway's answer is not a JSON object.")
        return {str(k): str(v) for k, v in answer.items()}

    def _answer(self, answer: dict[str, str], fields: tuple[str, ...]) -> GatewayResult:
        expected = checksum(self.hash_secret, answer, fields)
        verified = hmac.compare_digest(answer.get("vnp_SecureHash", "").lower(), expected)
        return GatewayResult(
            verified=verified,
            txn_ref=answer.get("vnp_TxnRef", ""),
            amount=wire_amount(answer.get("vnp_Amount", "")),
            response_code=answer.get("vnp_ResponseCode", ""),
            transaction_status=answer.get("vnp_TransactionStatus", ""),
            transaction_no=answer.get("vnp_TransactionNo", ""),
            bank_code=answer.get("vnp_BankCode", ""),
            pay_date=answer.get("vnp_PayDate", ""),
            message=answer.get("vnp_Message", ""),
            raw=answer,
        )

    def query(
        self, *, txn_ref: str, transaction_date: dt.datetime, ip_address: str, now: dt.datetime
    ) -> GatewayResult:
        """querydr: what the gateway knows of ``txn_ref`` (reconciliation)."""
        body = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": f"Truy van GD {txn_ref}",
            "vnp_TransactionDate": vnpay_date(transaction_date),
            "vnp_CreateDate": vnpay_date(now),
            "vnp_IpAddr": ip_address,
        }
        body["vnp_SecureHash"] = checksum(self.hash_secret, body, QUERY_FIELDS)
        return self._answer(self._post(body), QUERY_ANSWER_FIELDS)

    def refund(
        self,
        *,
        txn_ref: str,
        amount: int,
        full: bool,
        transaction_no: str,
        transaction_date: dt.datetime,
        created_by: str,
        ip_address: str,
        now: dt.datetime,
    ) -> GatewayResult:
        """refund: give back ``amount`` VND of a paid transaction (all of it when ``full``)."""
        body = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VERSION,
            "vnp_Command": "refund",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionType": REFUND_FULL if full else REFUND_PARTIAL,
            "vnp_TxnRef": txn_ref,
            "vnp_Amount": str(amount * 100),
            "vnp_OrderInfo": f"Hoan tien GD {txn_ref}",
            "vnp_TransactionNo": transaction_no,
            "vnp_TransactionDate": vnpay_date(transaction_date),
            "vnp_CreateBy": created_by,
            "vnp_CreateDate": vnpay_date(now),
            "vnp_IpAddr": ip_address,
        }
        body["vnp_SecureHash"] = checksum(self.hash_secret, body, REFUND_FIELDS)
        return self._answer(self._post(body), REFUND_ANSWER_FIELDS)

    def settlement(self, date: dt.date, *, now: dt.datetime) -> SettlementFile:
        """Fetch the settlement file of ``date``: a signed GET whose answer is CSV
        (``SETTLEMENT_COLUMNS``, amounts in VND) with the HMAC-SHA512 of its bytes in the
        ``X-VNPay-SecureHash`` header. A file whose checksum does not match is refused."""
        if not self.settlement_url.startswith(("http://", "https://")):
            raise GatewayError(
                f"MOTCUA_VNPAY_SETTLEMENT_URL is not an HTTP address: {self.settlement_url!r}"
            )
        params = {
            "vnp_Command": "settlement",
            "vnp_TmnCode": self.tmn_code,
            "vnp_SettlementDate": date.strftime(SETTLEMENT_DATE_FORMAT),
            "vnp_CreateDate": vnpay_date(now),
            "vnp_RequestId": secrets.token_hex(16),
        }
        query = signed_query(params)
        url = f"{self.settlement_url}?{query}&vnp_SecureHash={hmac_sha512(self.hash_secret, query)}"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - checked
                body: bytes = response.read()
                given = response.headers.get(SETTLEMENT_CHECKSUM_HEADER, "")
        except OSError as exc:
            raise GatewayError(str(exc)) from exc
        expected = hmac.new(self.hash_secret.encode(), body, hashlib.sha512).hexdigest()
        if not hmac.compare_digest(given.lower(), expected):
            raise GatewayError("The settlement file's checksum does not match.")
        return SettlementFile(
            date=date, rows=parse_settlement(body), sha256=hashlib.sha256(body).hexdigest()
        )


def settlement_csv(rows: tuple[SettlementRow, ...] | list[SettlementRow], tmn_code: str) -> bytes:
    """The settlement file's bytes (UTF-8 CSV, a header line, one line per transaction)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SETTLEMENT_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                tmn_code,
                row.txn_ref,
                row.transaction_no,
                row.transaction_type,
                row.transaction_status,
                row.amount,
                row.bank_code,
                row.pay_date,
            ]
        )
    return out.getvalue().encode()


def parse_settlement(body: bytes) -> tuple[SettlementRow, ...]:
    """Read a settlement file; a missing column or an amount that is not whole đồng raises
    ``GatewayError`` (the file is then unusable as a whole)."""
    try:
        reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
        if tuple(reader.fieldnames or ()) != SETTLEMENT_COLUMNS:
            raise GatewayError(f"Unexpected settlement columns: {reader.fieldnames!r}")
        return tuple(
            SettlementRow(
                txn_ref=line["TxnRef"],
                transaction_no=line["TransactionNo"],
                transaction_type=line["TransactionType"],
                transaction_status=line["TransactionStatus"],
                amount=int(line["Amount"]),
                bank_code=line["BankCode"],
                pay_date=line["PayDate"],
            )
            for line in reader
        )
    except (UnicodeDecodeError, ValueError, csv.Error) as exc:
        raise GatewayError(f"Unreadable settlement file: {exc}") from exc


def ipn_answer(code: str) -> dict[str, str]:
    return {"RspCode": code, "Message": IPN_MESSAGES[code]}


def gateway() -> VNPayGateway:
    """The configured gateway (one today: VNPay)."""
    return VNPayGateway.from_settings()
