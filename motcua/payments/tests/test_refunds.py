"""Refunds of online payments, over HTTP against the simulator: a payment paid but not recorded
on its dossier (paid twice), or of a dossier withdrawn, is refunded by the receiving agency's
signing leader or head of department — logged as a payment event, noted in the dossier's
history, made once. Nobody else may; a payment the dossier keeps is not refundable; a refund
the gateway refuses leaves the payment paid and the refusal logged."""

from decimal import Decimal

import pytest
from django.test import Client

from motcua.accounts.models import Role, User
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Action, Status
from motcua.errors import refusal_codes
from motcua.payments import refunds, services
from motcua.payments.models import Message, Payment, PaymentState
from motcua.payments.simulator import GatewaySimulator
from motcua.payments.tests.conftest import OBLIGATION
from motcua.payments.tests.test_services import RETURN_URL, pay
from motcua.testing import Cast, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def paid_twice(cast: Cast, owing: Dossier) -> tuple[Payment, Payment]:
    """Two tabs: both payments paid, the second not recorded on the dossier."""
    started = [
        services.start_payment(
            owing, payer=cast.henry, return_url=RETURN_URL, ip_address="127.0.0.1"
        )
        for _ in range(2)
    ]
    for _payment, url in started:
        pay(url)
    first, second = (Payment.objects.get(pk=p.pk) for p, _ in started)
    assert refunds.ground(first) is None and refunds.ground(second) == refunds.NOT_APPLIED
    return first, second


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_leader_refunds_a_payment_the_dossier_never_recorded_once(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    _first, second = paid_twice(cast, owing)
    refunded = refunds.refund_payment(second, actor=cast.dave)
    assert refunded.state == PaymentState.REFUNDED
    event = refunded.events.get(message=Message.REFUND)
    assert (event.outcome, event.verified) == ("refunded", True)
    assert event.data["ground"] == refunds.NOT_APPLIED and event.data["by"] == "dave"
    at_gateway = simulator.transactions[second.txn_ref]
    assert (at_gateway.refunded, at_gateway.status) == (OBLIGATION, "06")
    owing.refresh_from_db()
    assert owing.fees_paid == Decimal(OBLIGATION)  # the first payment still counts
    history = owing.events.get(action=Action.REFUND)
    assert history.actor == cast.dave and history.new_status == owing.status
    assert history.data["counted"] is False and history.data["txn_ref"] == second.txn_ref
    assert history.reason == "đã thanh toán nhưng chưa ghi nhận vào hồ sơ"

    with pytest.raises(Exception) as again:
        refunds.refund_payment(second, actor=cast.carol)
    assert refusal_codes(again.value) == ["payment_already_refunded"]
    assert owing.events.filter(action=Action.REFUND).count() == 1
    assert simulator.transactions[second.txn_ref].refunded == OBLIGATION


def test_a_withdrawn_dossiers_payment_is_refunded_and_no_longer_counts(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    payment, url = services.start_payment(
        owing, payer=cast.henry, return_url=RETURN_URL, ip_address="127.0.0.1"
    )
    pay(url)
    owing.refresh_from_db()
    assert owing.status == Status.PROCESSING and owing.fees_paid == OBLIGATION
    payment.refresh_from_db()
    with pytest.raises(Exception) as kept:
        refunds.refund_payment(payment, actor=cast.dave)
    assert refusal_codes(kept.value) == ["payment_not_refundable"]

    dossier_services.withdraw(owing, actor=cast.henry, reason="Không còn nhu cầu")
    payment = Payment.objects.get(pk=payment.pk)
    assert refunds.ground(payment) == "dossier_withdrawn"
    refunds.refund_payment(payment, actor=cast.carol)
    owing.refresh_from_db()
    assert owing.status == Status.WITHDRAWN and owing.fees_paid == 0
    assert owing.events.get(action=Action.REFUND).data["counted"] is True


@pytest.mark.parametrize("name", ["alice", "bob", "erin", "frank", "grace", "henry", "oscar"])
def test_nobody_else_refunds(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator, name: str
) -> None:
    _first, second = paid_twice(cast, owing)
    with pytest.raises(Exception) as refused:
        refunds.refund_payment(second, actor=getattr(cast, name))
    assert refusal_codes(refused.value) == ["refund_not_allowed"]
    second.refresh_from_db()
    assert second.state == PaymentState.PAID and not second.events.filter(message=Message.REFUND)
    assert simulator.transactions[second.txn_ref].refunded == 0


def test_a_leader_of_another_agency_does_not_refund(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    _first, second = paid_twice(cast, owing)
    olga = make_user("olga", (Role.SIGNING_LEADER, cast.other_agency))
    with pytest.raises(Exception) as refused:
        refunds.refund_payment(second, actor=olga)
    assert refusal_codes(refused.value) == ["refund_not_allowed"]


def test_a_refund_the_gateway_refuses_is_logged_and_the_payment_stays_paid(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    _first, second = paid_twice(cast, owing)
    del simulator.transactions[second.txn_ref]  # the gateway answers 91: not found
    with pytest.raises(Exception) as refused:
        refunds.refund_payment(second, actor=cast.dave)
    assert refusal_codes(refused.value) == ["refund_refused_by_gateway"]
    second.refresh_from_db()
    assert second.state == PaymentState.PAID
    assert second.events.get(message=Message.REFUND).outcome == "refused:91"
    assert not owing.events.filter(action=Action.REFUND).exists()


def test_the_workspace_lists_the_refunds_due_and_the_leader_refunds_one(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    _first, second = paid_twice(cast, owing)
    dave = signed_in(cast.dave)
    page = dave.get("/workspace/payments/")
    assert [p.pk for p, _ in page.context["refunds_due"]] == [second.pk]
    body = page.content.decode()
    assert "Khoản cần hoàn tiền" in body and "đã thanh toán nhưng chưa ghi nhận" in body

    assert signed_in(cast.alice).post(f"/workspace/payments/{second.pk}/refund/").status_code == 403
    grace = signed_in(cast.grace)
    assert grace.get("/workspace/payments/").context["refunds_due"] == []
    assert grace.post(f"/workspace/payments/{second.pk}/refund/").status_code == 403

    done = dave.post(f"/workspace/payments/{second.pk}/refund/", follow=True)
    assert done.redirect_chain[-1][0] == "/workspace/payments/"
    assert "đã được hoàn tiền" in done.content.decode()
    assert done.context["refunds_due"] == []
    again = dave.post(f"/workspace/payments/{second.pk}/refund/", follow=True)
    assert "đã được hoàn tiền trước đó" in again.content.decode()
    assert Payment.objects.get(pk=second.pk).events.filter(message=Message.REFUND).count() == 1
