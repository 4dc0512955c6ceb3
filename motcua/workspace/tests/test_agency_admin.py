"""Agency administration screens: who reaches them (only administrators of the agency, 404 for
any other agency even by URL), users and roles (create, grant, revoke, remove access, no
escalation, no locking oneself out), internal processes (the statutory sum, input kept on a
refusal) and calendar overrides (open dossiers rescheduled, the count in the message)."""

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.accounts import services as accounts
from motcua.accounts.models import (
    Agency,
    OrganisationAction,
    OrganisationEvent,
    Role,
    RoleAssignment,
    User,
)
from motcua.catalogue.models import (
    Case,
    CatalogueAction,
    CatalogueEvent,
    InternalProcess,
    ProcessStep,
)
from motcua.catalogue.specs import DocumentSpec
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import (
    complete_intake,
    household_business_case,
    publish_case,
)
from motcua.dossiers.workflow import Action
from motcua.testing import TEST_PASSWORD, Cast, aware, field_codes, make_user
from motcua.testing.browser import SCREENSHOTS
from motcua.workdays.models import (
    Calendar,
    CalendarEvent,
    CalendarEventAction,
    CalendarOverride,
)
from motcua.workdays.tests.factories import national, provincial

AGENCY = "H56.22"
OTHER = "H56.23"


def client_for(user: User | None) -> Client:
    """A test client signed in as ``user``, reading the English msgids (stable whatever the
    Vietnamese catalogue holds)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def erin(cast: Cast) -> Client:
    return client_for(cast.erin)


@pytest.fixture
def other_case(cast: Cast) -> Case:
    """A procedure assigned only to the other agency."""
    return publish_case(
        cast.other_agency,
        code="1.001193",
        name="Đăng ký khai sinh",
        field=("HT", "Hộ tịch"),
        documents=(DocumentSpec("Tờ khai đăng ký khai sinh", "original"),),
        decision="2/QĐ-UBND",
    )


@pytest.fixture
def hni(cast: Cast) -> Calendar:
    """A provincial calendar used only by erin's agency, so erin may change it."""
    calendar = provincial("HNI")
    Agency.objects.filter(pk=cast.agency.pk).update(calendar=calendar)
    cast.agency.refresh_from_db()
    return calendar


def pages(code: str, case: Case) -> list[str]:
    return [
        f"/workspace/admin/{code}/users/",
        f"/workspace/admin/{code}/processes/",
        f"/workspace/admin/{code}/processes/{case.pk}/",
        f"/workspace/admin/{code}/calendar/",
    ]


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def events(action: str) -> list[OrganisationEvent]:
    return list(OrganisationEvent.objects.filter(action=action).order_by("pk"))


# --- access ------------------------------------------------------------------------------


def test_the_index_lists_only_the_agencies_the_user_administers(cast: Cast, erin: Client) -> None:
    page = text(erin.get("/workspace/admin/"))
    assert f"/workspace/admin/{AGENCY}/users/" in page
    assert f"/workspace/admin/{OTHER}/" not in page


def test_a_system_administrator_sees_every_agency(cast: Cast) -> None:
    page = text(client_for(cast.grace).get("/workspace/admin/"))
    assert f"/workspace/admin/{AGENCY}/users/" in page
    assert f"/workspace/admin/{OTHER}/users/" in page


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "frank", "henry", "oscar"])
def test_the_index_is_refused_to_people_who_administer_nothing(cast: Cast, who: str) -> None:
    assert client_for(getattr(cast, who)).get("/workspace/admin/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(cast: Cast, case: Case) -> None:
    for url in ["/workspace/admin/", *pages(AGENCY, case)]:
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/workspace/login/" in response["Location"]


def test_an_agency_administrator_reaches_every_page_of_their_agency(
    cast: Cast, case: Case, erin: Client
) -> None:
    for url in pages(AGENCY, case):
        assert erin.get(url).status_code == 200, url


def test_another_agency_s_pages_are_not_found_even_by_url(
    cast: Cast, case: Case, other_case: Case, erin: Client
) -> None:
    for url in pages(OTHER, other_case):
        assert erin.get(url).status_code == 404, url
    # Writes too: nothing is created at the other agency.
    response = erin.post(
        f"/workspace/admin/{OTHER}/users/new/",
        {"username": "mallory", "full_name": "M", "email": "m@example.vn", "role": "desk_officer"},
    )
    assert response.status_code == 404
    assert erin.post(f"/workspace/admin/{OTHER}/users/grant/", {}).status_code == 404
    assert not User.objects.filter(username="mallory").exists()


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "ivan", "henry", "oscar"])
def test_officers_citizens_and_outsiders_get_404_on_agency_pages(
    cast: Cast, case: Case, who: str
) -> None:
    client = client_for(getattr(cast, who))
    for url in pages(AGENCY, case):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/workspace/admin/{AGENCY}/users/grant/", {}).status_code == 404


