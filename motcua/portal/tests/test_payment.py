"""Online payment on the portal: the owner of a dossier waiting for a financial obligation sees
"Thanh toán trực tuyến" and is sent to the gateway; another citizen gets a 404, an official is
refused, an anonymous visitor is sent to sign in. The return page shows the verified result and
refuses a tampered address; the receipt is the owner's only. Paid through the simulator over
HTTP."""

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client

from motcua.accounts.models import Role, User
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.payments import gateway as gw
from motcua.payments.models import Message, Payment, PaymentEvent, PaymentState
from motcua.payments.simulator import GatewaySimulator
from motcua.payments.tests.test_services import pay
from motcua.testing import Cast, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kim(cast: Cast) -> User:
    return make_user("kim", (Role.CITIZEN, None))


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_sees_pay_online_on_the_list_and_the_dossier(
    cast: Cast, owing: Dossier, vnpay: Any
) -> None:
    client = signed_in(cast.henry)
    listing = client.get("/ho-so-cua-toi/").content.decode()
    assert "Thanh toán trực tuyến" in listing
    page = client.get(f"/ho-so-cua-toi/{owing.code}/").content.decode()
    assert "Thanh toán trực tuyến" in page and "250.000 đồng" in page
    assert f"/ho-so-cua-toi/{owing.code}/thanh-toan/" in page


def test_without_the_gateways_secret_no_payment_is_offered(
    cast: Cast, owing: Dossier, settings: Any
) -> None:
    settings.MOTCUA_VNPAY_HASH_SECRET = ""
    page = signed_in(cast.henry).get(f"/ho-so-cua-toi/{owing.code}/").content.decode()
    assert f"/ho-so-cua-toi/{owing.code}/thanh-toan/" not in page


def test_the_owner_is_sent_to_the_gateway_with_a_signed_address(
    cast: Cast, owing: Dossier, vnpay: Any
) -> None:
    response = signed_in(cast.henry).post(f"/ho-so-cua-toi/{owing.code}/thanh-toan/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(vnpay.MOTCUA_VNPAY_URL + "?")
    params = dict(parse_qsl(urlsplit(location).query))
    assert gw.gateway().verify(params).verified
    payment = Payment.objects.get()
    assert params["vnp_TxnRef"] == payment.txn_ref and params["vnp_Amount"] == "25000000"
    assert params["vnp_ReturnUrl"] == "http://testserver/thanh-toan/ket-qua/"


def test_another_citizen_gets_a_404_and_starts_nothing(
    owing: Dossier, kim: User, vnpay: Any
) -> None:
    response = signed_in(kim).post(f"/ho-so-cua-toi/{owing.code}/thanh-toan/")
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_an_official_is_refused(cast: Cast, owing: Dossier, vnpay: Any) -> None:
    response = signed_in(cast.alice).post(f"/ho-so-cua-toi/{owing.code}/thanh-toan/")
    assert response.status_code == 403
    assert not Payment.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(owing: Dossier, vnpay: Any) -> None:
    response = Client().post(f"/ho-so-cua-toi/{owing.code}/thanh-toan/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert not Payment.objects.exists()


def test_paying_needs_a_post(cast: Cast, owing: Dossier, vnpay: Any) -> None:
    response = signed_in(cast.henry).get(f"/ho-so-cua-toi/{owing.code}/thanh-toan/")
    assert response.status_code == 405


def test_nothing_owed_says_so_on_the_dossier_page(cast: Cast, owing: Dossier, vnpay: Any) -> None:
    owing.fees_paid = owing.fees_due
    owing.save(update_fields=["fees_paid"])
    client = signed_in(cast.henry)
    response = client.post(f"/ho-so-cua-toi/{owing.code}/thanh-toan/", follow=True)
    assert "Không còn khoản nào phải nộp" in response.content.decode()
    assert not Payment.objects.exists()


def test_a_tampered_return_address_is_refused_and_logged(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    client = signed_in(cast.henry)
    url = client.post(f"/ho-so-cua-toi/{owing.code}/thanh-toan/")["Location"]
    returned = pay(url, "cancel")
    returned["vnp_ResponseCode"] = "00"  # the citizen's browser claims success
    returned["vnp_TransactionStatus"] = "00"
    response = client.get("/thanh-toan/ket-qua/?" + urlencode(returned))
    assert response.status_code == 400
    assert "chữ ký không khớp" in response.content.decode()
    refused = PaymentEvent.objects.get(message=Message.RETURN)
    assert not refused.verified and refused.outcome == "invalid_signature"
    assert Payment.objects.get().state == PaymentState.CANCELLED


def test_an_unsigned_return_address_is_refused(client: Client, db: None, vnpay: Any) -> None:
    response = client.get("/thanh-toan/ket-qua/?vnp_TxnRef=X&vnp_ResponseCode=00")
    assert response.status_code == 400


def test_the_owner_pays_sees_the_result_and_downloads_the_receipt(
    cast: Cast, owing: Dossier, kim: User, simulator: GatewaySimulator
) -> None:
    client = signed_in(cast.henry)
    url = client.post(f"/ho-so-cua-toi/{owing.code}/thanh-toan/")["Location"]
    returned = pay(url)
    page = client.get("/thanh-toan/ket-qua/?" + urlencode(returned)).content.decode()
    assert "Thanh toán thành công" in page
    payment = Payment.objects.get()
    assert payment.receipt_number and payment.receipt_number in page
    owing.refresh_from_db()
    assert owing.status == Status.PROCESSING

    receipt = f"/ho-so-cua-toi/{owing.code}/bien-lai/{payment.receipt_number}.pdf"
    pdf = client.get(receipt)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert signed_in(kim).get(receipt).status_code == 404
    assert signed_in(cast.alice).get(receipt).status_code == 403
    assert Client().get(receipt).status_code == 302
    # Someone else's browser on the return page: the result, not the dossier's link.
    other = signed_in(kim).get("/thanh-toan/ket-qua/?" + urlencode(returned)).content.decode()
    assert "Thanh toán thành công" in other and f"/ho-so-cua-toi/{owing.code}/" not in other
    # After paying, the dossier page lists the receipt and offers no payment.
    page = client.get(f"/ho-so-cua-toi/{owing.code}/").content.decode()
    assert receipt in page and f"/ho-so-cua-toi/{owing.code}/thanh-toan/" not in page


def test_the_ipn_is_a_get_without_session_or_csrf(db: None, vnpay: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/api/v1/payments/vnpay/ipn").status_code == 405
    answer = client.get("/api/v1/payments/vnpay/ipn?vnp_TxnRef=X&vnp_SecureHash=00").json()
    assert answer == {"RspCode": "97", "Message": "Invalid signature"}


def test_the_dossier_page_lets_the_pay_form_lead_to_the_gateway_only_when_payable(
    cast: Cast, owing: Dossier, vnpay: Any
) -> None:
    client = signed_in(cast.henry)
    policy = client.get(f"/ho-so-cua-toi/{owing.code}/")["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:8765" in policy
    owing.fees_paid = owing.fees_due
    owing.save(update_fields=["fees_paid"])
    policy = client.get(f"/ho-so-cua-toi/{owing.code}/")["Content-Security-Policy"]
    assert "form-action 'self';" in policy
