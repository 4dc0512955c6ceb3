"""A year of history for the demo (``motcua load-demo --history N``): N dossiers received over
the past year at the provincial centre and two wards' centres, each taken through the engine's
real services (intake, forward, supplement, transfer, apology, approve, return, refusal,
withdrawal) at back-dated instants, so the events, rollups, dashboards, the processing report
and the Decision 766 index read like a province's.

Deterministic: one seeded random generator chooses every procedure, channel, outcome and time,
relative to the day it runs. Idempotent: skipped when a dossier older than the recent demo
dossiers already exists. Steps are held by the demo officers where they hold the role and
otherwise by history-only officers (``lichsu.*``) who cannot sign in."""

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.accounts import services as accounts
from motcua.accounts.models import Agency, Role, RoleAssignment, User
from motcua.catalogue import services as catalogue
from motcua.catalogue.models import AssignmentRole, Case, ProcedureAssignment
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
from motcua.dossiers.models import Dossier, ReturnMethod
from motcua.dossiers.steps import approval_refusal, spec_of
from motcua.dossiers.workflow import Channel, Status
from motcua.workdays import clock

SEED = 766
DAYS = 365
# The demo's own recent dossiers go back about three weeks; history ends before them.
RECENT_DAYS = 21
CENTRES = ("H82.20", "H82.50.01", "H82.51.01")
# A department consulted by transfer (liên thông), e.g. for a tax or land check.
CONSULTED = "H82.24"
TZ = dt.timezone(dt.timedelta(hours=7))

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi",
            "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lý"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hoài", "Kim"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quang", "Tâm", "Thảo", "Trang",
         "Tuấn", "Vân", "Yến"]  # fmt: skip
WARDS = ["Phường Mỹ Tho", "Phường Đạo Thạnh", "Phường Thới Sơn", "Phường Cao Lãnh",
         "Phường Mỹ Trà", "Phường Sa Đéc"]  # fmt: skip
REFUSALS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan",
    "Người nộp không có giấy tờ chứng minh quyền đại diện",
]
SUPPLEMENTS = ["Bản sao giấy tờ chứng minh chỗ ở hợp pháp", "Bản vẽ mặt bằng có chữ ký"]


class History:
    """One run: the generator, the officers found or made, and the counts by outcome."""

    def __init__(
        self, now: dt.datetime, seed: int = SEED, gateway: DemoGateway | None = None
    ) -> None:
        self.now = now
        # Online dossiers pay what they owe through it (the simulator); without it, in cash.
        self.gateway = gateway
        self.random = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
        self.holders: dict[tuple[int, str], User] = {}
        self.outcomes: dict[str, int] = {}
        self.rater = Rater(seed + 1000)

    def holder(self, agency: Agency, role: str) -> User:
        """A user holding ``role`` at ``agency``: a demo officer if one does, else a
        history-only officer without a usable password."""
        key = (agency.pk, role)
        if key not in self.holders:
            held = (
                RoleAssignment.objects.filter(agency=agency, role=role)
                .select_related("user")
                .order_by("user__username")
                .first()
            )
            if held is not None:
                user = held.user
            else:
                username = f"lichsu.{agency.code.lower()}.{role}"
                found = User.objects.filter(username=username).first()
                if found is None:
                    found = User.objects.create_user(
                        username=username, full_name=f"Cán bộ {agency.short_name or agency.name}"
                    )
                    found.set_unusable_password()
                    found.save(update_fields=["password"])
                user = found
                accounts.grant_role(user, role, agency, actor=None)
            self.holders[key] = user
        return self.holders[key]

    def applicant(self) -> Applicant:
        r = self.random
        female = r.random() < 0.5
        name = f"{r.choice(SURNAMES)} {'Thị' if female else r.choice(MIDDLE)} {r.choice(GIVEN)}"
        born = r.randint(1950, 2005)
        # Personal ID (Circular 59/2021/TT-BCA art. 7): province 087, sex and century, year,
        # six digits.
        sex_century = (2 if born >= 2000 else 0) + (1 if female else 0)
        id_number = f"087{sex_century}{born % 100:02d}{r.randint(0, 999_999):06d}"
        phone = f"09{r.randint(0, 99_999_999):08d}"
        return Applicant(name=name, id_number=id_number, phone=phone,
                         address=f"{r.choice(WARDS)}, tỉnh Đồng Tháp")  # fmt: skip

    def day(self) -> dt.datetime:
        """A working-hours instant on a weekday of the past year, before the recent demo."""
        while True:
            back = self.random.randint(RECENT_DAYS, DAYS)
            day = (self.now - dt.timedelta(days=back)).astimezone(TZ).date()
            if day.weekday() < 5:
                minutes = self.random.randint(7 * 60 + 30, 16 * 60)
                return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=TZ)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def _cases(centre: Agency) -> list[Case]:
    """The cases with a time limit of the procedures ``centre`` receives, in a stable order."""
    procedures = ProcedureAssignment.objects.filter(
        agency=centre, role=AssignmentRole.RECEIVING
    ).values("procedure")
    return list(
        Case.objects.filter(
            version__procedure__in=procedures, version__status="published", processing_time__gt=0
        )
        .exclude(time_unit="none")
        .select_related("version", "version__procedure")
        .order_by("version__procedure__code", "code")
    )


