"""The scheduled reconciliation: with the IPN blocked at the simulator, the worker's
``reconcile-payments`` run (every 5 minutes) asks the gateway about a payment 15 minutes old
and the dossier resumes — within 15 + 5 minutes of paying, under the issue's 30."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.jobs import tasks
from motcua.jobs.schedule import SCHEDULE, Every
from motcua.jobs.worker import Loop
from motcua.payments import services
from motcua.payments.models import Payment, PaymentState
from motcua.payments.simulator import GatewaySimulator
from motcua.payments.tests.conftest import SECRET, TMN_CODE
from motcua.payments.tests.test_services import RETURN_URL, pay
from motcua.testing import Cast


@pytest.fixture
def blocked(vnpay: Any) -> Iterator[GatewaySimulator]:
    """The simulator with its IPN never sent."""
    simulator = GatewaySimulator(
        tmn_code=TMN_CODE,
        hash_secret=SECRET,
        ipn_url="http://127.0.0.1:9/never",
        ipn_enabled=False,
    ).start()
    vnpay.MOTCUA_VNPAY_URL = simulator.pay_url
    vnpay.MOTCUA_VNPAY_API_URL = simulator.api_url
    yield simulator
    simulator.stop()


def test_the_reconciliation_runs_every_five_minutes_after_fifteen(settings: Any) -> None:
    entry = next(e for e in SCHEDULE if e.name == "reconcile-payments")
    assert entry.when == Every(dt.timedelta(minutes=5))
    assert dt.timedelta(minutes=15) == settings.MOTCUA_PAYMENT_RECONCILE_AFTER
    assert entry.when.period + settings.MOTCUA_PAYMENT_RECONCILE_AFTER <= dt.timedelta(minutes=30)


@pytest.mark.django_db
def test_with_the_ipn_blocked_the_worker_still_brings_the_dossier_to_paid(
    cast: Cast, owing: Dossier, blocked: GatewaySimulator
) -> None:
    paid_at = timezone.now() - dt.timedelta(minutes=16)
    payment, url = services.start_payment(
        owing, payer=cast.henry, return_url=RETURN_URL, ip_address="127.0.0.1", now=paid_at
    )
    pay(url)
    assert blocked.ipn_calls == []
    assert Payment.objects.get().state == PaymentState.PENDING

    run = tasks.reconcile_payments.enqueue()
    assert Loop().run_one() is True
    run.refresh()
    assert run.status == TaskResultStatus.SUCCESSFUL and run.return_value == {"changed": 1}
    payment.refresh_from_db()
    owing.refresh_from_db()
    assert payment.state == PaymentState.PAID and owing.status == Status.PROCESSING


@pytest.mark.django_db
def test_a_payment_the_gateway_never_heard_of_stays_pending(
    cast: Cast, owing: Dossier, blocked: GatewaySimulator
) -> None:
    """Started, but the citizen never reached the gateway: querydr answers 91, nothing moves."""
    services.start_payment(
        owing,
        payer=cast.henry,
        return_url=RETURN_URL,
        ip_address="127.0.0.1",
        now=timezone.now() - dt.timedelta(minutes=16),
    )
    assert services.reconcile() == 0
    payment = Payment.objects.get()
    assert payment.state == PaymentState.PENDING
    assert payment.events.last().outcome == "query_refused:91"  # type: ignore[union-attr]
