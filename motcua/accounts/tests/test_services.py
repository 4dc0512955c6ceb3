"""Organisation services: unit loading, closing units and agencies, granting roles."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from motcua.accounts import services
from motcua.accounts.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    OrganisationAction,
    OrganisationEvent,
    Role,
    RoleAssignment,
    UnitLevel,
)
from motcua.accounts.validators import validate_agency_code
from motcua.errors import refusal_codes
from motcua.testing import Cast, make_calendar, make_user

SAMPLE = [
    {
        "Code": "82",
        "Name": "Tiền Giang",
        "NameEn": "Tien Giang",
        "FullName": "Tỉnh Tiền Giang",
        "FullNameEn": "Tien Giang Province",
        "CodeName": "tien_giang",
        "District": [
            {
                "Code": "815",
                "Name": "Mỹ Tho",
                "NameEn": "My Tho",
                "FullName": "Thành phố Mỹ Tho",
                "FullNameEn": "My Tho City",
                "CodeName": "my_tho",
                "ProvinceCode": "82",
                "Ward": [
                    {
                        "Code": "28249",
                        "Name": "5",
                        "NameEn": "5",
                        "FullName": "Phường 5",
                        "FullNameEn": "Ward 5",
                        "CodeName": "5",
                        "DistrictCode": "815",
                    },
                    {
                        "Code": "28252",
                        "Name": "4",
                        "NameEn": "4",
                        "FullName": "Phường 4",
                        "FullNameEn": "Ward 4",
                        "CodeName": "4",
                        "DistrictCode": "815",
                    },
                ],
            }
        ],
    }
]


def test_loading_units_builds_the_three_tier_tree(db: None) -> None:
    counts = services.load_units(SAMPLE, source="sample")
    assert counts == {"created": 4, "updated": 0, "unchanged": 0}
    ward = AdministrativeUnit.objects.get(level=UnitLevel.COMMUNE, code="28249")
    assert ward.full_name == "Phường 5"
    assert ward.parent is not None and ward.parent.code == "815"
    assert ward.parent.parent is not None and ward.parent.parent.full_name == "Tỉnh Tiền Giang"


def test_loading_units_twice_creates_nothing_new(db: None) -> None:
    """A re-run is idempotent and only updates names that changed."""
    services.load_units(SAMPLE, source="sample")
    assert services.load_units(SAMPLE, source="sample") == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
    }
    renamed = json.loads(json.dumps(SAMPLE))
    renamed[0]["District"][0]["Ward"][0]["FullName"] = "Phường Năm"
    assert services.load_units(renamed, source="sample")["updated"] == 1
    assert AdministrativeUnit.objects.count() == 4
    assert OrganisationEvent.objects.filter(action=OrganisationAction.UNITS_LOADED).count() == 3


def test_the_shipped_data_set_loads_every_unit(db: None) -> None:
    """The March 2025 file has 63 provinces, 696 districts and 10,035 communes."""
    path = Path(__file__).resolve().parents[1] / "data" / "vn-admin-units-2025-03.json"
    out = StringIO()
    call_command("load-units", str(path), "--no-progress", stdout=out, stderr=StringIO())
    assert AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).count() == 63
    assert AdministrativeUnit.objects.filter(level=UnitLevel.DISTRICT).count() == 696
    assert AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE).count() == 10035
    assert "10794" in out.getvalue()


def test_load_units_explains_a_missing_or_malformed_file(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match="File not found"):
        call_command("load-units", str(tmp_path / "none.json"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"Code": 1}', encoding="utf-8")
    with pytest.raises(CommandError, match="must be a list of provinces"):
        call_command("load-units", str(bad))


def test_closing_a_unit_keeps_it_and_points_to_its_successor(db: None) -> None:
    """Resolution 202/2025/QH15: a merged province stays in history with its successor."""
    services.load_units(SAMPLE, source="sample")
    old = AdministrativeUnit.objects.get(level=UnitLevel.PROVINCE, code="82")
    new = AdministrativeUnit.objects.create(
        code="82",
        level=UnitLevel.PROVINCE,
        name="Đồng Tháp",
        full_name="Tỉnh Đồng Tháp",
        valid_from=dt.date(2025, 7, 1),
    )
    services.close_unit(
        old, last_day=dt.date(2025, 6, 30), successor=new, legal_basis="202/2025/QH15"
    )
    old.refresh_from_db()
    assert old.successor == new
    assert old.is_valid_on(dt.date(2025, 6, 30))
    assert not old.is_valid_on(dt.date(2025, 7, 1))
    assert new.is_valid_on(dt.date(2025, 7, 1))
    with pytest.raises(ValidationError):
        services.close_unit(old, last_day=dt.date(2025, 6, 30), successor=None, legal_basis="")


@pytest.mark.parametrize("code", ["H56", "H56.22", "G12.01.05", "A01.AB.123", "X99.01.02.03.04"])
def test_valid_agency_codes_pass(code: str) -> None:
    validate_agency_code(code)


@pytest.mark.parametrize(
    "code", ["h56", "H5", "56.22", "H56.", "H56..22", "H56-22", "H56.2", "H56.22.10.11.12.13.14"]
)
def test_invalid_agency_codes_are_refused_with_the_rule(code: str) -> None:
    with pytest.raises(ValidationError, match="20/2020") as refused:  # the message cites it
        validate_agency_code(code)
    assert refusal_codes(refused.value) == ["invalid_agency_code"]


def test_creating_an_agency_validates_its_code_and_records_an_event(db: None) -> None:
    calendar = make_calendar()
    agency = services.create_agency(
        actor=None,
        code="H56.40",
        name="Sở Xây dựng",
        kind=AgencyKind.PROVINCIAL_DEPARTMENT,
        calendar=calendar,
    )
    assert OrganisationEvent.objects.get(agency=agency).action == "agency_created"
    with pytest.raises(ValidationError):
        services.create_agency(
            actor=None, code="bad", name="X", kind=AgencyKind.OTHER, calendar=calendar
        )
    assert Agency.objects.count() == 1


def test_closing_an_agency_needs_a_system_administrator(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.close_agency(
            cast.other_agency,
            last_day=dt.date(2025, 2, 28),
            successor=cast.agency,
            actor=cast.erin,
            reason="merged",
        )
    closed = services.close_agency(
        cast.other_agency,
        last_day=dt.date(2025, 2, 28),
        successor=cast.agency,
        actor=cast.grace,
        reason="Decree 25/2025: merged",
    )
    assert closed.successor == cast.agency
    assert closed.valid_to == dt.date(2025, 2, 28)


def test_an_agency_administrator_grants_roles_only_in_their_agency(cast: Cast) -> None:
    zoe = make_user("zoe")
    services.grant_role(zoe, Role.SPECIALIST, cast.agency, actor=cast.erin)
    assert RoleAssignment.objects.filter(user=zoe, agency=cast.agency).exists()
    event = OrganisationEvent.objects.get(action=OrganisationAction.ROLE_GRANTED, subject=zoe)
    assert event.actor == cast.erin
    with pytest.raises(PermissionDenied):
        services.grant_role(zoe, Role.SPECIALIST, cast.other_agency, actor=cast.erin)
    with pytest.raises(PermissionDenied):
        services.grant_role(zoe, Role.REFORM_OFFICER, None, actor=cast.erin)
    with pytest.raises(PermissionDenied):
        services.grant_role(zoe, Role.DESK_OFFICER, cast.agency, actor=cast.alice)
    with pytest.raises(ValidationError):
        services.grant_role(zoe, Role.DESK_OFFICER, None, actor=cast.grace)
    with pytest.raises(ValidationError):
        services.grant_role(zoe, Role.CITIZEN, cast.agency, actor=cast.grace)


def test_revoking_a_role_leaves_an_event(cast: Cast) -> None:
    assignment = RoleAssignment.objects.get(user=cast.bob)
    services.revoke_role(assignment, actor=cast.erin)
    assert not RoleAssignment.objects.filter(user=cast.bob).exists()
    assert OrganisationEvent.objects.filter(
        action=OrganisationAction.ROLE_REVOKED, subject=cast.bob, actor=cast.erin
    ).exists()