def test_an_unknown_agency_code_is_not_found(cast: Cast) -> None:
    assert client_for(cast.grace).get("/workspace/admin/X99/users/").status_code == 404


def test_the_top_bar_links_to_agency_administration_for_administrators_only(
    cast: Cast, erin: Client
) -> None:
    assert 'href="/workspace/admin/"' in text(erin.get(f"/workspace/admin/{AGENCY}/users/"))
    assert 'href="/workspace/admin/"' in text(client_for(cast.grace).get("/workspace/admin/"))
    assert 'href="/workspace/admin/"' not in text(client_for(cast.alice).get("/workspace/"))


# --- users and roles ---------------------------------------------------------------------


def test_the_users_page_lists_the_roles_held_at_this_agency_only(cast: Cast, erin: Client) -> None:
    page = text(erin.get(f"/workspace/admin/{AGENCY}/users/"))
    for username in ["alice", "bob", "carol", "dave", "erin", "ivan"]:
        assert f'data-username="{username}"' in page
    assert 'data-username="grace"' not in page
    ivan = page.split('data-username="ivan"')[1].split("</tr>")[0]
    assert "specialist" in ivan and "desk officer" not in ivan  # his desk role is at H56.23


def _users_page_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/workspace/admin/{AGENCY}/users/").status_code == 200
    return len(queries)


def test_the_users_page_runs_a_bounded_number_of_queries(cast: Cast, erin: Client) -> None:
    few = _users_page_queries(erin)
    for n in range(12):
        make_user(f"officer{n}", (Role.SPECIALIST, cast.agency), (Role.DESK_OFFICER, cast.agency))
    assert _users_page_queries(erin) == few
    assert few <= 15, few


