"""The daily comparison with the gateway's settlement file, over HTTP against the simulator:
a payment and a refund both sides know match; a transaction the gateway alone settled, one we
hold paid that the file does not list, one the gateway settled that we never recorded paid
(its IPN lost) and one of another amount are each recorded with the run; a file fetched with
the wrong secret is refused and the run says why; the worker's daily job and the command."""

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.jobs import tasks
from motcua.jobs.schedule import SCHEDULE, DailyAt
from motcua.jobs.worker import Loop
from motcua.payments import gateway as gw
from motcua.payments import services
from motcua.payments.models import MismatchKind, Payment, PaymentState, SettlementRun
from motcua.payments.settlement import compare_settlement, yesterday
from motcua.payments.simulator import GatewaySimulator, Transaction
from motcua.payments.tests.conftest import OBLIGATION
from motcua.payments.tests.test_services import RETURN_URL, pay
from motcua.testing import Cast

pytestmark = pytest.mark.django_db(transaction=True)


def today() -> dt.date:
    return timezone.now().astimezone(gw.VIETNAM).date()


def paid_payments(cast: Cast, owing: Dossier, count: int) -> list[tuple[Payment, str]]:
    """``count`` payments of the same obligation, started before any is paid (tabs)."""
    return [
        services.start_payment(
            owing, payer=cast.henry, return_url=RETURN_URL, ip_address="127.0.0.1"
        )
        for _ in range(count)
    ]


def test_a_day_where_both_sides_agree_matches_everything(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    [(payment, url)] = paid_payments(cast, owing, 1)
    pay(url)
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID and payment.gateway_paid_at is not None
    services.refund(payment, actor=cast.alice)

    run = compare_settlement(today())
    assert (run.error, run.gateway_rows, run.our_rows) == ("", 2, 2)
    assert (run.matched, run.mismatched) == (2, 0)
    assert len(run.file_sha256) == 64
    assert not run.mismatches.exists()


def test_every_unmatched_transaction_is_recorded_with_its_kind(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    (agreed, url1), (lost_ipn, url2), (other_amount, url3), (ours_only, url4) = paid_payments(
        cast, owing, 4
    )
    pay(url1)
    simulator.ipn_enabled = False
    pay(url2)  # the gateway took the money; its IPN never reached us
    simulator.ipn_enabled = True
    pay(url3)
    pay(url4)
    simulator.transactions[other_amount.txn_ref].amount = OBLIGATION + 1000
    del simulator.transactions[ours_only.txn_ref]
    simulator.transactions["FOREIGN01"] = Transaction(
        txn_ref="FOREIGN01",
        amount=50000,
        order_info="Khong phai cua chung ta",
        return_url=RETURN_URL,
        created_date=gw.vnpay_date(timezone.now()),
        status="00",
        response_code="00",
        transaction_no="99000001",
        pay_date=gw.vnpay_date(timezone.now()),
    )

    run = compare_settlement(today(), actor=cast.grace)
    assert (run.gateway_rows, run.our_rows, run.matched, run.mismatched) == (4, 3, 1, 4)
    found = {m.txn_ref: m for m in run.mismatches.all()}
    assert found["FOREIGN01"].kind == MismatchKind.GATEWAY_ONLY
    assert found["FOREIGN01"].payment is None and found["FOREIGN01"].gateway_amount == 50000
    assert found[lost_ipn.txn_ref].kind == MismatchKind.STATUS
    assert found[lost_ipn.txn_ref].our_state == PaymentState.PENDING
    assert found[other_amount.txn_ref].kind == MismatchKind.AMOUNT
    assert (found[other_amount.txn_ref].gateway_amount, found[other_amount.txn_ref].our_amount) == (
        OBLIGATION + 1000,
        OBLIGATION,
    )
    assert found[ours_only.txn_ref].kind == MismatchKind.OURS_ONLY
    assert found[ours_only.txn_ref].payment == ours_only
    assert agreed.txn_ref not in found
    assert run.actor == cast.grace


def test_a_refund_the_gateway_made_but_we_did_not_record_is_unmatched(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    [(payment, url)] = paid_payments(cast, owing, 1)
    pay(url)
    simulator.transactions[payment.txn_ref].refunds.append(
        (OBLIGATION, gw.REFUND_FULL, gw.vnpay_date(timezone.now()))
    )
    run = compare_settlement(today())
    [mismatch] = run.mismatches.all()
    assert (mismatch.kind, mismatch.is_refund, mismatch.payment) == (
        MismatchKind.GATEWAY_ONLY,
        True,
        payment,
    )


def test_another_days_file_lists_nothing_of_today(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    [(_payment, url)] = paid_payments(cast, owing, 1)
    pay(url)
    run = compare_settlement(today() - dt.timedelta(days=1))
    assert (run.gateway_rows, run.our_rows, run.mismatched) == (0, 0, 0)


def test_a_file_fetched_with_the_wrong_secret_is_refused_and_the_run_says_why(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator, settings: Any
) -> None:
    settings.MOTCUA_VNPAY_HASH_SECRET = "not-the-merchants-secret"
    run = compare_settlement(today())
    assert "403" in run.error and run.mismatched == 0 and not run.file_sha256
    assert SettlementRun.objects.get() == run


def test_the_csv_shape_round_trips() -> None:
    row = gw.SettlementRow("MC1", "14000001", gw.PAYMENT, "00", 250000, "NCB", "20261206093000")
    body = gw.settlement_csv([row], "MOTCUA01")
    assert body.decode().splitlines()[0] == ",".join(gw.SETTLEMENT_COLUMNS)
    assert gw.parse_settlement(body) == (row,)
    with pytest.raises(gw.GatewayError):
        gw.parse_settlement(b"TxnRef,Amount\r\nMC1,5\r\n")


def test_the_worker_compares_yesterdays_file_every_morning(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    entry = next(e for e in SCHEDULE if e.name == "compare-settlement")
    assert entry.when == DailyAt(dt.time(4, 0))
    result = tasks.compare_settlement_file.enqueue()
    assert Loop().run_one() is True
    result.refresh()
    run = SettlementRun.objects.get()
    assert run.settlement_date == yesterday() and run.actor is None
    assert result.return_value["id"] == run.pk and result.return_value["error"] == ""


def test_the_command_prints_the_unmatched_transactions(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    [(payment, url)] = paid_payments(cast, owing, 1)
    pay(url)
    del simulator.transactions[payment.txn_ref]
    out = io.StringIO()
    call_command("compare-settlement", date=today().isoformat(), stdout=out)
    assert "1 unmatched" in out.getvalue()
    assert f"ours_only {payment.txn_ref}" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("compare-settlement", date="2026-13-01")
