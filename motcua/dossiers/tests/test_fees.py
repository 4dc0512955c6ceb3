"""Fees collected at the desk (``services.collect_fee``): who may record them, how much, with
which receipt and method, the event they leave; and returning a result while a fee is owed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.dossiers.workflow import Action, Status
from motcua.testing import Cast


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)  # one charge of 100,000 đồng


@pytest.fixture
def received(cast: Cast, case: Case) -> Dossier:
    return intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )


def _collect(dossier: Dossier, cast: Cast, **overrides: object) -> Dossier:
    kwargs: dict[str, object] = {
        "actor": cast.alice,
        "amount": Decimal(100000),
        "receipt": "0000123",
        "method": "cash",
        "now": at("2026-03-02T09:05"),
        **overrides,
    }
    return services.collect_fee(dossier, **kwargs)  # type: ignore[arg-type]


def _code(refusal: pytest.ExceptionInfo[ValidationError], field: str) -> str | None:
    return refusal.value.error_dict[field][0].code


def _processed(dossier: Dossier, cast: Cast) -> Dossier:
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    services.forward(dossier, actor=cast.bob, now=at("2026-03-03T10:00"))
    services.forward(dossier, actor=cast.carol, now=at("2026-03-03T11:00"))
    services.approve(dossier, actor=cast.dave, result="GCN số 1", now=at("2026-03-04T09:00"))
    assert dossier.status == Status.PROCESSED
    return dossier


def test_the_desk_records_a_fee_with_its_receipt_and_method(cast: Cast, received: Dossier) -> None:
    _collect(received, cast, method="transfer")
    assert received.fees_due == Decimal(100000) and received.fees_paid == Decimal(100000)
    assert services.fees_owed(received) == 0
    assert received.status == Status.RECEIVED  # collecting a fee moves nothing else
    event = received.events.get(action=Action.COLLECT_FEE)
    assert event.actor == cast.alice and event.at == at("2026-03-02T09:05")
    assert event.data == {
        "amount": "100000",
        "receipt": "0000123",
        "method": "transfer",
        "fees_paid": "100000",
        "fees_owed": "0",
    }


def test_a_fee_may_be_paid_in_parts(cast: Cast, received: Dossier) -> None:
    _collect(received, cast, amount=Decimal(40000), receipt="A1")
    _collect(received, cast, amount=Decimal(60000), receipt="A2", method="card")
    assert received.fees_paid == Decimal(100000)
    assert received.events.filter(action=Action.COLLECT_FEE).count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"amount": Decimal(0)}, "amount", "fee_amount"),
        ({"amount": Decimal(-5)}, "amount", "fee_amount"),
        ({"amount": Decimal(100001)}, "amount", "fee_more_than_owed"),
        ({"receipt": "  "}, "receipt", "fee_receipt"),
        ({"method": "cheque"}, "method", "payment_method"),
    ],
)
def test_wrong_amounts_receipts_and_methods_are_refused_with_a_code(
    cast: Cast, received: Dossier, overrides: dict[str, object], field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _collect(received, cast, **overrides)
    assert _code(refused, field) == code
    received.refresh_from_db()
    assert received.fees_paid == 0 and not received.events.filter(action="collect_fee").exists()


def test_one_receipt_is_recorded_once(cast: Cast, received: Dossier) -> None:
    """The same receipt sent twice (a double submit) does not count the fee twice."""
    _collect(received, cast, amount=Decimal(50000))
    with pytest.raises(ValidationError) as refused:
        _collect(received, cast, amount=Decimal(50000))
    assert _code(refused, "receipt") == "payment_receipt_recorded"
    received.refresh_from_db()
    assert received.fees_paid == Decimal(50000)


def test_only_the_receiving_desk_collects_fees(cast: Cast, received: Dossier) -> None:
    for someone in (cast.bob, cast.carol, cast.dave, cast.erin, cast.henry, cast.oscar):
        with pytest.raises(ActionRefused):
            _collect(received, cast, actor=someone)
    # ivan is a desk officer, but of another agency.
    with pytest.raises(ActionRefused):
        _collect(received, cast, actor=cast.ivan)
    received.refresh_from_db()
    assert received.fees_paid == 0


def test_fees_are_collected_while_open_or_at_the_return_never_after(
    cast: Cast, received: Dossier
) -> None:
    _processed(received, cast)
    _collect(received, cast, now=at("2026-03-04T10:00"))  # at the return
    services.return_result(received, actor=cast.alice, method="in_person")
    with pytest.raises(ActionRefused):
        _collect(received, cast, amount=Decimal(1), receipt="late")


def test_returning_with_a_fee_owed_needs_a_reason_recorded_in_the_event(
    cast: Cast, received: Dossier
) -> None:
    _processed(received, cast)
    with pytest.raises(ValidationError) as refused:
        services.return_result(received, actor=cast.alice, method="in_person")
    assert _code(refused, "unpaid_reason") == "return_unpaid_fee"
    assert "100,000 VND" in refused.value.message_dict["unpaid_reason"][0]
    received.refresh_from_db()
    assert received.status == Status.PROCESSED
    services.return_result(
        received, actor=cast.alice, method="post", unpaid_reason="Nộp qua bưu điện khi nhận"
    )
    event = received.events.get(action=Action.RETURN_RESULT)
    assert event.data["fees_owed"] == "100000"
    assert event.data["unpaid_reason"] == "Nộp qua bưu điện khi nhận"
    assert event.reason == "Nộp qua bưu điện khi nhận"


def test_returning_after_the_fee_is_paid_needs_no_reason(cast: Cast, received: Dossier) -> None:
    _collect(received, cast)
    _processed(received, cast)
    services.return_result(received, actor=cast.alice, method="in_person", note="Nhận tại quầy")
    event = received.events.get(action=Action.RETURN_RESULT)
    assert "fees_owed" not in event.data and event.reason == "Nhận tại quầy"


def test_a_financial_obligation_is_paid_the_same_way(cast: Cast, received: Dossier) -> None:
    """``confirm_payment`` records its receipt and method like a fee at the desk, and counts
    into the same paid total; a receipt is not recorded twice across both."""
    _collect(received, cast)
    services.forward(received, actor=cast.alice, now=at("2026-03-02T10:00"))
    services.request_payment(
        received, actor=cast.bob, amount=Decimal(2000000), reason="Tiền sử dụng đất"
    )
    assert services.fees_owed(received) == Decimal(2000000)
    with pytest.raises(ValidationError) as refused:
        services.confirm_payment(
            received, actor=cast.alice, amount=Decimal(2000000), receipt="0000123"
        )
    assert _code(refused, "receipt") == "payment_receipt_recorded"
    services.confirm_payment(
        received, actor=cast.alice, amount=Decimal(2000000), receipt="KB-77", method="transfer"
    )
    assert received.status == Status.PROCESSING
    assert services.fees_owed(received) == 0
    event = received.events.get(action=Action.CONFIRM_PAYMENT)
    assert (event.data["receipt"], event.data["method"]) == ("KB-77", "transfer")
    assert event.data["fees_owed"] == "0"