def test_an_administrator_adds_an_officer_with_a_temporary_password_shown_once(
    cast: Cast, erin: Client
) -> None:
    response = erin.post(
        f"/workspace/admin/{AGENCY}/users/new/",
        {
            "username": "linh",
            "full_name": "Phạm Thị Linh",
            "email": "linh@example.vn",
            "phone": "",
            "role": "desk_officer",
            "password": "",
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = re.search(r'id="temporary-password">([^<]+)<', response.content.decode())
    assert password is not None
    linh = User.objects.get(username="linh")
    assert linh.full_name == "Phạm Thị Linh" and linh.check_password(password.group(1))
    assert RoleAssignment.objects.filter(
        user=linh, role=Role.DESK_OFFICER, agency=cast.agency
    ).exists()
    [event] = events(OrganisationAction.ROLE_GRANTED)
    assert (event.subject, event.actor, event.agency) == (linh, cast.erin, cast.agency)
    assert event.data == {"role": "desk_officer", "account_created": True, "username": "linh"}
    # The new officer signs in and reaches the queues.
    new = Client()
    # (Through the sign-in page: the lock-out needs the request that ``Client.login`` lacks.)
    signed_in = new.post("/workspace/login/", {"username": "linh", "password": password.group(1)})
    assert signed_in.status_code == 302
    assert new.get("/workspace/").status_code == 200
    # The password is on that one answer only.
    assert password.group(1) not in text(erin.get(f"/workspace/admin/{AGENCY}/users/"))


def test_an_administrator_may_set_the_password_instead(cast: Cast, erin: Client) -> None:
    response = erin.post(
        f"/workspace/admin/{AGENCY}/users/new/",
        {
            "username": "minh",
            "full_name": "Lê Văn Minh",
            "phone": "0912000111",
            "role": "specialist",
            "password": "mua-xuan-tren-song-tien-2026",
        },
    )
    assert response.status_code == 200
    assert "mua-xuan-tren-song-tien-2026" not in response.content.decode()
    assert User.objects.get(username="minh").check_password("mua-xuan-tren-song-tien-2026")


def test_adding_an_officer_keeps_the_input_and_puts_errors_next_to_the_fields(
    cast: Cast, erin: Client
) -> None:
    response = erin.post(
        f"/workspace/admin/{AGENCY}/users/new/",
        {
            "username": "ALICE",
            "full_name": "Nguyễn Thị Tâm",
            "email": "",
            "phone": "",
            "role": "specialist",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert 'value="Nguyễn Thị Tâm"' in page and 'value="ALICE"' in page
    assert "Give an e-mail address or a phone number." in page
    assert User.objects.filter(username__iexact="alice").count() == 1
    # The service's refusal (username taken) lands next to the username.
    response = erin.post(
        f"/workspace/admin/{AGENCY}/users/new/",
        {"username": "Alice", "full_name": "Tâm", "email": "t@example.vn", "role": "specialist"},
    )
    assert response.status_code == 400
    form = response.context["officer_form"]
    assert field_codes(form) == {"username": ["username_taken"]}
    assert 'value="t@example.vn"' in text(response)


def test_a_weak_password_is_refused_next_to_the_password(cast: Cast, erin: Client) -> None:
    response = erin.post(
        f"/workspace/admin/{AGENCY}/users/new/",
        {
            "username": "yen",
            "full_name": "Yến",
            "email": "yen@example.vn",
            "role": "specialist",
            "password": "12345678",
        },
    )
    assert response.status_code == 400
    assert response.context["officer_form"].errors["password"]
    assert not User.objects.filter(username="yen").exists()


def test_system_administrator_cannot_be_granted_from_the_screens(cast: Cast, erin: Client) -> None:
    for role in [Role.SYSTEM_ADMIN, Role.REFORM_OFFICER, Role.CITIZEN]:
        response = erin.post(
            f"/workspace/admin/{AGENCY}/users/grant/", {"username": "oscar", "role": role}
        )
        assert response.status_code == 400
        assert response.context["grant_form"].errors["role"]
    assert not RoleAssignment.objects.filter(user=cast.oscar).exists()
    # Nor through the services the screens call.
    with pytest.raises(ValidationError):
        accounts.create_officer(
            agency=cast.agency,
            role=Role.SYSTEM_ADMIN,
            username="root2",
            full_name="Root",
            password=TEST_PASSWORD,
            actor=cast.erin,
        )
    with pytest.raises(PermissionDenied):
        accounts.grant_role(cast.oscar, Role.SYSTEM_ADMIN, actor=cast.erin)
    with pytest.raises(PermissionDenied):
        accounts.create_officer(
            agency=cast.other_agency,
            role=Role.DESK_OFFICER,
            username="spy",
            full_name="Spy",
            password=TEST_PASSWORD,
            actor=cast.erin,
        )
    assert not User.objects.filter(username__in=["root2", "spy"]).exists()


def test_an_administrator_grants_a_role_to_an_existing_user(cast: Cast, erin: Client) -> None:
    response = erin.post(
        f"/workspace/admin/{AGENCY}/users/grant/",
        {"username": "Oscar", "role": "specialist"},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=cast.oscar, role=Role.SPECIALIST, agency=cast.agency
    ).exists()
    [event] = events(OrganisationAction.ROLE_GRANTED)
    assert (event.subject, event.actor, event.data) == (
        cast.oscar,
        cast.erin,
        {"role": "specialist"},
    )
    # Granting it again, or to nobody, says so next to the field.
    again = erin.post(
        f"/workspace/admin/{AGENCY}/users/grant/",
        {"username": "oscar", "role": "specialist"},
    )
    assert again.status_code == 400
    assert field_codes(again.context["grant_form"]) == {"role": ["role_already_held"]}
    nobody = erin.post(
        f"/workspace/admin/{AGENCY}/users/grant/", {"username": "nobody", "role": "specialist"}
    )
    assert nobody.status_code == 400 and 'value="nobody"' in text(nobody)


def test_an_administrator_revokes_a_role_and_it_is_recorded(cast: Cast, erin: Client) -> None:
    assignment = RoleAssignment.objects.get(user=cast.bob, agency=cast.agency)
    response = erin.post(f"/workspace/admin/{AGENCY}/roles/{assignment.pk}/revoke/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    [event] = events(OrganisationAction.ROLE_REVOKED)
    assert (event.subject, event.actor, event.data) == (cast.bob, cast.erin, {"role": "specialist"})


def test_a_role_at_another_agency_cannot_be_touched(cast: Cast, erin: Client) -> None:
    elsewhere = RoleAssignment.objects.get(user=cast.ivan, agency=cast.other_agency)
    assert erin.post(f"/workspace/admin/{AGENCY}/roles/{elsewhere.pk}/revoke/").status_code == 404
    assert erin.post(f"/workspace/admin/{OTHER}/roles/{elsewhere.pk}/revoke/").status_code == 404
    assert erin.post(f"/workspace/admin/{OTHER}/users/{cast.ivan.pk}/remove/").status_code == 404
    assert RoleAssignment.objects.filter(pk=elsewhere.pk).exists()
    with pytest.raises(PermissionDenied):
        accounts.revoke_agency_role(elsewhere, actor=cast.erin)
    assert not events(OrganisationAction.ROLE_REVOKED)


def test_an_administrator_cannot_remove_a_role_of_their_own(cast: Cast, erin: Client) -> None:
    """Issue 10 item 2: nobody revokes their own role (another administrator does it)."""
    own = RoleAssignment.objects.get(user=cast.erin, role=Role.AGENCY_ADMIN)
    response = erin.post(f"/workspace/admin/{AGENCY}/roles/{own.pk}/revoke/")
    assert response.status_code == 403
    assert "role of your own" in text(response)
    response = erin.post(f"/workspace/admin/{AGENCY}/users/{cast.erin.pk}/remove/")
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert not events(OrganisationAction.ROLE_REVOKED)


def test_not_even_an_administrator_of_the_parent_agency_drops_their_own_role(cast: Cast) -> None:
    """Administering the agency through its parent changes nothing: it is still one's own."""
    parent = Agency.objects.create(
        code="H56", name="UBND tỉnh", kind="provincial_pc", calendar=cast.agency.calendar
    )
    Agency.objects.filter(pk=cast.agency.pk).update(parent=parent)
    accounts.grant_role(cast.erin, Role.AGENCY_ADMIN, parent, actor=None)
    own = RoleAssignment.objects.get(user=cast.erin, role=Role.AGENCY_ADMIN, agency=cast.agency)
    response = client_for(cast.erin).post(f"/workspace/admin/{AGENCY}/roles/{own.pk}/revoke/")
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_a_system_administrator_may_remove_an_agency_administrator(cast: Cast) -> None:
    response = client_for(cast.grace).post(
        f"/workspace/admin/{AGENCY}/users/{cast.erin.pk}/remove/"
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=cast.erin).exists()


def test_removing_access_takes_every_role_here_and_nothing_elsewhere(
    cast: Cast, erin: Client
) -> None:
    accounts.grant_role(cast.ivan, Role.HEAD_OF_DEPARTMENT, cast.agency, actor=None)
    response = erin.post(f"/workspace/admin/{AGENCY}/users/{cast.ivan.pk}/remove/")
    assert response.status_code == 302
    assert list(RoleAssignment.objects.filter(user=cast.ivan).values_list("role", "agency")) == [
        (Role.DESK_OFFICER.value, cast.other_agency.pk)
    ]
    revoked = events(OrganisationAction.ROLE_REVOKED)
    assert sorted(e.data["role"] for e in revoked) == ["head_of_department", "specialist"]
    assert {(e.actor, e.agency) for e in revoked} == {(cast.erin, cast.agency)}
    assert User.objects.get(pk=cast.ivan.pk).is_active  # the account itself stays


# --- internal processes ------------------------------------------------------------------


def _steps(*rows: tuple[str, str, str, str], deleted: tuple[int, ...] = ()) -> dict[str, str]:
    data = {
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "1",
        "steps-MAX_NUM_FORMS": "50",
    }
    for i, (name, role, unit, allowance) in enumerate(rows):
        data |= {
            f"steps-{i}-name": name,
            f"steps-{i}-role": role,
            f"steps-{i}-unit": unit,
            f"steps-{i}-allowance": allowance,
            f"steps-{i}-agency": "",
        }
        if i in deleted:
            data[f"steps-{i}-DELETE"] = "on"
    return data


def test_the_processes_page_lists_the_assigned_procedures_and_their_process(
    cast: Cast, case: Case, other_case: Case, erin: Client
) -> None:
    page = text(erin.get(f"/workspace/admin/{AGENCY}/processes/"))
    assert "2.000720" in page and "1.001193" not in page
    assert "catalogue template, 5 steps" in page
    assert f"/workspace/admin/{AGENCY}/processes/{case.pk}/" in page


def test_the_editor_starts_from_the_template_with_the_statutory_total(
    cast: Cast, case: Case, erin: Client
) -> None:
    response = erin.get(f"/workspace/admin/{AGENCY}/processes/{case.pk}/")
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 5
    page = text(response)
    assert 'id="statutory">5<' in page and 'id="running-sum" class="sum-ok">5<' in page
    assert "Thẩm định hồ sơ" in page


def test_saving_a_process_that_adds_up_sets_the_agency_s_own_process(
    cast: Cast, case: Case, erin: Client
) -> None:
    data = _steps(
        ("Tiếp nhận", "desk_officer", "Một cửa", "0,5"),
        ("Bước bỏ đi", "specialist", "Phòng", "9"),
        ("Thẩm định", "specialist", "Phòng Kinh tế", "3,5"),
        ("Ký duyệt", "signing_leader", "Lãnh đạo", "1"),
        deleted=(1,),
    )
    response = erin.post(f"/workspace/admin/{AGENCY}/processes/{case.pk}/", data)
    assert response.status_code == 302
    process = InternalProcess.objects.get(case=case, agency=cast.agency)
    steps = list(process.steps.order_by("position").values_list("position", "name", "allowance"))
    assert steps == [
        (1, "Tiếp nhận", Decimal("0.5")),
        (2, "Thẩm định", Decimal("3.5")),
        (3, "Ký duyệt", Decimal("1")),
    ]
    assert InternalProcess.objects.get(case=case, agency=None).steps.count() == 5  # untouched
    event = CatalogueEvent.objects.get(action=CatalogueAction.PROCESS_SET)
    assert event.actor == cast.erin and event.data["agency"] == AGENCY
    page = text(erin.get(f"/workspace/admin/{AGENCY}/processes/"))
    assert "own process, 3 steps" in page


def test_a_process_that_does_not_add_up_is_refused_with_the_input_kept(
    cast: Cast, case: Case, erin: Client
) -> None:
    data = _steps(
        ("Tiếp nhận hồ sơ mới", "desk_officer", "Một cửa", "1"),
        ("Thẩm định thực địa", "specialist", "Phòng Kinh tế", "2"),
    )
    response = erin.post(f"/workspace/admin/{AGENCY}/processes/{case.pk}/", data)
    assert response.status_code == 400
    page = text(response)
    assert "The steps add up to 3 working days but the statutory time is 5 working days" in page
    assert 'value="Thẩm định thực địa"' in page and 'value="Phòng Kinh tế"' in page
    assert 'id="running-sum" class="sum-off">3<' in page
    assert not InternalProcess.objects.filter(case=case, agency=cast.agency).exists()
    assert not CatalogueEvent.objects.filter(action=CatalogueAction.PROCESS_SET).exists()


def test_a_row_with_errors_is_shown_next_to_its_field(cast: Cast, case: Case, erin: Client) -> None:
    data = _steps(("", "desk_officer", "Một cửa", "abc"), ("Ký", "signing_leader", "LĐ", "5"))
    response = erin.post(f"/workspace/admin/{AGENCY}/processes/{case.pk}/", data)
    assert response.status_code == 400
    first = response.context["formset"].forms[0]
    assert set(first.errors) == {"name", "allowance"}
    assert 'value="abc"' in text(response)
    assert not InternalProcess.objects.filter(case=case, agency=cast.agency).exists()


def test_an_unknown_agency_in_a_step_is_refused(cast: Cast, case: Case, erin: Client) -> None:
    data = _steps(("Tiếp nhận", "desk_officer", "Một cửa", "5"))
    data["steps-0-agency"] = "Z99"
    response = erin.post(f"/workspace/admin/{AGENCY}/processes/{case.pk}/", data)
    assert response.status_code == 400 and "Unknown agency: Z99" in text(response)


def test_a_case_not_assigned_to_the_agency_is_not_found(
    cast: Cast, case: Case, other_case: Case, erin: Client
) -> None:
    url = f"/workspace/admin/{AGENCY}/processes/{other_case.pk}/"
    assert erin.get(url).status_code == 404
    assert erin.post(url, _steps(("A", "desk_officer", "B", "5"))).status_code == 404
    assert not ProcessStep.objects.filter(process__agency=cast.agency).exists()


# --- calendar overrides ------------------------------------------------------------------


def test_the_calendar_page_lists_own_and_inherited_overrides_of_a_year(
    cast: Cast, hni: Calendar, erin: Client
) -> None:
    from motcua.workdays import services as workdays

    workdays.add_override(
        hni, actor=None, date=dt.date(2030, 3, 6), kind="day_off", reason="Lễ hội tỉnh"
    )
    workdays.add_override(
        national(), actor=None, date=dt.date(2030, 3, 8), kind="day_off", reason="Quốc gia"
    )
    workdays.add_override(
        hni, actor=None, date=dt.date(2031, 1, 2), kind="day_off", reason="Năm sau"
    )
    page = text(erin.get(f"/workspace/admin/{AGENCY}/calendar/?year=2030"))
    assert 'data-date="2030-03-06"' in page and "Lễ hội tỉnh" in page
    assert "Quốc gia" in page  # inherited from VN, read only
    assert "Năm sau" not in page
    assert 'name="kind"' in page  # erin may add


def test_adding_an_override_reschedules_open_dossiers_and_says_how_many(
    cast: Cast, case: Case, hni: Calendar, erin: Client
) -> None:
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=aware("2030-03-04T09:00")
    )
    due = dossier.due_at
    response = erin.post(
        f"/workspace/admin/{AGENCY}/calendar/?year=2030",
        {"date": "2030-03-06", "kind": "day_off", "reason": "Lễ hội", "legal_basis": "CV 12/UBND"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/workspace/admin/{AGENCY}/calendar/?year=2030", 302)]
    page = text(response)
    assert "The deadlines of 1 open dossier were moved." in page
    override = CalendarOverride.objects.get(calendar=hni)
    assert (override.date, override.kind, override.legal_basis) == (
        dt.date(2030, 3, 6),
        "day_off",
        "CV 12/UBND",
    )
    event = CalendarEvent.objects.get(calendar=hni, action=CalendarEventAction.OVERRIDE_ADDED)
    assert event.actor == cast.erin
    moved = Dossier.objects.get(pk=dossier.pk)
    assert moved.due_at is not None and due is not None and moved.due_at > due
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.DEADLINE_MOVED).exists()


def test_a_second_override_on_the_same_date_is_refused_next_to_the_date(
    cast: Cast, hni: Calendar, erin: Client
) -> None:
    data = {"date": "2030-03-06", "kind": "day_off", "reason": "Lễ hội", "legal_basis": ""}
    erin.post(f"/workspace/admin/{AGENCY}/calendar/", data)
    response = erin.post(
        f"/workspace/admin/{AGENCY}/calendar/",
        {**data, "reason": "Lần hai", "kind": "morning_only"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date"]
    assert 'value="Lần hai"' in text(response)
    assert CalendarOverride.objects.filter(calendar=hni).count() == 1


def test_an_invalid_override_keeps_the_input(cast: Cast, hni: Calendar, erin: Client) -> None:
    response = erin.post(
        f"/workspace/admin/{AGENCY}/calendar/",
        {"date": "31/02/2030", "kind": "day_off", "reason": "Giữ lại"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date"] and 'value="Giữ lại"' in text(response)


def test_a_shared_or_national_calendar_is_read_only_for_an_agency_administrator(
    cast: Cast, erin: Client
) -> None:
    page = text(erin.get(f"/workspace/admin/{AGENCY}/calendar/"))
    assert 'name="kind"' not in page and "national calendar" in page
    response = erin.post(
        f"/workspace/admin/{AGENCY}/calendar/",
        {"date": "2030-03-06", "kind": "day_off", "reason": "Không được"},
    )
    assert response.status_code == 403
    assert not CalendarOverride.objects.filter(reason="Không được").exists()


def test_removing_an_override_goes_through_the_service(
    cast: Cast, hni: Calendar, erin: Client
) -> None:
    erin.post(
        f"/workspace/admin/{AGENCY}/calendar/",
        {"date": "2030-03-06", "kind": "day_off", "reason": "Lễ hội"},
    )
    override = CalendarOverride.objects.get(calendar=hni)
    response = erin.post(
        f"/workspace/admin/{AGENCY}/calendar/{override.pk}/remove/", {"reason": "Nhầm ngày"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2030")
    assert not CalendarOverride.objects.filter(pk=override.pk).exists()
    event = CalendarEvent.objects.get(calendar=hni, action=CalendarEventAction.OVERRIDE_REMOVED)
    assert (event.actor, event.reason) == (cast.erin, "Nhầm ngày")


def test_an_override_of_another_calendar_cannot_be_removed_from_here(
    cast: Cast, hni: Calendar, erin: Client
) -> None:
    from motcua.workdays import services as workdays

    inherited = workdays.add_override(
        national(), actor=None, date=dt.date(2030, 3, 8), kind="day_off", reason="Quốc gia"
    ).override
    assert inherited is not None
    response = erin.post(f"/workspace/admin/{AGENCY}/calendar/{inherited.pk}/remove/")
    assert response.status_code == 404
    assert CalendarOverride.objects.filter(pk=inherited.pk).exists()


# --- in the browser ----------------------------------------------------------------------

# With UPDATE_DOCS_SCREENSHOTS=1 the screenshot refreshes the one docs/workspace.md shows.
DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_agency_administrator_edits_an_internal_process_in_the_browser(
    page: Any, live_server: Any
) -> None:
    cast = Cast()
    case = household_business_case(cast.agency)

    page.goto(f"{live_server.url}/workspace/login/?next=/workspace/admin/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("table.admin-agencies")
    page.click(f"a[href='/workspace/admin/{AGENCY}/processes/']")
    page.click(f"a[href='/workspace/admin/{AGENCY}/processes/{case.pk}/']")
    page.wait_for_selector("form.process-form")
    assert page.inner_text("#running-sum") == "5"

    # 2 → 1.5 days for the review: the sum no longer matches the statutory 5 days.
    page.fill("#id_steps-1-allowance", "1.5")
    assert page.inner_text("#running-sum") == "4,5"
    assert "sum-off" in (page.get_attribute("#running-sum", "class") or "")
    # Remove the last step and add one that takes a whole day instead.
    page.check("#id_steps-4-DELETE")
    assert page.inner_text("#running-sum") == "4"
    page.click("#add-step")
    page.fill("#id_steps-5-name", "Trả kết quả và lưu hồ sơ")
    page.select_option("#id_steps-5-role", "desk_officer")
    page.fill("#id_steps-5-unit", "Bộ phận Một cửa")
    page.fill("#id_steps-5-allowance", "1")
    assert page.inner_text("#running-sum") == "5"
    assert "sum-ok" in (page.get_attribute("#running-sum", "class") or "")
    DOCS.mkdir(parents=True, exist_ok=True)
    shot = DOCS / "workspace-agency-admin.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000

    page.click("form.process-form button[type=submit].primary")
    page.wait_for_selector(".messages li")
    process = InternalProcess.objects.get(case=case, agency=cast.agency)
    assert list(process.steps.order_by("position").values_list("name", "allowance")) == [
        ("Tiếp nhận hồ sơ", Decimal("0.5")),
        ("Thẩm định hồ sơ", Decimal("1.5")),
        ("Xem xét, trình ký", Decimal("1")),
        ("Ký duyệt", Decimal("1")),
        ("Trả kết quả và lưu hồ sơ", Decimal("1")),
    ]
