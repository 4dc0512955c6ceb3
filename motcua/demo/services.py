"""Demo data: the real administrative units, an illustrative two-tier province built on them,
its agencies in both shapes, users for every role and the demo procedure catalogue.

The demo follows a real change: on 1 July 2025 Tiền Giang and Đồng Tháp merged into the new
Đồng Tháp province (Resolution 202/2025/QH15) and districts ended. Which old communes formed which
new ward, the new units' codes and the agencies' electronic ID codes are ILLUSTRATIVE (chosen for
the demo, not taken from the official lists). Everything is idempotent: a re-run adds nothing.
"""

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.accounts import services as accounts
from motcua.accounts.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    Role,
    UnitLevel,
    User,
)
from motcua.catalogue.interchange import import_catalogue
from motcua.catalogue.models import AssignmentRole, Case
from motcua.catalogue.queries import versions_in_force
from motcua.catalogue.services import assign_procedure
from motcua.demo.payments import DemoGateway
from motcua.demo.ratings import Rater
from motcua.dossiers import services as dossiers
from motcua.dossiers.intake import (
    Applicant,
    ChecklistItem,
    Intake,
    receive_new_dossier,
    refuse_at_desk,
    submit_online,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import request_supplement
from motcua.satisfaction.models import Level
from motcua.workdays import services as calendars
from motcua.workdays.calendars import spec_for_code
from motcua.workdays.clock import is_working_day
from motcua.workdays.models import Calendar, OverrideKind

DATA = Path(__file__).resolve().parent / "data"
UNITS_FILE = (
    Path(__file__).resolve().parents[1] / "accounts" / "data" / "vn-admin-units-2025-03.json"
)
DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - documented demo password, demo data only

REFORM_DAY = dt.date(2025, 7, 1)
LAST_THREE_TIER_DAY = dt.date(2025, 6, 30)
RESOLUTION = "Nghị quyết số 202/2025/QH15 (sắp xếp đơn vị hành chính cấp tỉnh)"
COMMUNE_BASIS = "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025 (minh họa)"

# New ward → (code, old wards it was formed from: district code, ward codes). Illustrative.
NEW_WARDS: dict[str, tuple[str, list[str]]] = {
    "Phường Mỹ Tho": ("28261", ["28261", "28264", "28252", "28249", "28270"]),
    "Phường Đạo Thạnh": ("28282", ["28273", "28282", "28288"]),
    "Phường Thới Sơn": ("28591", ["28276", "28279", "28591"]),
    "Phường Cao Lãnh": ("29869", ["29869", "29872", "29875", "29878"]),
    "Phường Mỹ Trà": ("29887", ["29888", "29887", "29884", "29881"]),
    "Phường Sa Đéc": ("29905", ["29905", "29911", "29902", "29908"]),
}


def _unit(level: str, code: str, valid_from: dt.date | None) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(level=level, code=code, valid_from=valid_from)


def build_two_tier_province() -> AdministrativeUnit:
    """The new Đồng Tháp province and a few of its wards, with the old units closed and
    pointing to their successors."""
    province, _ = AdministrativeUnit.objects.get_or_create(
        level=UnitLevel.PROVINCE,
        code="82",
        valid_from=REFORM_DAY,
        defaults={
            "name": "Đồng Tháp",
            "full_name": "Tỉnh Đồng Tháp",
            "name_en": "Dong Thap",
            "full_name_en": "Dong Thap Province",
            "code_name": "dong_thap",
            "legal_basis": RESOLUTION,
            "source": "motcua-demo",
        },
    )
    for old_code in ["82", "87"]:
        old = _unit(UnitLevel.PROVINCE, old_code, None)
        if old.valid_to is None:
            accounts.close_unit(
                old, last_day=LAST_THREE_TIER_DAY, successor=province, legal_basis=RESOLUTION
            )
    successors: dict[str, AdministrativeUnit] = {}
    for name, (code, old_codes) in NEW_WARDS.items():
        ward, _ = AdministrativeUnit.objects.get_or_create(
            level=UnitLevel.COMMUNE,
            code=code,
            valid_from=REFORM_DAY,
            defaults={
                "name": name.removeprefix("Phường "),
                "full_name": name,
                "parent": province,
                "legal_basis": COMMUNE_BASIS,
                "source": "motcua-demo",
            },
        )
        successors.update(dict.fromkeys(old_codes, ward))
    old_districts = AdministrativeUnit.objects.filter(
        level=UnitLevel.DISTRICT, parent__code__in=["82", "87"], parent__valid_from=None
    )
    for unit in AdministrativeUnit.objects.filter(
        level=UnitLevel.COMMUNE, parent__in=old_districts, valid_to__isnull=True
    ):
        accounts.close_unit(
            unit,
            last_day=LAST_THREE_TIER_DAY,
            successor=successors.get(unit.code),
            legal_basis=COMMUNE_BASIS,
        )
    for unit in old_districts.filter(valid_to__isnull=True):
        # District level ended on 1 July 2025; its work passed to the communes.
        accounts.close_unit(
            unit, last_day=LAST_THREE_TIER_DAY, successor=None, legal_basis=RESOLUTION
        )
    return province


def build_calendar() -> Calendar:
    """The province's calendar: the national one plus one illustrative provincial change,
    made through the calendar services so that both leave events."""
    calendar = Calendar.objects.filter(code="DTP").first()
    if calendar is None:
        calendar = calendars.create_calendar(
            actor=None,
            code="DTP",
            name="Lịch làm việc tỉnh Đồng Tháp",
            parent=Calendar.objects.get(code="VN"),
            reason="Dữ liệu mẫu / demo data",
        )
    if not calendar.overrides.filter(date=dt.date(2026, 12, 31)).exists():
        calendars.add_override(
            calendar,
            actor=None,
            date=dt.date(2026, 12, 31),
            kind=OverrideKind.MORNING_ONLY,
            reason="Tổng kết năm: làm việc buổi sáng (minh họa)",
            legal_basis="Thông báo của Văn phòng UBND tỉnh (minh họa)",
        )
    return calendar


# (code, name, kind, parent code, unit (level, code, valid_from), valid_to, successor code)
AGENCIES: list[tuple[str, str, str, str | None, tuple[str, str, dt.date | None], dt.date | None]]
AGENCIES = [
    ("H82", "Ủy ban nhân dân tỉnh Đồng Tháp", AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE, None,
     ("province", "82", REFORM_DAY), None),
    ("H82.20", "Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp",
     AgencyKind.PUBLIC_ADMINISTRATION_SERVICE_CENTRE, "H82", ("province", "82", REFORM_DAY), None),
    ("H82.21", "Sở Tư pháp tỉnh Đồng Tháp", AgencyKind.PROVINCIAL_DEPARTMENT, "H82",
     ("province", "82", REFORM_DAY), None),
    ("H82.22", "Sở Xây dựng tỉnh Đồng Tháp", AgencyKind.PROVINCIAL_DEPARTMENT, "H82",
     ("province", "82", REFORM_DAY), None),
    ("H82.23", "Sở Nội vụ tỉnh Đồng Tháp", AgencyKind.PROVINCIAL_DEPARTMENT, "H82",
     ("province", "82", REFORM_DAY), None),
    ("H82.24", "Sở Tài chính tỉnh Đồng Tháp", AgencyKind.PROVINCIAL_DEPARTMENT, "H82",
     ("province", "82", REFORM_DAY), None),
    ("H82.25", "Sở Nông nghiệp và Môi trường tỉnh Đồng Tháp", AgencyKind.PROVINCIAL_DEPARTMENT,
     "H82", ("province", "82", REFORM_DAY), None),
    ("H82.26", "Sở Y tế tỉnh Đồng Tháp", AgencyKind.PROVINCIAL_DEPARTMENT, "H82",
     ("province", "82", REFORM_DAY), None),
    ("H82.27", "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp", AgencyKind.PROVINCIAL_DEPARTMENT, "H82",
     ("province", "82", REFORM_DAY), None),
    ("H82.28", "Sở Văn hóa, Thể thao và Du lịch tỉnh Đồng Tháp",
     AgencyKind.PROVINCIAL_DEPARTMENT, "H82", ("province", "82", REFORM_DAY), None),
    ("H82.50", "Ủy ban nhân dân phường Mỹ Tho", AgencyKind.COMMUNE_PEOPLES_COMMITTEE, "H82",
     ("commune", "28261", REFORM_DAY), None),
    ("H82.50.01", "Trung tâm Phục vụ hành chính công phường Mỹ Tho", AgencyKind.COMMUNE_CENTRE,
     "H82.50", ("commune", "28261", REFORM_DAY), None),
    ("H82.51", "Ủy ban nhân dân phường Cao Lãnh", AgencyKind.COMMUNE_PEOPLES_COMMITTEE, "H82",
     ("commune", "29869", REFORM_DAY), None),
    ("H82.51.01", "Trung tâm Phục vụ hành chính công phường Cao Lãnh",
     AgencyKind.COMMUNE_CENTRE, "H82.51", ("commune", "29869", REFORM_DAY), None),
    # The seed era (three tiers), closed on 30 June 2025 and pointing to their successors.
    ("H59", "Ủy ban nhân dân tỉnh Tiền Giang", AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE, None,
     ("province", "82", None), LAST_THREE_TIER_DAY),
    ("H59.16", "Sở Lao động - Thương binh và Xã hội tỉnh Tiền Giang",
     AgencyKind.PROVINCIAL_DEPARTMENT, "H59", ("province", "82", None), dt.date(2025, 2, 28)),
    ("H59.15", "Sở Nội vụ tỉnh Tiền Giang", AgencyKind.PROVINCIAL_DEPARTMENT, "H59",
     ("province", "82", None), LAST_THREE_TIER_DAY),
    ("H59.40", "Ủy ban nhân dân thành phố Mỹ Tho", AgencyKind.DISTRICT_PEOPLES_COMMITTEE, "H59",
     ("district", "815", None), LAST_THREE_TIER_DAY),
    ("H59.40.01", "Bộ phận Một cửa thành phố Mỹ Tho", AgencyKind.DISTRICT_ONE_STOP, "H59.40",
     ("district", "815", None), LAST_THREE_TIER_DAY),
    ("H59.40.10", "Ủy ban nhân dân Phường 1, thành phố Mỹ Tho",
     AgencyKind.COMMUNE_PEOPLES_COMMITTEE, "H59.40", ("commune", "28261", None),
     LAST_THREE_TIER_DAY),
]  # fmt: skip

# Closed agency → successor (Decree 25/2025 moved Labour into Home Affairs on 1 March 2025).
SUCCESSORS = {
    "H59.16": "H59.15",
    "H59.15": "H82.23",
    "H59": "H82",
    "H59.40": "H82.50",
    "H59.40.01": "H82.50.01",
    "H59.40.10": "H82.50",
}


def _own_calendar(parent: Calendar) -> Calendar:
    """The Department of Construction's own calendar (inheriting the province's), so that its
    agency administrator (quantri) can add overrides from the workspace: a calendar shared
    with other agencies is changed only by a system administrator."""
    own = Calendar.objects.filter(code="DTP-SXD").first()
    if own is None:
        own = calendars.create_calendar(
            actor=None,
            code="DTP-SXD",
            name="Lịch làm việc Sở Xây dựng tỉnh Đồng Tháp",
            parent=parent,
            reason="Dữ liệu mẫu / demo data",
        )
    return own


def build_agencies(calendar: Calendar) -> dict[str, Agency]:
    national = Calendar.objects.get(code="VN")
    agencies: dict[str, Agency] = {a.code: a for a in Agency.objects.all()}
    for code, name, kind, parent, (level, unit_code, unit_from), valid_to in AGENCIES:
        if code in agencies:
            continue
        if valid_to is not None:
            agency_calendar = national
        elif code == "H82.22":
            agency_calendar = _own_calendar(calendar)
        else:
            agency_calendar = calendar
        agencies[code] = accounts.create_agency(
            actor=None,
            code=code,
            name=name,
            kind=kind,
            parent=agencies[parent] if parent else None,
            unit=_unit(level, unit_code, unit_from),
            calendar=agency_calendar,
            valid_from=REFORM_DAY if valid_to is None else None,
        )
    for code, successor in SUCCESSORS.items():
        agency = agencies[code]
        if agency.valid_to is None:
            last_day = next(row[5] for row in AGENCIES if row[0] == code)
            assert last_day is not None  # noqa: S101 - every closed agency has a last day
            agencies[code] = accounts.close_agency(
                agency,
                last_day=last_day,
                successor=agencies[successor],
                actor=None,
                reason="Sắp xếp tổ chức bộ máy năm 2025 (minh họa) / 2025 reorganisation",
            )
    return agencies


# username, full name, [(role, agency code or None)]
USERS: list[tuple[str, str, list[tuple[str, str | None]]]] = [
    ("motcua", "Quản trị hệ thống", [(Role.SYSTEM_ADMIN, None)]),
    ("tiepnhan", "Nguyễn Thị Lan", [(Role.DESK_OFFICER, "H82.20")]),
    # The provincial officers work at the Department of Construction (H82.22), which decides
    # the demo's driving-licence and building-permit procedures, so a dossier received at the
    # provincial centre (tiepnhan) reaches them.
    ("chuyenvien", "Trần Văn Minh", [(Role.SPECIALIST, "H82.22")]),
    ("truongphong", "Lê Thị Hồng", [(Role.HEAD_OF_DEPARTMENT, "H82.22")]),
    ("lanhdao", "Phạm Quốc Hùng", [(Role.SIGNING_LEADER, "H82.22")]),
    ("quantri", "Võ Thanh Tâm", [(Role.AGENCY_ADMIN, "H82.22")]),
    ("cchc", "Đặng Thu Trang", [(Role.REFORM_OFFICER, None)]),
    ("congdan", "Huỳnh Văn An", [(Role.CITIZEN, None)]),
    (
        "mytho",
        "Bùi Ngọc Ánh",
        [(Role.DESK_OFFICER, "H82.50.01"), (Role.SPECIALIST, "H82.50")],
    ),
    ("lanhdao.mytho", "Ngô Văn Phúc", [(Role.SIGNING_LEADER, "H82.50")]),
    ("truongphong.mytho", "Lý Thị Mai", [(Role.HEAD_OF_DEPARTMENT, "H82.50")]),
]


def build_users(agencies: dict[str, Agency]) -> list[User]:
    users = []
    for username, full_name, roles in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                email=f"{username}@demo.motcua.vn",
                id_number="087090001234" if username == "congdan" else "",
                is_staff=username == "motcua",
                is_superuser=username == "motcua",
            )
        for role, agency_code in roles:
            accounts.grant_role(
                user, role, agencies[agency_code] if agency_code else None, actor=None
            )
        users.append(user)
    return users


