"""The minutes of an inspection (biên bản kiểm tra công tác cải cách hành chính) as PDF, laid
out with the printed forms' page helpers (``dossiers.printing_layout``: the heading of an
administrative document of Decree 30/2020/NĐ-CP, the embedded DejaVu Serif, ruled tables):
the team, the unit, the checklist with each point's result, the findings, the
recommendations, the remediation report's due date, and the signatures."""

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from motcua.dossiers.printing_layout import (
    WIDTH,
    Heading,
    Styles,
    build,
    grid,
    heading,
    p,
    signatures,
    text,
    title,
)
from motcua.reform.inspection_models import Inspection, ItemResult

RESULTS = {
    ItemResult.PENDING: "Chưa kiểm tra",
    ItemResult.COMPLIANT: "Đạt",
    ItemResult.NONCOMPLIANT: "Chưa đạt",
    ItemResult.NOT_APPLICABLE: "Không áp dụng",
}


def _paragraphs(value: str) -> list[Flowable]:
    lines = [line for line in value.splitlines() if line.strip()] or ["…"]
    return [p(text(line)) for line in lines]


def minutes_pdf(inspection: Inspection) -> bytes:
    """The minutes of ``inspection`` (its findings recorded)."""
    plan, team, unit = inspection.plan, inspection.team, inspection.agency
    checklist: list[list[object]] = [
        [
            p("<b>STT</b>", Styles.centre),
            p("<b>Nội dung kiểm tra</b>", Styles.centre),
            p("<b>Kết quả</b>", Styles.centre),
            p("<b>Ghi chú</b>", Styles.centre),
        ]
    ]
    for item in inspection.items.all():
        checklist.append(
            [
                p(str(item.number), Styles.centre),
                p(text(item.text)),
                p(RESULTS[ItemResult(item.result)]),
                p(text(item.note)),
            ]
        )
    on = inspection.inspected_on
    due = inspection.remediation_due_on
    story: list[Flowable] = [
        *heading(
            Heading(
                agency=f"Đoàn kiểm tra CCHC năm {plan.year}",
                parent="Sở Nội vụ",
                number=f"{inspection.pk}/BB-ĐKT",
                on=on,
            )
        ),
        *title("BIÊN BẢN KIỂM TRA", "Công tác cải cách hành chính"),
        p(
            text(
                f"Thực hiện Kế hoạch kiểm tra số {plan.decision_number} ngày "
                f"{plan.decision_date:%d/%m/%Y} của {plan.signer}."
            )
        ),
        p(text(f"Đoàn kiểm tra: {team.name}; trưởng đoàn: {team.leader}.")),
        p(text(f"Thành viên: {team.members or '…'}")),
        p(text(f"Đơn vị được kiểm tra: {unit.name} ({unit.code}).")),
        p(text(f"Thời gian kiểm tra: ngày {on:%d/%m/%Y}." if on else "Thời gian kiểm tra: …")),
        Spacer(1, 3 * mm),
        p("<b>I. NỘI DUNG VÀ KẾT QUẢ KIỂM TRA</b>"),
        grid(checklist, [12 * mm, WIDTH - 72 * mm, 25 * mm, 35 * mm]),
        Spacer(1, 3 * mm),
        p("<b>II. NHẬN XÉT, ĐÁNH GIÁ</b>"),
        *_paragraphs(inspection.findings),
        p("<b>III. KIẾN NGHỊ</b>"),
        *_paragraphs(inspection.recommendations),
        p(
            text(
                "Đơn vị được kiểm tra gửi báo cáo kết quả khắc phục về Sở Nội vụ trong thời hạn "
                f"30 ngày làm việc, chậm nhất ngày {due:%d/%m/%Y}."
                if due
                else ""
            )
        ),
        Spacer(1, 6 * mm),
        signatures(
            ("ĐẠI DIỆN ĐƠN VỊ", "Ký, ghi rõ họ tên", ""),
            ("TRƯỞNG ĐOÀN KIỂM TRA", "Ký, ghi rõ họ tên", team.leader),
        ),
    ]
    return build(
        story,
        title=f"Biên bản kiểm tra CCHC {unit.code} {plan.year}",
        subject="Biên bản kiểm tra công tác cải cách hành chính",
    )
