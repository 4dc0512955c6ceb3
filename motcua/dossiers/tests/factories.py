"""Dossier test data, built through the real services."""

import datetime as dt
from decimal import Decimal

from motcua.accounts.models import Agency, Role
from motcua.catalogue import services as catalogue
from motcua.catalogue.models import AssignmentRole, Case
from motcua.catalogue.specs import CaseSpec, DocumentSpec, FeeSpec, ProcedureSpec, StepSpec
from motcua.catalogue.tests.factories import make_decision, make_field
from motcua.dossiers.intake import Applicant, ChecklistItem, Intake

STEPS = (
    StepSpec("Tiếp nhận hồ sơ", Role.DESK_OFFICER, "Bộ phận Một cửa", Decimal("0.5")),
    StepSpec("Thẩm định hồ sơ", Role.SPECIALIST, "Phòng chuyên môn", Decimal("2")),
    StepSpec("Xem xét, trình ký", Role.HEAD_OF_DEPARTMENT, "Lãnh đạo phòng", Decimal("1")),
    StepSpec("Ký duyệt", Role.SIGNING_LEADER, "Lãnh đạo cơ quan", Decimal("1")),
    StepSpec("Trả kết quả", Role.DESK_OFFICER, "Bộ phận Một cửa", Decimal("0.5")),
)


def publish_case(
    agency: Agency | None,
    *,
    code: str,
    name: str,
    field: tuple[str, str],
    documents: tuple[DocumentSpec, ...],
    fees: tuple[FeeSpec, ...] = (),
    days: str = "5",
    online_level: str = "full",
    decision: str = "1/QĐ-UBND",
    competent: bool = True,
    process: tuple[StepSpec, ...] = STEPS,
) -> Case:
    """Publish a one-case commune procedure of ``days`` working days with the 5-step process
    (or ``process``), and assign it to ``agency`` for reception (and decision when
    ``competent``)."""
    make_field(*field)
    spec = ProcedureSpec(
        code=code,
        name=name,
        field=field[0],
        levels=frozenset({"commune"}),
        competent_authority="UBND cấp xã",
        online_level=online_level,
        cases=(
            CaseSpec(
                code="1",
                name=name,
                processing_time=Decimal(days),
                time_unit="working_days",
                documents=documents,
                fees=fees,
                process=process,
            ),
        ),
    )
    version = catalogue.publish_procedure(
        spec, decision=make_decision(decision, "2025-07-01"), actor=None
    )
    if agency is not None:
        catalogue.assign_procedure(version.procedure, agency, AssignmentRole.RECEIVING, actor=None)
        if competent:
            catalogue.assign_procedure(
                version.procedure, agency, AssignmentRole.COMPETENT, actor=None
            )
    return version.cases.get()


def assign(case: Case, agency: Agency, *roles: str) -> None:
    """Assign ``case``'s procedure to ``agency`` in ``roles`` (default: coordinating, so that
    a dossier may be transferred there)."""
    for role in roles or (AssignmentRole.COORDINATING,):
        catalogue.assign_procedure(case.version.procedure, agency, role, actor=None)


def household_business_case(agency: Agency, days: str = "5") -> Case:
    """A 5-working-day procedure (2 documents, a fee, a 5-step process) assigned to ``agency``
    for both reception and decision."""
    return publish_case(
        agency,
        code="2.000720",
        name="Đăng ký thành lập hộ kinh doanh",
        field=("HKD", "Hộ kinh doanh"),
        documents=(
            DocumentSpec("Giấy đề nghị đăng ký hộ kinh doanh", "original"),
            DocumentSpec("Bản sao giấy tờ pháp lý của chủ hộ", "copy"),
            DocumentSpec("Hợp đồng thuê địa điểm", "copy", mandatory=False),
        ),
        fees=(FeeSpec("charge", "Lệ phí đăng ký", 100000),),
        days=days,
    )


def birth_registration_case(agency: Agency, *, competent: bool = True) -> Case:
    """A 5-working-day procedure of another field (hộ tịch, one document) assigned to
    ``agency`` for reception (and decision when ``competent``)."""
    return publish_case(
        agency,
        code="1.001193",
        name="Đăng ký khai sinh",
        field=("HT", "Hộ tịch"),
        documents=(DocumentSpec("Tờ khai đăng ký khai sinh", "original"),),
        decision="2/QĐ-UBND",
        competent=competent,
    )


def complete_intake(case: Case, channel: str = "in_person") -> Intake:
    return Intake(
        case=case,
        applicant=Applicant(
            name="Nguyễn Văn Bình",
            id_number="087090001234",
            address="Phường Mỹ Tho, tỉnh Đồng Tháp",
            phone="0912345678",
            email="binh@example.vn",
        ),
        channel=channel,
        checklist=[ChecklistItem(required_id=d.pk) for d in case.documents.all() if d.mandatory],
    )


def at(text: str) -> dt.datetime:
    from motcua.testing import aware

    return aware(text)