# Field → the department competent for its provincial procedures (after the 2025 mergers:
# planning and investment into Finance, transport into Construction, labour into Home Affairs,
# social protection into Health, natural resources into Agriculture and Environment).
COMPETENT_DEPARTMENT = {
    "HT": "H82.21",
    "CT": "H82.21",
    "DN": "H82.24",
    "HKD": "H82.24",
    "XD": "H82.22",
    "DB": "H82.22",
    "NCC": "H82.23",
    "VL": "H82.23",
    "BTXH": "H82.26",
    "GD": "H82.27",
    "VH": "H82.28",
    "DD": "H82.25",
    "MT": "H82.25",
    "NLTS": "H82.25",
    "ATTP": "H82.25",
}
PROVINCE_CENTRE = "H82.20"
COMMUNES = [("H82.50.01", "H82.50"), ("H82.51.01", "H82.51")]  # (centre, People's Committee)


def assign_procedures(agencies: dict[str, Agency]) -> None:
    """Provincial procedures: received at the provincial centre, decided by the department of
    their field; commune procedures: received at each ward's centre, decided by its People's
    Committee."""
    for version in versions_in_force().filter(status="published"):
        pairs: list[tuple[str, str]] = []
        if version.at_province:
            competent = COMPETENT_DEPARTMENT.get(version.field.code, "H82")
            pairs += [(PROVINCE_CENTRE, AssignmentRole.RECEIVING)]
            pairs += [(competent, AssignmentRole.COMPETENT)]
        if version.at_commune:
            for centre, committee in COMMUNES:
                pairs += [(centre, AssignmentRole.RECEIVING), (committee, AssignmentRole.COMPETENT)]
        for code, role in pairs:
            assign_procedure(version.procedure, agencies[code], role, actor=None)


