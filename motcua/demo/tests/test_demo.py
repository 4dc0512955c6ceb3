"""The demo data loads whole, twice without duplicates, in both the two- and three-tier shape."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.accounts import permissions
from motcua.accounts.models import AdministrativeUnit, Agency, Role, User
from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.dossiers.models import Dossier
from motcua.workdays.models import CalendarEvent


@pytest.mark.django_db(transaction=False)
def test_the_demo_loads_and_a_rerun_adds_nothing() -> None:
    call_command("load-demo", stdout=StringIO())
    counts = (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        ProcedureVersion.objects.count(),
    )
    call_command("load-demo", stdout=StringIO())
    assert (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        ProcedureVersion.objects.count(),
    ) == counts
    assert Procedure.objects.count() >= 30

    # Three tiers until 30 June 2025, two tiers from 1 July 2025, side by side.
    old_ward = AdministrativeUnit.objects.get(level="commune", code="28264", valid_from=None)
    assert old_ward.parent is not None and old_ward.parent.level == "district"
    assert old_ward.valid_to == dt.date(2025, 6, 30)
    new_ward = old_ward.successor
    assert new_ward is not None and new_ward.full_name == "Phường Mỹ Tho"
    assert new_ward.parent is not None and new_ward.parent.level == "province"
    assert new_ward.is_valid_on(dt.date(2026, 1, 1))
    tien_giang = AdministrativeUnit.objects.get(level="province", code="82", valid_from=None)
    assert tien_giang.successor is not None
    assert tien_giang.successor.full_name == "Tỉnh Đồng Tháp"
    assert AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True).count() == 62

    # Agencies of the seed era point along the chain of successors to today's.
    labour = Agency.objects.get(code="H59.16")
    assert labour.successor is not None and labour.successor.code == "H59.15"
    assert labour.successor.successor is not None
    assert labour.successor.successor.code == "H82.23"

    # Users for each role; one holds roles in two agencies.
    for role in Role.values:
        assert User.objects.filter(role_assignments__role=role).exists(), role
    mytho = User.objects.get(username="mytho")
    assert permissions.agency_ids_with_role(mytho, permissions.OFFICER_ROLES) == set(
        Agency.objects.filter(code__in=["H82.50", "H82.50.01"]).values_list("pk", flat=True)
    )
    assert User.objects.get(username="motcua").check_password("motcua-demo")

    # Every procedure in force is received somewhere and decided somewhere.
    for version in ProcedureVersion.objects.filter(status="published"):
        roles = set(version.procedure.assignments.values_list("role", flat=True))
        assert roles == {"receiving", "competent"}, version.procedure.code

    # Demo dossiers in every state at Mỹ Tho ward's centre, each with its events.
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {"1", "2", "3", "4", "5", "9", "10"} <= statuses
    assert all(d.events.exists() for d in Dossier.objects.all())

    # The provincial calendar was made through its services and has its history.
    actions = set(
        CalendarEvent.objects.filter(calendar__code="DTP").values_list("action", flat=True)
    )
    assert actions == {"created", "override_added"}
