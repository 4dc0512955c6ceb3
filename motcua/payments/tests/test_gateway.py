"""VNPay's protocol (``gateway.VNPayGateway``): the payment URL's parameters and signature, the
check of a return URL or IPN (a changed parameter or another merchant's code fails), and the
JSON API's checksums. No database."""

import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit

from motcua.payments import gateway as gw

SECRET = "test-only-hash-secret-0123456789"


def vnpay() -> gw.VNPayGateway:
    return gw.VNPayGateway(
        tmn_code="MOTCUA01",
        hash_secret=SECRET,
        pay_url="https://sandbox.example/paymentv2/vpcpay.html",
        api_url="https://sandbox.example/merchant_webapi/api/transaction",
    )


def request(**overrides: object) -> gw.PaymentRequest:
    fields: dict[str, object] = {
        "txn_ref": "MC260302090000AB12",
        "amount": 250000,
        "order_info": "Thanh toan ho so H56.22-260302-0001",
        "return_url": "https://motcua.example/thanh-toan/ket-qua/",
        "ip_address": "203.0.113.5",
        # 02:00 UTC is 09:00 in Vietnam.
        "created_at": dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC),
        **overrides,
    }
    return gw.PaymentRequest(**fields)  # type: ignore[arg-type]


def test_the_payment_url_carries_vnpays_parameters_signed_over_the_sorted_query() -> None:
    url = vnpay().payment_url(request())
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == vnpay().pay_url
    pairs = parse_qsl(parts.query)
    params = dict(pairs)
    assert params["vnp_Version"] == "2.1.0" and params["vnp_Command"] == "pay"
    assert params["vnp_TmnCode"] == "MOTCUA01"
    assert params["vnp_Amount"] == "25000000"  # VND × 100
    assert params["vnp_CreateDate"] == "20260302090000"  # GMT+7
    assert params["vnp_CurrCode"] == "VND" and params["vnp_TxnRef"] == "MC260302090000AB12"
    # Sent sorted by name, the hash last; the hash is HMAC-SHA512 of the urlencoded query.
    names = [name for name, _ in pairs]
    assert names[:-1] == sorted(names[:-1]) and names[-1] == "vnp_SecureHash"
    unsigned = {k: v for k, v in pairs if k != "vnp_SecureHash"}
    data = urlencode(sorted(unsigned.items()), quote_via=quote_plus)
    expected = hmac.new(SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()
    assert params["vnp_SecureHash"] == expected


def test_spaces_and_vietnamese_are_encoded_as_vnpay_signs_them() -> None:
    assert gw.signed_query({"vnp_OrderInfo": "Hồ sơ số 1", "vnp_Amount": "100"}) == (
        "vnp_Amount=100&vnp_OrderInfo=H%E1%BB%93+s%C6%A1+s%E1%BB%91+1"
    )


def _result(**overrides: str) -> dict[str, str]:
    params = {
        "vnp_Amount": "25000000",
        "vnp_BankCode": "NCB",
        "vnp_OrderInfo": "Thanh toan ho so H56.22-260302-0001",
        "vnp_PayDate": "20260302091500",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": "MOTCUA01",
        "vnp_TransactionNo": "14000001",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "MC260302090000AB12",
        **overrides,
    }
    params["vnp_SecureHash"] = gw.sign_query(SECRET, params)
    return params


def test_a_genuine_result_is_verified_and_read_in_vnd() -> None:
    result = vnpay().verify(_result())
    assert result.verified and result.succeeded
    assert result.amount == 250000 and result.transaction_no == "14000001"


def test_a_changed_amount_breaks_the_signature() -> None:
    params = _result()
    params["vnp_Amount"] = "100"
    result = vnpay().verify(params)
    assert not result.verified and not result.succeeded


def test_a_result_signed_for_another_merchant_is_refused() -> None:
    assert not vnpay().verify(_result(vnp_TmnCode="OTHER001")).verified


def test_a_result_without_a_signature_is_refused() -> None:
    params = _result()
    del params["vnp_SecureHash"]
    assert not vnpay().verify(params).verified


def test_a_cancelled_payment_is_verified_but_not_succeeded() -> None:
    result = vnpay().verify(_result(vnp_ResponseCode="24", vnp_TransactionStatus="02"))
    assert result.verified and not result.succeeded


def test_the_json_apis_checksum_joins_the_listed_fields_with_bars() -> None:
    body = {name: f"v{i}" for i, name in enumerate(gw.QUERY_FIELDS)}
    data = "|".join(f"v{i}" for i in range(len(gw.QUERY_FIELDS)))
    expected = hmac.new(SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()
    assert gw.checksum(SECRET, body, gw.QUERY_FIELDS) == expected
    assert gw.QUERY_FIELDS == (
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