def _working_days_back(today: dt.date, count: int) -> dt.date:
    spec = spec_for_code("DTP")
    day = today
    while count > 0:
        day -= dt.timedelta(days=1)
        if is_working_day(day, spec):
            count -= 1
    return day


def build_dossiers(now: dt.datetime, gateway: DemoGateway) -> int:
    """A dozen dossiers at Mỹ Tho ward's centre in every state, received over the last two
    weeks through the real services (skipped when the centre already has dossiers); two of
    them paid online through ``gateway`` (the simulator)."""
    centre = Agency.objects.get(code="H82.50.01")
    if Dossier.objects.filter(receiving_agency=centre).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in USERS])}
    desk, worker = users["mytho"], users["mytho"]
    leader, citizen = users["lanhdao.mytho"], users["congdan"]
    tz = dt.timezone(dt.timedelta(hours=7))
    today = now.astimezone(tz).date()

    def when(days_back: int, hour: int, minute: int = 0) -> dt.datetime:
        day = _working_days_back(today, days_back) if days_back else today
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)

    def case(code: str) -> Case:
        return Case.objects.filter(
            version__procedure__code=code, version__status="published"
        ).earliest("code")

    def entry(code: str, name: str, id_number: str) -> Intake:
        chosen = case(code)
        return Intake(
            chosen,
            Applicant(name=name, id_number=id_number, address="Phường Mỹ Tho, tỉnh Đồng Tháp",
                      phone="0913000111"),
            "in_person",
            [ChecklistItem(d.pk) for d in chosen.documents.all() if d.mandatory],
        )  # fmt: skip

    made = 0
    # Returned early: birth registration received 3 working days ago.
    d = receive_new_dossier(entry("1.001193", "Nguyễn Thị Hoa", "087190000001"), agency=centre,
                            actor=desk, now=when(3, 8))  # fmt: skip
    dossiers.forward(d, actor=desk, now=when(3, 8, 30))
    dossiers.forward(d, actor=worker, now=when(3, 10))
    dossiers.approve(d, actor=leader, result="Giấy khai sinh số 15/2026", now=when(3, 14))
    dossiers.return_result(d, actor=desk, method="in_person", now=when(3, 15))
    # Rated on the desk's kiosk a few minutes later.
    rater = Rater()
    rater.rate(d, actor=desk, at=when(3, 15, 4), level=Level.VERY_SATISFIED)
    made += 1
    # Processed, waiting to be returned.
    d = receive_new_dossier(entry("1.000656", "Trần Văn Tư", "087080000002"), agency=centre,
                            actor=desk, now=when(1, 9))  # fmt: skip
    dossiers.forward(d, actor=desk, now=when(1, 9, 15))
    dossiers.forward(d, actor=worker, now=when(1, 10))
    dossiers.approve(d, actor=leader, result="Trích lục khai tử số 7/2026", now=when(1, 14))
    made += 1
    # Household business: with the specialist, overdue.
    d = receive_new_dossier(entry("1.001612", "Lê Văn Năm", "087085000003"), agency=centre,
                            actor=desk, now=when(8, 9))  # fmt: skip
    dossiers.forward(d, actor=desk, now=when(8, 10))
    made += 1
    # Household business: supplement requested, clock paused.
    d = receive_new_dossier(entry("2.000720", "Phạm Thị Sáu", "087186000004"), agency=centre,
                            actor=desk, now=when(2, 9))  # fmt: skip
    dossiers.forward(d, actor=desk, now=when(2, 9, 30))
    request_supplement(d, actor=worker, items=["Bản sao hợp đồng thuê địa điểm kinh doanh"],
                       reason="Thiếu giấy tờ chứng minh địa điểm", now=when(1, 10))  # fmt: skip
    made += 1
    # Household business: with the head for signature, due soon.
    d = receive_new_dossier(entry("2.000583", "Võ Văn Bảy", "087087000005"), agency=centre,
                            actor=desk, now=when(2, 14))  # fmt: skip
    dossiers.forward(d, actor=desk, now=when(2, 14, 30))
    dossiers.forward(d, actor=worker, now=when(1, 9))
    made += 1
    # Received today at the desk, and an online submission waiting to be received, its fee
    # paid online through the gateway (the simulator) as it was submitted.
    receive_new_dossier(entry("1.000894", "Đỗ Minh Tám", "087095000006"), agency=centre,
                        actor=desk, now=now)  # fmt: skip
    online = entry("2.000635", "Huỳnh Văn An", "087090001234")
    d = submit_online(Intake(online.case, online.applicant, "online", online.checklist),
                      agency=centre, actor=citizen, now=now - dt.timedelta(minutes=10))  # fmt: skip
    gateway.pay(d, payer=citizen, at=now - dt.timedelta(minutes=5))
    made += 2
    # Household business submitted online, its charge paid online, with the specialist.
    online = entry("1.001612", "Huỳnh Văn An", "087090001234")
    d = submit_online(Intake(online.case, online.applicant, "online", online.checklist),
                      agency=centre, actor=citizen, now=when(4, 7, 30))  # fmt: skip
    gateway.pay(d, payer=citizen, at=when(4, 7, 40))
    dossiers.receive(d, actor=desk, now=when(4, 8, 30))
    dossiers.forward(d, actor=desk, now=when(4, 9))
    made += 1
    # Refused at the desk (Form 03).
    refuse_at_desk(entry("1.000894", "Mai Văn Chín", "087070000007"), agency=centre, actor=desk,
                   reasons=["Một bên chưa đủ tuổi kết hôn theo Luật Hôn nhân và gia đình"],
                   now=when(4, 10))  # fmt: skip
    made += 1
    # Resolved late after an apology letter (Form 04): the specialist handed over late; gives
    # the reports dashboard a late resolution, a late step and an apology.
    d = receive_new_dossier(entry("1.001612", "Trương Thị Mười", "087188000008"), agency=centre,
                            actor=desk, now=when(12, 9))  # fmt: skip
    dossiers.collect_fee(d, actor=desk, amount=d.fees_due, receipt="0000042", method="cash",
                         now=when(12, 9, 5))  # fmt: skip
    dossiers.forward(d, actor=desk, now=when(12, 10))
    dossiers.extend(d, actor=leader, reason="Chờ ý kiến xác minh của Chi cục Thuế",
                    new_return_at=when(3, 16), now=when(7, 9))  # fmt: skip
    dossiers.forward(d, actor=worker, now=when(6, 15))
    dossiers.approve(d, actor=users["truongphong.mytho"], now=when(6, 16),
                     result="Giấy chứng nhận đăng ký hộ kinh doanh số 42/2026")  # fmt: skip
    dossiers.return_result(d, actor=desk, method="in_person", now=when(5, 9))
    rater.rate(d, actor=desk, at=when(5, 9, 6), level=Level.NOT_SATISFIED)
    made += 1
    # The citizen's own online birth registration, returned electronically today and not yet
    # rated: "congdan" rates it under "Hồ sơ của tôi".
    online = entry("1.001193", "Huỳnh Văn An", "087090001234")
    d = submit_online(Intake(online.case, online.applicant, "online", online.checklist),
                      agency=centre, actor=citizen, now=when(2, 8))  # fmt: skip
    dossiers.receive(d, actor=desk, now=when(2, 8, 30))
    dossiers.forward(d, actor=desk, now=when(2, 9))
    dossiers.forward(d, actor=worker, now=when(1, 10))
    dossiers.approve(d, actor=leader, result="Giấy khai sinh số 16/2026", now=when(1, 15))
    dossiers.return_result(d, actor=desk, method="electronic", now=min(now, when(0, 8)))
    made += 1
    return made


