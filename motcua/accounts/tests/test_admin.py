"""The admin changes units, agencies and two-factor devices only through the services, so each
change leaves its ``OrganisationEvent``."""

import datetime as dt

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts import two_factor
from motcua.accounts.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    OrganisationAction,
    OrganisationEvent,
    UnitLevel,
)
from motcua.testing import Cast


@pytest.fixture
def grace(client: Client, cast: Cast) -> Client:
    """grace, system administrator and superuser, signed in to the admin."""
    cast.grace.is_staff = True
    cast.grace.is_superuser = True
    cast.grace.save()
    client.force_login(cast.grace)
    return client


def _unit(code: str, name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.create(
        code=code, level=UnitLevel.PROVINCE, name=name, full_name=f"Tỉnh {name}"
    )


def test_closing_a_unit_in_the_admin_goes_through_close_unit(grace: Client, cast: Cast) -> None:
    """The last day, successor and legal basis close the unit and record ``unit_closed``; the
    unit's other fields are read-only and the renamed name is ignored."""
    old, new = _unit("31", "Hải Dương"), _unit("32", "Hải Phòng")
    response = grace.post(
        f"/admin/accounts/administrativeunit/{old.pk}/change/",
        {
            "name": "Renamed",
            "valid_to": "2025-06-30",
            "successor": str(new.pk),
            "legal_basis": "Nghị quyết 202/2025/QH15",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    old.refresh_from_db()
    assert (old.valid_to, old.successor, old.name) == (dt.date(2025, 6, 30), new, "Hải Dương")
    event = OrganisationEvent.objects.get(action=OrganisationAction.UNIT_CLOSED)
    assert (event.unit, event.actor) == (old, cast.grace)
    assert event.data["successor"] == "32"


def test_a_closed_unit_and_new_units_cannot_be_edited_in_the_admin(
    grace: Client, cast: Cast
) -> None:
    old = _unit("31", "Hải Dương")
    assert grace.get("/admin/accounts/administrativeunit/add/").status_code == 403
    grace.post(
        f"/admin/accounts/administrativeunit/{old.pk}/change/",
        {"valid_to": "2025-06-30", "successor": "", "legal_basis": "NQ 202/2025/QH15"},
    )
    grace.post(
        f"/admin/accounts/administrativeunit/{old.pk}/change/",
        {"valid_to": "2026-01-01", "successor": "", "legal_basis": "Other"},
    )
    old.refresh_from_db()
    assert old.valid_to == dt.date(2025, 6, 30)
    assert OrganisationEvent.objects.filter(action=OrganisationAction.UNIT_CLOSED).count() == 1


def _agency_form(cast: Cast, **values: str) -> dict[str, str]:
    return {
        "code": "H56.30",
        "name": "Sở Xây dựng",
        "short_name": "",
        "kind": AgencyKind.PROVINCIAL_DEPARTMENT,
        "parent": "",
        "unit": "",
        "calendar": str(cast.agency.calendar_id),
        "address": "",
        "phone": "",
        "email": "",
        "valid_from": "",
        "valid_to": "",
        "successor": "",
        **values,
    }


def test_the_agency_admin_creates_changes_and_closes_through_the_services(
    grace: Client, cast: Cast
) -> None:
    """Adding records ``agency_created``, a changed detail ``agency_changed`` with the old and
    new values, a last day ``agency_closed``."""
    added = grace.post("/admin/accounts/agency/add/", _agency_form(cast))
    assert added.status_code == 302, added.content.decode()[:2000]
    agency = Agency.objects.get(code="H56.30")
    url = f"/admin/accounts/agency/{agency.pk}/change/"
    changed = grace.post(url, _agency_form(cast, name="Sở Xây dựng tỉnh", phone="0283"))
    assert changed.status_code == 302, changed.content.decode()[:2000]
    closed = grace.post(
        url,
        _agency_form(
            cast, name="Sở Xây dựng tỉnh", phone="0283", valid_to="2025-06-30",
            successor=str(cast.other_agency.pk),
        ),
    )  # fmt: skip
    assert closed.status_code == 302, closed.content.decode()[:2000]
    agency.refresh_from_db()
    assert (agency.name, agency.phone) == ("Sở Xây dựng tỉnh", "0283")
    assert (agency.valid_to, agency.successor) == (dt.date(2025, 6, 30), cast.other_agency)
    events = OrganisationEvent.objects.filter(agency=agency).order_by("pk")
    assert [e.action for e in events] == ["agency_created", "agency_changed", "agency_closed"]
    assert events[1].data["changes"] == {
        "name": ["Sở Xây dựng", "Sở Xây dựng tỉnh"],
        "phone": ["", "0283"],
    }
    assert all(e.actor == cast.grace for e in events)


def test_two_factor_devices_are_read_only_in_the_admin(grace: Client, cast: Cast) -> None:
    """The devices' pages show who has one, never its secret; nothing is added, changed or
    deleted there."""
    device = two_factor.start_enrolment(user=cast.alice)
    assert grace.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    page = grace.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    response = grace.post(
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        {"user": cast.alice.pk, "confirmed": "on"},
    )
    assert response.status_code == 403
    assert grace.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/").status_code == 403
    assert TOTPDevice.objects.get(pk=device.pk).confirmed is False


def test_every_two_factor_change_records_its_event(cast: Cast) -> None:
    """Turning it on, a recovery code used and turning it off are each an event."""
    from django_otp.oath import totp

    device = two_factor.start_enrolment(user=cast.alice)
    code = f"{totp(device.bin_key):06d}"
    _, codes = two_factor.confirm_enrolment(user=cast.alice, token=code)
    assert two_factor.check_code(user=cast.alice, token=codes[0]) is not None
    assert two_factor.turn_off(user=cast.alice, token=codes[1])
    actions = list(
        OrganisationEvent.objects.filter(subject=cast.alice).values_list("action", flat=True)
    )
    assert actions == ["two_factor_enabled", "recovery_code_used", "two_factor_disabled"]
    assert not TOTPDevice.objects.filter(user=cast.alice).exists()
