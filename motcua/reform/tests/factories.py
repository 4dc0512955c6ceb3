"""Reform test data built through the real services: the reform office is ``cast.frank``
(a reform officer without an agency); ``fiona`` is the focal point of ``cast.agency`` and
``felix`` of ``cast.other_agency``."""

import datetime as dt

from motcua.accounts.models import Role, User
from motcua.reform import services
from motcua.reform.models import Area, Plan, Task
from motcua.testing import Cast, make_user


def fiona(cast: Cast) -> User:
    return User.objects.filter(username="fiona").first() or make_user(
        "fiona", (Role.REFORM_OFFICER, cast.agency), full_name="Nguyễn Thị Phương"
    )


def felix(cast: Cast) -> User:
    return User.objects.filter(username="felix").first() or make_user(
        "felix", (Role.REFORM_OFFICER, cast.other_agency), full_name="Trần Văn Phúc"
    )


def province_plan(cast: Cast, year: int = 2026) -> Plan:
    return services.create_plan(
        actor=cast.frank,
        year=year,
        agency=None,
        title=f"Kế hoạch cải cách hành chính năm {year}",
        decision_number=f"12/QĐ-UBND-{year}",
        decision_date=dt.date(year - 1, 12, 20),
        signer="Chủ tịch UBND tỉnh",
    )


def task(
    cast: Cast,
    plan: Plan,
    *,
    area: str = Area.PROCEDURES,
    deadline: dt.date | None = None,
    lead: object = None,
) -> Task:
    return services.add_task(
        plan,
        actor=cast.frank,
        area=area,
        title="Rà soát, đơn giản hóa thủ tục hành chính",
        lead_agency=lead or cast.agency,  # type: ignore[arg-type]
        deadline=deadline or dt.date(plan.year, 6, 30),
        expected_output="Báo cáo kết quả rà soát",
        coordinating=[cast.other_agency],
    )