def load_demo(progress: Any = print, history: int = 0) -> None:
    """Load every part of the demo; each part is idempotent. ``history``: that many dossiers of
    the past year made through the services (:mod:`motcua.demo.history`)."""
    from motcua.accounts.services import load_units

    progress("Đơn vị hành chính / administrative units …")
    load_units(json.loads(UNITS_FILE.read_text(encoding="utf-8")), source=UNITS_FILE.name)
    with transaction.atomic():
        progress("Tỉnh hai cấp minh họa / illustrative two-tier province …")
        build_two_tier_province()
        calendar = build_calendar()
        progress("Cơ quan và người dùng / agencies and users …")
        agencies = build_agencies(calendar)
        build_users(agencies)
        progress("Danh mục thủ tục / procedure catalogue …")
        catalogue = json.loads((DATA / "procedures.json").read_text(encoding="utf-8"))
        import_catalogue(catalogue, actor=None)
        assign_procedures(agencies)
        progress("Hồ sơ mẫu / demo dossiers …")
        now = timezone.now()
        with DemoGateway() as gateway:
            build_dossiers(now, gateway)
    if history:
        from motcua.demo.history import build_history

        progress(f"Một năm hồ sơ / a year of history ({history}) …")
        with DemoGateway() as gateway:
            outcomes = build_history(now, history, progress=progress, gateway=gateway)
        if outcomes:
            progress("  " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
        else:
            progress("  đã có / already there")