def build_history(
    now: dt.datetime,
    count: int,
    *,
    seed: int = SEED,
    progress: Callable[[str], Any] = print,
    gateway: DemoGateway | None = None,
) -> dict[str, int]:
    """Make ``count`` dossiers of the past year (see the module's docstring); returns the number
    of each outcome, or an empty dict when the history is there already."""
    cutoff = now - dt.timedelta(days=RECENT_DAYS - 1)
    if count <= 0 or Dossier.objects.filter(received_at__lt=cutoff).exists():
        return {}
    history = History(now, seed, gateway)
    centres = [Agency.objects.get(code=code) for code in CENTRES]
    cases = {centre.pk: _cases(centre) for centre in centres}
    citizen = User.objects.get(username="congdan")
    consulted = Agency.objects.get(code=CONSULTED)
    # Most dossiers go to the wards (birth, death, household business), a third to the province.
    weights = [1, 1, 1]
    with transaction.atomic():
        for number in range(count):
            centre = history.random.choices(centres, weights)[0]
            case = history.random.choice(cases[centre.pk])
            _one(history, centre, case, citizen, consulted)
            if (number + 1) % 500 == 0:
                progress(f"  {number + 1} / {count}")
    return history.outcomes


def _one(history: History, centre: Agency, case: Case, citizen: User, consulted: Agency) -> None:
    r = history.random
    desk = history.holder(centre, Role.DESK_OFFICER)
    start = history.day()
    intake = Intake(
        case,
        history.applicant(),
        Channel.IN_PERSON,
        [ChecklistItem(d.pk) for d in case.documents.all() if d.mandatory],
    )
    roll = r.random()
    if roll < 0.06:
        refuse_at_desk(intake, agency=centre, actor=desk, reasons=[r.choice(REFUSALS)], now=start)
        history.count("refused")
        return
    channel = r.choices(
        [Channel.IN_PERSON, Channel.ONLINE, Channel.POST],
        [50, 40 if case.version.online_level != "none" else 0, 10],
    )[0]
    if channel == Channel.ONLINE:
        d = submit_online(
            Intake(case, intake.applicant, Channel.ONLINE, intake.checklist),
            agency=centre,
            actor=citizen,
            now=start - dt.timedelta(hours=r.randint(1, 40)),
        )
        dossiers.receive(d, actor=desk, now=start)
    else:
        d = receive_new_dossier(
            Intake(case, intake.applicant, channel, intake.checklist),
            agency=centre,
            actor=desk,
            now=start,
        )
    assert d.due_at is not None  # noqa: S101 - only cases with a time limit are chosen
    due = d.due_at
    span = due - start
    outcome = r.choices(["early", "on_time", "late"], [55, 35, 10])[0]
    if outcome == "early":
        finish = start + span * r.uniform(0.35, 0.85)
    elif outcome == "on_time":
        finish = due - dt.timedelta(minutes=r.randint(10, 50))
    else:
        finish = due + dt.timedelta(days=r.randint(1, 6))
    latest = history.now - dt.timedelta(hours=2)
    finish = min(finish, latest)
    extra = r.random()
    withdraw = extra < 0.03
    supplement = 0.03 <= extra < 0.11
    transfer = 0.11 <= extra < 0.16
    moments = _moments(start, finish, 8)
    dossiers.forward(d, actor=desk, now=next(moments))
    if withdraw:
        dossiers.withdraw(d, actor=desk, reason="Người nộp xin rút hồ sơ", now=next(moments))
        history.count("withdrawn")
        return
    if supplement:
        step = d.current_step
        assert step is not None  # noqa: S101 - forwarded to a processing step
        dossiers.request_supplement(d, actor=history.holder(step.agency, step.role),
                                    items=[r.choice(SUPPLEMENTS)], now=next(moments))  # fmt: skip
        resubmitted = next(moments)
        dossiers.resubmit(d, actor=desk, now=resubmitted)
        history.count("supplement")
        # The pause moved the due date (``services._resume``): the planned finish moves with
        # it, so a dossier meant to be early, on time or late still is.
        assert d.due_at is not None  # noqa: S101
        finish = min(finish + (d.due_at - due), latest)
        moments = _moments(resubmitted, finish, 6)
    step = d.current_step
    # A department is not consulted about a dossier it holds itself.
    if transfer and step is not None and step.agency_id != consulted.pk:
        # The consulted department coordinates the procedure in the catalogue (idempotent):
        # a dossier is transferred only to an agency that takes part in its procedure.
        catalogue.assign_procedure(d.version.procedure, consulted, AssignmentRole.COORDINATING,
                                   actor=None, now=next(moments))  # fmt: skip
        dossiers.transfer(d, actor=history.holder(step.agency, step.role), to_agency=consulted,
                          allowance=Decimal(2), reason="Xác minh nghĩa vụ tài chính",
                          now=next(moments))  # fmt: skip
        history.count("transferred")
    if outcome == "late":
        step = d.current_step
        assert step is not None  # noqa: S101
        leader = history.holder(step.agency, Role.SIGNING_LEADER)
        apologised = next(moments)
        assert d.due_at is not None  # noqa: S101
        new_return_at = apology_date(
            finish=finish, due_at=d.due_at, now=apologised, spec=spec_of(d.receiving_agency)
        )
        try:
            dossiers.extend(d, actor=leader, reason="Cần xác minh thêm thông tin",
                            new_return_at=new_return_at, now=apologised)  # fmt: skip
        except ValidationError as refused:
            # Past the last day to extend and not yet late (``dossiers.statutory``): this
            # agency missed the time to apologise, as some do; the dossier goes on late.
            if refused.code != "extension_too_late":
                raise
    # Forward up to the last processing step, whose holder approves (signs) the result: the
    # engine allows approval nowhere else (``steps.approval_refusal``).
    while True:
        step = d.current_step
        assert step is not None  # noqa: S101
        if approval_refusal(d) is None:
            break
        dossiers.forward(d, actor=history.holder(step.agency, step.role), now=next(moments))
    dossiers.approve(d, actor=history.holder(step.agency, step.role),
                     result=f"Kết quả số {d.pk}/{finish:%Y}", now=finish)  # fmt: skip
    history.count(outcome)
    returned = finish + dt.timedelta(hours=r.randint(1, 48))
    if returned < history.now and d.status == Status.PROCESSED:
        method = ReturnMethod.POST if channel == Channel.POST else ReturnMethod.IN_PERSON
        owed = dossiers.fees_owed(d)
        if owed > 0 and d.owner is not None and history.gateway is not None:
            # The applicant who submitted online pays online before coming for the result.
            history.gateway.pay(d, payer=d.owner, at=returned - dt.timedelta(minutes=30))
            history.count("paid_online")
        elif owed > 0:
            # The desk collects the fee before handing over the result.
            dossiers.collect_fee(d, actor=desk, amount=owed, receipt=f"BL{d.pk:07d}",
                                 method="cash", now=returned)  # fmt: skip
        dossiers.return_result(d, actor=desk, method=method, now=returned)
        rater = d.owner or desk
        if method == ReturnMethod.IN_PERSON or d.owner_id:
            at = returned + dt.timedelta(minutes=history.rater.random.randint(1, 20))
            if history.rater.maybe_rate(d, actor=rater, at=min(at, history.now)):
                history.count("rated")


def apology_date(
    *, finish: dt.datetime, due_at: dt.datetime, now: dt.datetime, spec: clock.CalendarSpec
) -> dt.datetime:
    """The new return date a late dossier's apology (Form 04) gives: one working day after the
    latest of the planned finish, the due date (as a pause moved it) and the apology itself, so
    the engine's rule that it fall after the due date and after now (``services.extend``) holds
    and the result is ready before it."""
    return clock.add_working_time(max(finish, due_at, now), spec.working_day, spec)


def _moments(start: dt.datetime, finish: dt.datetime, parts: int) -> Any:
    """Instants evenly spaced between ``start`` and ``finish`` (exclusive), then ``finish``."""
    step = (finish - start) / (parts + 1)
    for index in range(1, parts + 1):
        yield start + step * index
    while True:
        yield finish
