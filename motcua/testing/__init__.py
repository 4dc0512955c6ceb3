"""Shared test helpers: named users for every role, plus an outsider, built through the real
models; tests import these factories instead of writing rows by hand.

alice – desk officer, bob – specialist, carol – head of department, dave – signing leader,
erin – agency administrator, frank – reform officer (all agencies), grace – system administrator,
henry – citizen, oscar – outsider (no role at all). Officials work in the agency ``H56.22``;
ivan holds roles in two agencies.
"""

import datetime as dt
from typing import Any

from motcua.accounts.models import (
    Agency,
    AgencyKind,
    Role,
    RoleAssignment,
    User,
)
from motcua.workdays.models import Calendar

TEST_PASSWORD = "correct horse battery staple"


def make_calendar(code: str = "VN", **fields: object) -> Calendar:
    calendar, _ = Calendar.objects.get_or_create(
        code=code, defaults={"name": f"Lịch {code}", **fields}
    )
    return calendar


def make_agency(
    code: str = "H56.22",
    name: str = "Trung tâm Phục vụ hành chính công tỉnh",
    kind: str = AgencyKind.PUBLIC_ADMINISTRATION_SERVICE_CENTRE,
    calendar: Calendar | None = None,
    **fields: object,
) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code=code,
        defaults={"name": name, "kind": kind, "calendar": calendar or make_calendar(), **fields},
    )
    return agency


def make_user(username: str, *roles: tuple[str, Agency | None], **fields: object) -> User:
    user = User.objects.create_user(
        username=username,
        password=TEST_PASSWORD,
        full_name=str(fields.pop("full_name", username.title())),
        email=f"{username}@example.vn",
        **fields,
    )
    for role, agency in roles:
        RoleAssignment.objects.create(user=user, role=role, agency=agency)
    return user


class Cast:
    """The named test users, created on demand in one agency (and a second for ivan)."""

    def __init__(self, agency: Agency | None = None, other: Agency | None = None) -> None:
        self.agency = agency or make_agency()
        self.other_agency = other or make_agency(
            "H56.23", "Sở Tư pháp", AgencyKind.PROVINCIAL_DEPARTMENT
        )
        a = self.agency
        self.alice = make_user("alice", (Role.DESK_OFFICER, a))
        self.bob = make_user("bob", (Role.SPECIALIST, a))
        self.carol = make_user("carol", (Role.HEAD_OF_DEPARTMENT, a))
        self.dave = make_user("dave", (Role.SIGNING_LEADER, a))
        self.erin = make_user("erin", (Role.AGENCY_ADMIN, a))
        self.frank = make_user("frank", (Role.REFORM_OFFICER, None))
        self.grace = make_user("grace", (Role.SYSTEM_ADMIN, None))
        self.henry = make_user("henry", (Role.CITIZEN, None), id_number="079123456789")
        self.ivan = make_user("ivan", (Role.SPECIALIST, a), (Role.DESK_OFFICER, self.other_agency))
        self.oscar = make_user("oscar")


def aware(text: str) -> dt.datetime:
    """An aware datetime in Vietnam's time zone from ``YYYY-MM-DDTHH:MM``."""
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def problems(response: Any) -> list[str]:
    """The codes of an API error answer (``{code, message, field?, errors}``), in order:
    what tests assert instead of the translated messages."""
    return [problem["code"] for problem in response.json()["errors"]]


def field_problems(response: Any) -> dict[str, list[str]]:
    """The codes of an API error answer by field (``""`` for those about no one field)."""
    found: dict[str, list[str]] = {}
    for problem in response.json()["errors"]:
        found.setdefault(problem.get("field", ""), []).append(problem["code"])
    return found


def field_codes(form: Any) -> dict[str, list[str]]:
    """The codes of a bound form's errors by field (``__all__`` above the form)."""
    return {
        field: [error.code or "" for error in errors]
        for field, errors in form.errors.as_data().items()
    }
