"""Paying through the simulator over HTTP: the citizen pays and the verified IPN resumes the
dossier; the same IPN twice changes nothing (02); a tampered signature (97), a wrong amount (04)
and an unknown transaction (01) are refused and logged; a cancelled payment leaves the dossier
waiting; a payment whose IPN never came is found by the reconciliation's querydr; a refund; the
receipt. The simulator is a real HTTP server and its IPN reaches the site over HTTP."""

import datetime as dt
import io
import json
import time
import urllib.request
from decimal import Decimal
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from motcua.accounts.models import User
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.dossiers.workflow import Action, Status
from motcua.errors import refusal_codes
from motcua.payments import gateway as gw
from motcua.payments import services
from motcua.payments.models import Message, Payment, PaymentEvent, PaymentState, Purpose
from motcua.payments.receipt import receipt_pdf
from motcua.payments.simulator import GatewaySimulator
from motcua.payments.tests.conftest import OBLIGATION, SECRET, TMN_CODE, start_simulator
from motcua.testing import Cast

pytestmark = pytest.mark.django_db(transaction=True)

RETURN_URL = "http://127.0.0.1/thanh-toan/ket-qua/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def pay(url: str, choice: str = "pay") -> dict[str, str]:
    """What a browser does on the simulator: open the payment page, press a button; the
    signed parameters of the redirect back to the return URL."""
    with urllib.request.urlopen(url) as page:  # noqa: S310 - the local simulator
        html = page.read().decode()
    assert "Thanh toán / Pay" in html
    txn_ref = dict(parse_qsl(urlsplit(url).query))["vnp_TxnRef"]
    parts = urlsplit(url)
    decide = f"{parts.scheme}://{parts.netloc}/paymentv2/decide"
    opener = urllib.request.build_opener(NoRedirect)
    data = urlencode({"txn": txn_ref, "choice": choice}).encode()
    with pytest.raises(HTTPError) as redirect:
        opener.open(decide, data=data)
    assert redirect.value.code == 303
    location = redirect.value.headers["Location"]
    assert urlsplit(location).path == urlsplit(RETURN_URL).path
    return dict(parse_qsl(urlsplit(location).query))


def start(dossier: Dossier, henry: User) -> tuple[Payment, str]:
    return services.start_payment(
        dossier, payer=henry, return_url=RETURN_URL, ip_address="127.0.0.1"
    )


def ipn(live_server: Any, params: dict[str, str]) -> dict[str, str]:
    url = live_server.url + reverse("payment-vnpay-ipn") + "?" + urlencode(params)
    with urllib.request.urlopen(url) as response:  # noqa: S310 - the test's live server
        answer: dict[str, str] = json.loads(response.read())
    return answer


