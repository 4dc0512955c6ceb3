"""The calendar admin saves through the services, so every change is an event."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.testing import make_user
from motcua.workdays.models import Calendar, CalendarEvent, CalendarEventAction, CalendarOverride
from motcua.workdays.services import add_override
from motcua.workdays.tests.factories import day, national

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client: Client) -> User:
    user = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def calendar_form(calendar: Calendar | None = None, **changes: Any) -> dict[str, Any]:
    """The POST body of the calendar change form with its override inline."""
    data: dict[str, Any] = {
        "code": "HNI",
        "name": "Lịch Hà Nội",
        "parent": national().pk,
        "holiday_country": "VN",
        "time_zone": "Asia/Ho_Chi_Minh",
        "morning_start": "07:00",
        "morning_end": "11:30",
        "afternoon_start": "13:30",
        "afternoon_end": "17:00",
        "intake_cutoff": "15:00",
        "overrides-TOTAL_FORMS": "0",
        "overrides-INITIAL_FORMS": "0",
        "overrides-MIN_NUM_FORMS": "0",
        "overrides-MAX_NUM_FORMS": "1000",
    }
    if calendar is not None:
        rows = list(calendar.overrides.order_by("-date"))
        data["overrides-TOTAL_FORMS"] = data["overrides-INITIAL_FORMS"] = str(len(rows))
        for index, row in enumerate(rows):
            data.update(
                {
                    f"overrides-{index}-id": row.pk,
                    f"overrides-{index}-calendar": calendar.pk,
                    f"overrides-{index}-date": row.date.isoformat(),
                    f"overrides-{index}-kind": row.kind,
                    f"overrides-{index}-reason": row.reason,
                    f"overrides-{index}-legal_basis": row.legal_basis,
                }
            )
    data.update(changes)
    return data


def new_row(data: dict[str, Any], **fields: str) -> dict[str, Any]:
    index = int(data["overrides-TOTAL_FORMS"])
    data["overrides-TOTAL_FORMS"] = str(index + 1)
    data.update({f"overrides-{index}-{name}": value for name, value in fields.items()})
    return data


def test_adding_a_calendar_with_an_override_records_both(client: Client, root: User) -> None:
    """The add form creates the calendar and its override through the services."""
    data = new_row(calendar_form(), date="2026-03-04", kind="day_off", reason="Lễ hội")
    response = client.post("/admin/workdays/calendar/add/", data)
    assert response.status_code == 302, response.content[:2000]
    hni = Calendar.objects.get(code="HNI")
    assert hni.overrides.get().date == dt.date(2026, 3, 4)
    actions = list(
        CalendarEvent.objects.filter(calendar=hni).values_list("action", "actor__username")
    )
    assert actions == [
        (CalendarEventAction.CREATED, "root"),
        (CalendarEventAction.OVERRIDE_ADDED, "root"),
    ]


def test_changing_settings_and_overrides_in_the_admin_appends_events(
    client: Client, root: User
) -> None:
    """Cut-off moved, one override changed, one removed, one added: four events."""
    vn = national()
    add_override(vn, actor=None, date=day("2026-03-04"), kind="day_off", reason="A")
    add_override(vn, actor=None, date=day("2026-03-05"), kind="day_off", reason="B")
    data = calendar_form(vn, code="VN", name=vn.name, parent="", intake_cutoff="16:00")
    # Rows are ordered newest first: 0 is 5/3, 1 is 4/3.
    data["overrides-0-DELETE"] = "on"
    data["overrides-1-kind"] = "morning_only"
    new_row(data, date="2026-03-06", kind="afternoon_only", reason="C")
    response = client.post(f"/admin/workdays/calendar/{vn.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    vn.refresh_from_db()
    assert vn.intake_cutoff == dt.time(16)
    assert dict(CalendarOverride.objects.filter(calendar=vn).values_list("date", "kind")) == {
        dt.date(2026, 3, 4): "morning_only",
        dt.date(2026, 3, 6): "afternoon_only",
    }
    actions = set(
        CalendarEvent.objects.filter(calendar=vn, actor=root).values_list("action", flat=True)
    )
    assert actions == {
        CalendarEventAction.SETTINGS_CHANGED,
        CalendarEventAction.OVERRIDE_CHANGED,
        CalendarEventAction.OVERRIDE_REMOVED,
        CalendarEventAction.OVERRIDE_ADDED,
    }


def test_the_calendar_page_lists_the_coming_years_special_days(client: Client, root: User) -> None:
    """Any twelve months hold Labour Day, named in Vietnamese."""
    response = client.get(f"/admin/workdays/calendar/{national().pk}/change/")
    assert response.status_code == 200
    assert "Ngày Quốc tế Lao động" in response.content.decode()


def test_calendars_cannot_be_deleted_and_events_cannot_be_edited(
    client: Client, root: User
) -> None:
    """History is kept: no delete for calendars, no add, change or delete for events."""
    vn = national()
    event = CalendarEvent.objects.filter(calendar=vn).first()
    assert event is not None
    assert client.get(f"/admin/workdays/calendar/{vn.pk}/delete/").status_code == 403
    assert client.get("/admin/workdays/calendarevent/add/").status_code == 403
    assert client.get(f"/admin/workdays/calendarevent/{event.pk}/delete/").status_code == 403
    page = client.get(f"/admin/workdays/calendarevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_staff_without_rights_on_the_calendar_only_view_it(client: Client) -> None:
    """A staff user with Django's model permissions but no calendar role cannot change VN."""
    from django.contrib.auth.models import Permission

    clerk = make_user("clerk", is_staff=True)
    clerk.user_permissions.set(
        Permission.objects.filter(codename__in=["view_calendar", "change_calendar"])
    )
    client.force_login(clerk)
    vn = national()
    response = client.post(
        f"/admin/workdays/calendar/{vn.pk}/change/",
        calendar_form(vn, code="VN", parent="", intake_cutoff="16:00"),
    )
    assert response.status_code == 403
    vn.refresh_from_db()
    assert vn.intake_cutoff == dt.time(15)
