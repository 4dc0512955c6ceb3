"""The demo's online payments are real: ``load-demo`` pays two dossiers through the gateway
simulator (VNPay's protocol over HTTP), so Payment rows are paid with receipts, the engine
recorded them with method ``online``, and the Decision 766 online payment points of the demo
ward's centre are earned from them, with their explanations. The year of history
(``--history``) has its online applicants pay online before their result is returned."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.demo.history import build_history
from motcua.demo.payments import DemoGateway
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.workflow import Action
from motcua.payments.models import Message, Payment, PaymentState
from motcua.reports.index766 import service_index


@pytest.mark.django_db(transaction=False)  # the national calendar of the migrations
def test_the_demo_pays_online_and_earns_the_766_payment_points() -> None:
    call_command("load-demo", stdout=StringIO())
    payments = Payment.objects.filter(dossier__receiving_agency__code="H82.50.01")
    assert payments.count() == 2
    for payment in payments:
        assert payment.state == PaymentState.PAID and payment.receipt_number
        assert payment.events.filter(message=Message.IPN, outcome="00:paid", verified=True)
        assert payment.dossier.fees_paid == payment.amount
    online = DossierEvent.objects.filter(action=Action.COLLECT_FEE, data__method="online")
    assert online.count() == 2

    today = timezone.localdate()
    index = service_index(today - dt.timedelta(days=31), today)
    group = next(g for g in index.agency("H82.50.01").groups if g.group.key == "online_payment")
    earned = {c.component.measure: c for c in group.components}
    assert earned["dossiers_paid_online"].points > 0
    assert earned["procedures_paid_online"].points > 0
    measure = earned["dossiers_paid_online"].measure
    assert (measure.numerator, measure.denominator) == (2, 3)  # two online, one in cash
    assert earned["dossiers_paid_online"].explanation.startswith("2/3")
    call_command("load-demo", stdout=StringIO())
    assert Payment.objects.count() == 2  # a rerun pays nothing twice


@pytest.mark.django_db(transaction=False)  # the national calendar of the migrations
def test_the_years_online_dossiers_pay_online_before_their_result_is_returned() -> None:
    call_command("load-demo", stdout=StringIO())
    before = Payment.objects.count()
    with DemoGateway() as gateway:
        outcomes = build_history(timezone.now(), 60, progress=lambda _text: None, gateway=gateway)
    paid = Payment.objects.filter(state=PaymentState.PAID).count() - before
    assert outcomes["paid_online"] == paid > 0
    for payment in Payment.objects.order_by("-pk")[:paid]:
        assert payment.dossier.owner_id == payment.payer_id
        returned = payment.dossier.events.get(action=Action.RETURN_RESULT).at
        assert payment.paid_at is not None and payment.paid_at < returned
