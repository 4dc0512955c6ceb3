"""Feedback test data: the household-business procedure, decided by H56.22 (so feedback about
it is routed there at once), and Mon 2 March 2026 09:00 as the submission instant."""

import pytest

from motcua.catalogue.models import Case
from motcua.dossiers.tests.factories import household_business_case
from motcua.testing import Cast


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)
