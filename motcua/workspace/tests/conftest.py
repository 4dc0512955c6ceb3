"""Dossiers for the workspace tests, built through the real intake and services."""

import pytest

from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.test import Cast


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


@pytest.fixture
def received(cast: Cast, case: Case) -> Dossier:
    """A dossier alice received at the desk a moment ago (status 2)."""
    return intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)
