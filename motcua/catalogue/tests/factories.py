"""Plain factories for catalogue tests, built through the real services."""

import datetime as dt
from decimal import Decimal

from motcua.catalogue import services
from motcua.catalogue.models import Decision, Field, ProcedureVersion
from motcua.catalogue.specs import CaseSpec, DocumentSpec, FeeSpec, ProcedureSpec, StepSpec


def make_field(code: str = "HT", name: str = "Hộ tịch") -> Field:
    field, _ = Field.objects.get_or_create(code=code, defaults={"name": name})
    return field


def make_decision(number: str = "2150/QĐ-UBND", effective: str = "2025-07-15") -> Decision:
    day = dt.date.fromisoformat(effective)
    return services.get_or_create_decision(
        number=number,
        signed_on=day - dt.timedelta(days=5),
        issuer="Ủy ban nhân dân tỉnh Đồng Tháp",
        effective_from=day,
    )


def birth_registration(time: str = "3", name: str = "Đăng ký khai sinh") -> ProcedureSpec:
    """A birth registration procedure with one case of ``time`` working days."""
    total = Decimal(time)
    return ProcedureSpec(
        code="1.001193",
        name=name,
        field="HT",
        levels=frozenset({"commune"}),
        competent_authority="Ủy ban nhân dân cấp xã",
        online_level="full",
        legal_basis="Luật Hộ tịch năm 2014",
        result="Giấy khai sinh",
        cases=(
            CaseSpec(
                code="1",
                name=name,
                processing_time=total,
                time_unit="working_days",
                documents=(
                    DocumentSpec(name="Tờ khai đăng ký khai sinh", form="original"),
                    DocumentSpec(name="Giấy chứng sinh", form="original", mandatory=False),
                ),
                fees=(FeeSpec(kind="charge", name="Lệ phí", amount=0, note="Miễn"),),
                process=(
                    StepSpec(
                        name="Tiếp nhận",
                        role="desk_officer",
                        unit="Bộ phận Một cửa",
                        allowance=Decimal("0.5"),
                    ),
                    StepSpec(
                        name="Thẩm định",
                        role="specialist",
                        unit="Tư pháp – hộ tịch",
                        allowance=total - Decimal(1),
                    ),
                    StepSpec(
                        name="Ký duyệt",
                        role="signing_leader",
                        unit="Lãnh đạo UBND xã",
                        allowance=Decimal("0.5"),
                    ),
                ),
            ),
        ),
    )


def publish_birth_registration(time: str = "3") -> ProcedureVersion:
    make_field()
    return services.publish_procedure(
        birth_registration(time), decision=make_decision(), actor=None
    )
