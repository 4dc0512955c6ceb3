"""Satisfaction fixtures: a procedure received at H56.22 and the questionnaire in force."""

import pytest

from motcua.catalogue.models import Case
from motcua.dossiers.tests.factories import birth_registration_case
from motcua.satisfaction.models import Questionnaire
from motcua.satisfaction.tests.factories import questionnaire
from motcua.testing import Cast


@pytest.fixture
def birth(cast: Cast) -> Case:
    """ "Đăng ký khai sinh" (1.001193), fully online, received and decided at H56.22."""
    return birth_registration_case(cast.agency)


@pytest.fixture
def asked(db: None) -> Questionnaire:
    """The questionnaire in force, with its four questions."""
    return questionnaire()