def test_a_citizen_pays_and_the_verified_ipn_resumes_the_dossier(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    payment, url = start(owing, cast.henry)
    assert payment.purpose == Purpose.OBLIGATION and payment.amount == OBLIGATION
    returned = pay(url)

    assert [c.answer for c in simulator.ipn_calls] == [
        {"RspCode": "00", "Message": "Confirm Success"}
    ]
    payment.refresh_from_db()
    owing.refresh_from_db()
    assert payment.state == PaymentState.PAID and payment.transaction_no == "14000001"
    assert payment.receipt_number and payment.receipt_number.startswith("BL")
    assert owing.status == Status.PROCESSING  # the clock runs again
    assert owing.fees_paid == Decimal(OBLIGATION)
    event = owing.events.get(action=Action.CONFIRM_PAYMENT)
    assert event.data["method"] == "online" and event.data["receipt"] == payment.receipt_number
    assert event.actor is not None and event.actor.username == "cong-thanh-toan"

    shown = services.handle_return(returned)
    assert shown.verified and shown.succeeded and shown.payment == payment
    assert list(payment.events.values_list("message", "outcome")) == [
        (Message.START, "redirected"),
        (Message.IPN, "00:paid"),
        (Message.RETURN, "shown"),
    ]


def test_the_same_ipn_twice_changes_nothing_and_answers_02(
    cast: Cast, owing: Dossier, live_server: Any, vnpay: Any
) -> None:
    simulator = start_simulator(live_server, vnpay, ipn_copies=2)
    try:
        _payment, url = start(owing, cast.henry)
        pay(url)
    finally:
        simulator.stop()
    assert [c.answer["RspCode"] for c in simulator.ipn_calls] == ["00", "02"]
    assert owing.events.filter(action=Action.CONFIRM_PAYMENT).count() == 1
    owing.refresh_from_db()
    assert owing.fees_paid == Decimal(OBLIGATION)


def test_a_tampered_signature_is_refused_with_97_and_logged(
    cast: Cast, owing: Dossier, live_server: Any, vnpay: Any
) -> None:
    simulator = start_simulator(live_server, vnpay, ipn_enabled=False)
    try:
        payment, url = start(owing, cast.henry)
        params = pay(url)
    finally:
        simulator.stop()
    params["vnp_Amount"] = "100"  # the signature no longer matches
    assert ipn(live_server, params) == {"RspCode": "97", "Message": "Invalid signature"}
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    refused = PaymentEvent.objects.get(message=Message.IPN)
    assert not refused.verified and refused.outcome == "97" and refused.payment == payment
    assert refused.data["vnp_Amount"] == "100"


def test_a_signed_ipn_with_another_amount_is_refused_with_04(
    cast: Cast, owing: Dossier, live_server: Any, vnpay: Any
) -> None:
    simulator = start_simulator(live_server, vnpay, ipn_enabled=False)
    try:
        payment, url = start(owing, cast.henry)
        params = pay(url)
    finally:
        simulator.stop()
    params.pop("vnp_SecureHash")
    params["vnp_Amount"] = str(1000 * 100)
    params["vnp_SecureHash"] = gw.sign_query(SECRET, params)
    assert ipn(live_server, params)["RspCode"] == "04"
    payment.refresh_from_db()
    owing.refresh_from_db()
    assert payment.state == PaymentState.PENDING and owing.status == Status.FINANCIAL_OBLIGATION


def test_an_ipn_for_an_unknown_transaction_answers_01(live_server: Any, vnpay: Any) -> None:
    params = {
        "vnp_Amount": "10000",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": vnpay.MOTCUA_VNPAY_TMN_CODE,
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "NOSUCHREF",
    }
    params["vnp_SecureHash"] = gw.sign_query(SECRET, params)
    assert ipn(live_server, params)["RspCode"] == "01"
    assert PaymentEvent.objects.get().outcome == "01"


def test_a_cancelled_payment_leaves_the_dossier_waiting(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    payment, url = start(owing, cast.henry)
    returned = pay(url, "cancel")
    payment.refresh_from_db()
    owing.refresh_from_db()
    assert payment.state == PaymentState.CANCELLED
    assert owing.status == Status.FINANCIAL_OBLIGATION and owing.fees_paid == 0
    shown = services.handle_return(returned)
    assert shown.verified and not shown.succeeded and shown.response_code == "24"


def test_a_payment_whose_ipn_never_came_is_reconciled_by_querydr(
    cast: Cast, owing: Dossier, live_server: Any, vnpay: Any
) -> None:
    simulator = start_simulator(live_server, vnpay, ipn_enabled=False)
    try:
        payment, url = start(owing, cast.henry)
        pay(url)
        payment.refresh_from_db()
        assert payment.state == PaymentState.PENDING
        # Too young: not asked yet.
        assert services.reconcile(older_than=dt.timedelta(minutes=15)) == 0
        later = timezone.now() + dt.timedelta(minutes=16)
        assert services.reconcile(now=later, older_than=dt.timedelta(minutes=15)) == 1
        # Asked again, nothing more changes.
        assert services.reconcile(now=later, older_than=dt.timedelta(minutes=15)) == 0
    finally:
        simulator.stop()
    payment.refresh_from_db()
    owing.refresh_from_db()
    assert payment.state == PaymentState.PAID and owing.status == Status.PROCESSING
    assert payment.events.get(message=Message.QUERY).outcome == "paid"


def test_a_payment_never_paid_at_the_gateway_stays_pending_after_querydr(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    payment, url = start(owing, cast.henry)
    with urllib.request.urlopen(url):  # noqa: S310 - opened the page, pressed nothing
        pass
    later = timezone.now() + dt.timedelta(minutes=16)
    assert services.reconcile(now=later, older_than=dt.timedelta(minutes=15)) == 0
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert payment.events.get(message=Message.QUERY).outcome == "still_pending:01"


def test_a_late_ipn_still_confirms_the_payment(
    cast: Cast, owing: Dossier, live_server: Any, vnpay: Any
) -> None:
    simulator = start_simulator(live_server, vnpay, ipn_delay=0.5)
    try:
        payment, url = start(owing, cast.henry)
        pay(url)
        payment.refresh_from_db()
        assert payment.state == PaymentState.PENDING  # the citizen is back before the IPN
        for _ in range(50):
            if simulator.ipn_calls:
                break
            time.sleep(0.1)
    finally:
        simulator.stop()
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert simulator.ipn_calls[0].answer["RspCode"] == "00"


def test_a_paid_payment_is_refunded_through_the_gateway(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    payment, url = start(owing, cast.henry)
    pay(url)
    payment.refresh_from_db()
    refunded = services.refund(payment, actor=cast.alice)
    assert refunded.state == PaymentState.REFUNDED
    assert payment.events.get(message=Message.REFUND).outcome == "refunded"
    with pytest.raises(Exception) as again:
        services.refund(refunded, actor=cast.alice)
    assert refusal_codes(again.value) == ["payment_not_paid"]


def test_the_receipt_is_a_pdf_with_its_number(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    payment, url = start(owing, cast.henry)
    pay(url)
    payment.refresh_from_db()
    pdf = receipt_pdf(payment)
    assert pdf.startswith(b"%PDF")
    content = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "BIÊN LAI THU TIỀN ĐIỆN TỬ" in content
    assert str(payment.receipt_number) in content, content
    assert "250.000 đồng" in content and owing.code in content


def test_only_the_owner_starts_a_payment_and_only_when_something_is_owed(
    cast: Cast, owing: Dossier, vnpay: Any
) -> None:
    with pytest.raises(Exception) as other:
        services.start_payment(owing, payer=cast.alice, return_url=RETURN_URL, ip_address="")
    assert refusal_codes(other.value) == ["payment_not_owner"]
    owing.fees_paid = owing.fees_due
    owing.save(update_fields=["fees_paid"])
    with pytest.raises(Exception) as nothing:
        start(owing, cast.henry)
    assert refusal_codes(nothing.value) == ["payment_nothing_owed"]


def test_without_the_merchants_secret_there_is_no_online_payment(
    cast: Cast, owing: Dossier, settings: Any
) -> None:
    settings.MOTCUA_VNPAY_HASH_SECRET = ""
    with pytest.raises(Exception) as refused:
        start(owing, cast.henry)
    assert refusal_codes(refused.value) == ["payment_gateway_not_configured"]


def test_a_second_payment_paid_from_another_tab_is_kept_for_a_refund(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    """The money was taken: the payment is paid and the IPN answered 00, but the engine no
    longer waits for it, so the dossier is untouched and the log says a refund is due."""
    _first, first_url = start(owing, cast.henry)
    second, second_url = start(owing, cast.henry)
    pay(first_url)
    pay(second_url)
    assert [c.answer["RspCode"] for c in simulator.ipn_calls] == ["00", "00"]
    second.refresh_from_db()
    owing.refresh_from_db()
    assert second.state == PaymentState.PAID
    assert owing.fees_paid == Decimal(OBLIGATION)
    assert owing.events.filter(action=Action.CONFIRM_PAYMENT).count() == 1
    assert (
        second.events.get(message=Message.IPN).outcome == "00:paid_not_applied:action_not_allowed"
    )


def test_the_procedures_fee_is_paid_online_at_submission(
    cast: Cast, simulator: GatewaySimulator
) -> None:
    """A dossier submitted online whose procedure charges 100,000 đồng: paid through the
    gateway, recorded by the desk's collect_fee rule with the receipt; the status stays."""
    case = household_business_case(cast.agency)
    dossier = intake.submit_online(
        complete_intake(case, channel="online"), agency=cast.agency, actor=cast.henry
    )
    assert dossier.status == Status.NEW and services.payable(dossier) == ("fee", 100000)
    payment, url = start(dossier, cast.henry)
    assert payment.purpose == Purpose.FEE
    pay(url)
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert dossier.status == Status.NEW and dossier.fees_paid == Decimal(100000)
    event = dossier.events.get(action=Action.COLLECT_FEE)
    assert event.data["method"] == "online" and event.data["receipt"] == payment.receipt_number
    assert services.payable(dossier) is None


def test_an_ipn_with_an_overlong_reference_is_answered_and_logged(
    live_server: Any, vnpay: Any
) -> None:
    """Never a 500 for the gateway: the reference, cut to its column, is logged as unknown."""
    params = {"vnp_Amount": "10000", "vnp_TmnCode": TMN_CODE, "vnp_TxnRef": "X" * 300}
    params["vnp_SecureHash"] = gw.sign_query(SECRET, params)
    assert ipn(live_server, params)["RspCode"] == "01"
    assert PaymentEvent.objects.get().txn_ref == "X" * 64
