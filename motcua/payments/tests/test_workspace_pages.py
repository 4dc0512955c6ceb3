"""The leaders' online payments pages in the workspace (``/workspace/payments/``): the daily
settlement comparisons and a run's unmatched transactions, made over HTTP against the
simulator. The agency's signing leader and head of department see their agency's mismatches;
a system administrator sees every one, the gateway's alone included; a leader of another
agency sees none of them; desk officers, specialists, administrators, reform officers,
citizens and outsiders get 403."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.dossiers.models import Dossier
from motcua.payments import gateway as gw
from motcua.payments import services
from motcua.payments.models import SettlementRun
from motcua.payments.settlement import compare_settlement
from motcua.payments.simulator import GatewaySimulator, Transaction
from motcua.payments.tests.test_services import RETURN_URL, pay
from motcua.testing import Cast, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def a_run_with_two_mismatches(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> SettlementRun:
    """One payment of ``owing`` paid at the gateway but not recorded (its IPN lost), and a
    transaction the gateway alone settled."""
    _payment, url = services.start_payment(
        owing, payer=cast.henry, return_url=RETURN_URL, ip_address="127.0.0.1"
    )
    simulator.ipn_enabled = False
    pay(url)
    now = gw.vnpay_date(timezone.now())
    simulator.transactions["FOREIGN01"] = Transaction(
        "FOREIGN01", 50000, "Ngoai he thong", RETURN_URL, now, "00", "00", "99000001", now
    )
    run = compare_settlement(timezone.now().astimezone(gw.VIETNAM).date())
    assert run.mismatched == 2
    return run


def test_the_agencys_leaders_see_their_mismatches_and_the_administrator_all(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    run = a_run_with_two_mismatches(cast, owing, simulator)
    for leader in (cast.dave, cast.carol):
        client = signed_in(leader)
        listing = client.get("/workspace/payments/")
        assert listing.status_code == 200
        assert [r.visible for r in listing.context["runs"]] == [1]
        assert (
            "Đối soát hằng ngày với tệp quyết toán của cổng thanh toán" in listing.content.decode()
        )
        detail = client.get(f"/workspace/payments/settlement/{run.pk}/")
        body = detail.content.decode()
        assert owing.code in body and "FOREIGN01" not in body
        assert "trạng thái khác nhau" in body
    everything = signed_in(cast.grace).get(f"/workspace/payments/settlement/{run.pk}/")
    assert "FOREIGN01" in everything.content.decode() and owing.code in everything.content.decode()
    assert "chỉ có ở cổng thanh toán" in everything.content.decode()


def test_a_leader_of_another_agency_sees_the_run_but_none_of_its_mismatches(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    run = a_run_with_two_mismatches(cast, owing, simulator)
    other = make_user("olga", (Role.SIGNING_LEADER, cast.other_agency))
    client = signed_in(other)
    assert [r.visible for r in client.get("/workspace/payments/").context["runs"]] == [0]
    detail = client.get(f"/workspace/payments/settlement/{run.pk}/")
    assert list(detail.context["mismatches"]) == []
    assert owing.code not in detail.content.decode()


@pytest.mark.parametrize("name", ["alice", "bob", "erin", "frank", "henry", "oscar"])
def test_others_may_not_oversee_payments(cast: Cast, name: str) -> None:
    client = signed_in(getattr(cast, name))
    assert client.get("/workspace/payments/").status_code == 403
    assert client.get("/workspace/payments/settlement/1/").status_code == 403
    assert "nav-payments" not in client.get("/workspace/security/").content.decode()


def test_the_list_takes_as_many_queries_for_four_runs_as_for_one(
    cast: Cast, owing: Dossier, simulator: GatewaySimulator
) -> None:
    a_run_with_two_mismatches(cast, owing, simulator)
    client = signed_in(cast.dave)
    client.get("/workspace/payments/")
    with CaptureQueriesContext(connection) as one:
        client.get("/workspace/payments/")
    for _ in range(3):
        compare_settlement(timezone.now().date(), actor=cast.grace)
    with CaptureQueriesContext(connection) as four:
        response = client.get("/workspace/payments/")
    assert len(response.context["runs"]) == 4
    assert len(four.captured_queries) == len(one.captured_queries)
    assert "nav-payments" in response.content.decode()
