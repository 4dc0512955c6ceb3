"""Payment test data: henry's dossier waiting for a financial obligation, the gateway's
settings, and the simulator running as a real HTTP server on a free port whose IPN reaches the
site (``live_server``) over HTTP."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import birth_registration_case, complete_intake
from motcua.dossiers.workflow import Status
from motcua.payments.simulator import GatewaySimulator
from motcua.testing import Cast

TMN_CODE = "MOTCUA01"
SECRET = "test-only-hash-secret-0123456789"
OBLIGATION = 250000


@pytest.fixture
def vnpay(settings: Any) -> Any:
    settings.MOTCUA_VNPAY_TMN_CODE = TMN_CODE
    settings.MOTCUA_VNPAY_HASH_SECRET = SECRET
    return settings


@pytest.fixture
def birth(cast: Cast) -> Case:
    return birth_registration_case(cast.agency)


@pytest.fixture
def owing(cast: Cast, birth: Case) -> Dossier:
    """Henry's dossier, received and in processing, where bob asked for 250,000 đồng."""
    dossier = intake.submit_online(
        complete_intake(birth, channel="online"), agency=cast.agency, actor=cast.henry
    )
    services.receive(dossier, actor=cast.alice)
    services.forward(dossier, actor=cast.alice)
    services.request_payment(
        dossier, actor=cast.bob, amount=Decimal(OBLIGATION), reason="Lệ phí cấp bản sao"
    )
    assert dossier.status == Status.FINANCIAL_OBLIGATION
    assert services.fees_owed(dossier) == OBLIGATION
    return dossier


def start_simulator(live_server: Any, vnpay: Any, **options: Any) -> GatewaySimulator:
    simulator = GatewaySimulator(
        tmn_code=TMN_CODE,
        hash_secret=SECRET,
        ipn_url=live_server.url + reverse("payment-vnpay-ipn"),
        **options,
    ).start()
    vnpay.MOTCUA_VNPAY_URL = simulator.pay_url
    vnpay.MOTCUA_VNPAY_API_URL = simulator.api_url
    vnpay.MOTCUA_VNPAY_SETTLEMENT_URL = simulator.settlement_url
    return simulator


@pytest.fixture
def simulator(live_server: Any, vnpay: Any) -> Iterator[GatewaySimulator]:
    running = start_simulator(live_server, vnpay)
    yield running
    running.stop()
