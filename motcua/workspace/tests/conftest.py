"""Dossiers for the workspace tests, built through the real intake and services."""

import pytest

from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import assign, complete_intake, household_business_case
from motcua.testing import Cast


@pytest.fixture
def case(cast: Cast) -> Case:
    """The household-business case H56.22 receives and decides, with H56.23 (ivan's other
    agency) coordinating, so dossiers may be transferred there."""
    case = household_business_case(cast.agency)
    assign(case, cast.other_agency)
    return case


@pytest.fixture
def received(cast: Cast, case: Case) -> Dossier:
    """A dossier alice received at the desk a moment ago (status 2)."""
    return intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo data (``motcua load-demo``), committed so a live server sees it. The live
    server's transactional tests flush the database after each test, so each end-to-end test
    loads its own copy (5–25 s with the tests' fast password hasher, by the machine's load).
    A transactional test before this one also flushed the national calendar that a migration
    creates, so the same migration function puts it back first."""
    import importlib

    from django.apps import apps

    from motcua.demo.services import load_demo

    national = importlib.import_module("motcua.workdays.migrations.0002_national_calendar")
    national.create_national_calendar(apps, None)
    load_demo(progress=lambda _text: None)
