"""Portal test data, built through the real catalogue and intake services."""

import pytest

from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import (
    birth_registration_case,
    complete_intake,
    household_business_case,
)
from motcua.payments.tests.conftest import owing, simulator, vnpay  # noqa: F401 - for payments
from motcua.testing import Cast


@pytest.fixture
def birth(cast: Cast) -> Case:
    """ "Đăng ký khai sinh" (1.001193), fully online, received at H56.22."""
    return birth_registration_case(cast.agency)


@pytest.fixture
def business(cast: Cast) -> Case:
    """ "Đăng ký thành lập hộ kinh doanh" (2.000720), fully online, received at H56.22."""
    return household_business_case(cast.agency)


@pytest.fixture
def at_desk(cast: Cast, business: Case) -> Dossier:
    """A dossier alice received at the desk (no owner account)."""
    return intake.receive_new_dossier(
        complete_intake(business), agency=cast.agency, actor=cast.alice
    )


@pytest.fixture
def henrys(cast: Cast, birth: Case) -> Dossier:
    """A dossier henry (citizen) submitted online: he is its owner."""
    return intake.submit_online(
        complete_intake(birth, channel="online"), agency=cast.agency, actor=cast.henry
    )
