"""Permission helpers, checked for each role and for an outsider."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts import permissions
from motcua.accounts.models import AgencyKind, Role, RoleAssignment
from motcua.testing import Cast, make_agency, make_calendar, make_user


def test_only_the_system_administrator_is_system_admin(cast: Cast) -> None:
    """Only grace (role) is a system administrator; a superuser counts as one too."""
    assert permissions.is_system_admin(cast.grace)
    for user in [cast.alice, cast.bob, cast.carol, cast.dave, cast.erin, cast.frank, cast.henry]:
        assert not permissions.is_system_admin(user), user.username
    assert not permissions.is_system_admin(cast.oscar)
    assert not permissions.is_system_admin(AnonymousUser())
    cast.oscar.is_superuser = True
    assert permissions.is_system_admin(cast.oscar)


def test_officers_work_only_in_their_agencies(cast: Cast) -> None:
    """Desk officer, specialist, head and leader are officers of H56.22 and of no other
    agency; the administrator, reform officer, citizen and outsider are officers nowhere."""
    for user in [cast.alice, cast.bob, cast.carol, cast.dave]:
        assert permissions.is_officer_of(user, cast.agency), user.username
        assert not permissions.is_officer_of(user, cast.other_agency), user.username
    for user in [cast.erin, cast.frank, cast.grace, cast.henry, cast.oscar]:
        assert not permissions.is_officer_of(user, cast.agency), user.username


def test_a_user_can_hold_roles_in_several_agencies(cast: Cast) -> None:
    """ivan is a specialist in H56.22 and a desk officer in H56.23."""
    assert permissions.roles_in(cast.ivan, cast.agency) == {Role.SPECIALIST}
    assert permissions.roles_in(cast.ivan, cast.other_agency) == {Role.DESK_OFFICER}
    assert permissions.agency_ids_with_role(cast.ivan, permissions.OFFICER_ROLES) == {
        cast.agency.pk,
        cast.other_agency.pk,
    }


def test_roles_outside_their_validity_do_not_count(cast: Cast) -> None:
    """A role that ended yesterday grants nothing today."""
    RoleAssignment.objects.filter(user=cast.alice).update(valid_to=dt.date(2020, 1, 1))
    assert not permissions.is_officer_of(cast.alice, cast.agency)
    assert permissions.active_assignments(cast.alice, on=dt.date(2019, 6, 1)).exists()


def test_inactive_users_hold_no_role(cast: Cast) -> None:
    cast.bob.is_active = False
    cast.bob.save()
    assert not permissions.is_officer_of(cast.bob, cast.agency)


def test_agency_administrators_administer_their_agency_and_those_below(cast: Cast) -> None:
    """erin administers H56.22 and its branch, not H56.23; grace administers everything."""
    branch = make_agency("H56.22.01", "Chi nhánh", AgencyKind.BRANCH, parent=cast.agency)
    assert permissions.can_administer_agency(cast.erin, cast.agency)
    assert permissions.can_administer_agency(cast.erin, branch)
    assert not permissions.can_administer_agency(cast.erin, cast.other_agency)
    assert permissions.can_administer_agency(cast.grace, cast.other_agency)
    for user in [cast.alice, cast.bob, cast.carol, cast.dave, cast.frank, cast.henry, cast.oscar]:
        assert not permissions.can_administer_agency(user, cast.agency), user.username


def test_only_system_administrators_manage_the_catalogue(cast: Cast) -> None:
    assert permissions.can_manage_catalogue(cast.grace)
    for user in [cast.alice, cast.bob, cast.carol, cast.dave, cast.erin, cast.frank, cast.henry]:
        assert not permissions.can_manage_catalogue(user), user.username
    assert not permissions.can_manage_catalogue(cast.oscar)


def test_calendars_are_managed_by_whoever_administers_every_agency_using_them(
    cast: Cast,
) -> None:
    """erin may change a provincial calendar used only by her agency, never the national one
    nor one that another agency also uses."""
    national = make_calendar("VN")
    own = make_calendar("H56", parent=national)
    cast.agency.calendar = own
    cast.agency.save()
    assert permissions.can_manage_calendar(cast.erin, own.pk, own.parent_id)
    assert not permissions.can_manage_calendar(cast.erin, national.pk, None)
    cast.other_agency.calendar = own
    cast.other_agency.save()
    assert not permissions.can_manage_calendar(cast.erin, own.pk, own.parent_id)
    assert permissions.can_manage_calendar(cast.grace, national.pk, None)
    for user in [cast.alice, cast.bob, cast.frank, cast.henry, cast.oscar]:
        assert not permissions.can_manage_calendar(user, own.pk, own.parent_id), user.username


def test_reform_officers_read_reports_across_agencies(cast: Cast) -> None:
    """frank (no agency) reads every agency; a head reads only their own; a desk officer,
    a citizen and an outsider read none."""
    assert permissions.report_agency_ids(cast.frank) is None
    assert permissions.can_read_reports(cast.frank, cast.other_agency)
    assert permissions.can_read_reports(cast.carol, cast.agency)
    assert not permissions.can_read_reports(cast.carol, cast.other_agency)
    assert permissions.can_read_reports(cast.dave, cast.agency)
    for user in [cast.alice, cast.bob, cast.erin, cast.henry, cast.oscar]:
        assert not permissions.can_read_reports(user), user.username
    assert not permissions.can_read_reports(AnonymousUser())


def test_a_reform_officer_attached_to_an_agency_reads_only_that_agency(db: None) -> None:
    agency = make_agency()
    other = make_agency("H56.23", "Sở Tư pháp", AgencyKind.PROVINCIAL_DEPARTMENT)
    zoe = make_user("zoe", (Role.REFORM_OFFICER, agency))
    assert permissions.can_read_reports(zoe, agency)
    assert not permissions.can_read_reports(zoe, other)


def test_citizens_are_recognised(cast: Cast) -> None:
    assert permissions.is_citizen(cast.henry)
    assert not permissions.is_citizen(cast.alice)
    assert not permissions.is_citizen(cast.oscar)


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.AGENCY_ADMIN])
def test_agency_roles_need_an_agency_at_the_database_level(db: None, role: str) -> None:
    """The check constraint refuses an agency role without an agency."""
    from django.db import IntegrityError, transaction

    user = make_user("zoe")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=role, agency=None)
