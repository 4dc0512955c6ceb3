"""Targets and commitments (issue 16, item 2): measured targets read live from the reports,
hand-reported ones with evidence, the commitment, "13/15 = 86%" and the ranking."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services as dossiers
from motcua.errors import Refusal, Refused
from motcua.reform import measures, targets
from motcua.reform.models import ReformAction, ReformEvent
from motcua.reform.target_models import Metric, Target
from motcua.reform.tests.factories import felix, fiona
from motcua.reports.processing import processing_report
from motcua.reports.tests.factories import cases, receive, sign
from motcua.testing import Cast, aware

TODAY = dt.date(2026, 12, 14)


def _hand(cast: Cast, count: int, agency: object = None) -> list[Target]:
    return [
        targets.set_target(
            actor=cast.frank,
            year=2026,
            agency=agency or cast.agency,  # type: ignore[arg-type]
            name=f"Chỉ tiêu {i}",
            threshold=Decimal(10),
            unit="lớp",
        )
        for i in range(count)
    ]


def test_13_of_15_targets_met_reads_as_the_seed_prints_it(cast: Cast) -> None:
    """Seed 001: "13/15 chỉ tiêu = 86%" (the share is cut, not rounded up)."""
    for i, target in enumerate(_hand(cast, 15)):
        targets.report_target(target, actor=fiona(cast), actual=Decimal(12 if i < 13 else 5))
    result = targets.achievement(cast.agency, 2026, TODAY)
    assert result.summary == "13/15 = 86%"


def test_an_unreported_hand_target_counts_as_not_met(cast: Cast) -> None:
    first, _second = _hand(cast, 2)
    targets.report_target(first, actor=fiona(cast), actual=Decimal(11))
    assert targets.achievement(cast.agency, 2026, TODAY).summary == "1/2 = 50%"


def test_the_focal_point_reports_with_evidence_and_another_agency_may_not(cast: Cast) -> None:
    (target,) = _hand(cast, 1)
    evidence = SimpleUploadedFile("danh-sach-lop.pdf", b"%PDF-1.4", "application/pdf")
    targets.report_target(
        target, actor=fiona(cast), actual=Decimal(12), evidence=evidence, note="12 lớp bồi dưỡng"
    )
    assert str(target.evidence.name).endswith(".pdf") and target.reported_by == fiona(cast)
    assert ReformEvent.objects.filter(action=ReformAction.TARGET_REPORTED).count() == 1
    with pytest.raises(Refused) as caught:
        targets.report_target(target, actor=felix(cast), actual=Decimal(1))
    assert caught.value.code == "not_agency_focal_point"


def test_only_the_office_sets_targets_and_a_measured_one_is_not_reported_by_hand(
    cast: Cast,
) -> None:
    with pytest.raises(Refused) as caught:
        targets.set_target(
            actor=fiona(cast), year=2026, agency=cast.agency, name="x", threshold=Decimal(1)
        )
    assert caught.value.code == "not_reform_office"
    made = targets.set_standard_targets(actor=cast.frank, year=2026, agency=cast.agency)
    assert [t.metric for t in made] == [m.value for m in measures.STANDARD_THRESHOLDS]
    assert targets.set_standard_targets(actor=cast.frank, year=2026, agency=cast.agency) == []
    with pytest.raises(Refusal) as refused:
        targets.report_target(made[0], actor=fiona(cast), actual=Decimal(100))
    assert refused.value.code == "target_measured"


def _dossiers(cast: Cast) -> None:
    """At H56.22 in 2026: two dossiers returned on time, one left past its due date with an
    apology letter, one past its due date without."""
    case = cases(cast)[0]
    for day in (2, 3):
        dossier = receive(cast, case, aware(f"2026-03-0{day}T08:00"))
        sign(cast, dossier, aware(f"2026-03-0{day}T15:00"))
        dossiers.return_result(
            dossier,
            actor=cast.alice,
            method="in_person",
            unpaid_reason="Miễn lệ phí",
            now=aware(f"2026-03-0{day}T16:00"),
        )
    late = receive(cast, case, aware("2026-04-01T08:00"))
    dossiers.extend(
        late,
        actor=cast.dave,
        reason="Chậm do xác minh",
        now=aware("2026-04-07T08:00"),
        new_return_at=aware("2026-04-10T16:00"),
    )
    receive(cast, case, aware("2026-04-02T08:00"))


def test_measured_targets_are_the_reports_figures(cast: Cast) -> None:
    _dossiers(cast)
    start, end = measures.year_window(2026)
    report = processing_report(start, end, "agency", agency_ids={cast.agency.pk}, today=TODAY)
    counts = report.rows[0].counts
    found = measures.measure_all(cast.agency, 2026, TODAY)
    assert found[Metric.ON_TIME].percent == counts.on_time_rate == Decimal(100)
    late = counts.resolved_late + counts.pending_overdue
    assert late == 2
    assert (found[Metric.APOLOGIES].numerator, found[Metric.APOLOGIES].denominator) == (1, 2)
    assert found[Metric.FULL_ONLINE].denominator == counts.received_total == 4
    assert found[Metric.DIGITISED].percent is None and found[Metric.DIGITISED].reason


def test_achievement_judges_measured_targets_live_and_leaves_out_those_without_data(
    cast: Cast,
) -> None:
    _dossiers(cast)
    targets.set_standard_targets(actor=cast.frank, year=2026, agency=cast.agency)
    result = targets.achievement(cast.agency, 2026, TODAY)
    met = {j.target.metric: j.met for j in result.targets}
    assert met[Metric.ON_TIME] is True
    assert met[Metric.APOLOGIES] is False  # one late dossier without a letter
    assert met[Metric.DIGITISED] is None and met[Metric.REUSE] is None
    assert met[Metric.ONLINE_PAYMENT] is None  # no fee was paid in the year
    assert met[Metric.FULL_ONLINE] is False  # all four came in person
    assert (result.judged, result.met, result.summary) == (3, 1, "1/3 = 33%")


def test_the_ranking_puts_the_best_share_first(cast: Cast) -> None:
    for target in _hand(cast, 2):
        targets.report_target(target, actor=fiona(cast), actual=Decimal(20))
    other = _hand(cast, 2, cast.other_agency)
    targets.report_target(other[0], actor=felix(cast), actual=Decimal(20))
    rows = targets.ranking(2026, today=TODAY)
    assert [(r.rank, r.agency.code, r.summary) for r in rows] == [
        (1, "H56.22", "2/2 = 100%"),
        (2, "H56.23", "1/2 = 50%"),
    ]
    assert [r.agency.code for r in targets.ranking(2026, {cast.other_agency.pk}, TODAY)] == [
        "H56.23"
    ]


def test_an_agency_signs_its_commitment_once(cast: Cast) -> None:
    commitment = targets.sign_commitment(
        actor=fiona(cast),
        year=2026,
        agency=cast.agency,
        signed_on=dt.date(2026, 1, 15),
        signer="Giám đốc",
    )
    assert targets.achievement(cast.agency, 2026, TODAY).commitment == commitment
    with pytest.raises(Refusal) as caught:
        targets.sign_commitment(
            actor=cast.frank,
            year=2026,
            agency=cast.agency,
            signed_on=dt.date(2026, 1, 16),
            signer="Giám đốc",
        )
    assert caught.value.code == "commitment_exists"
    with pytest.raises(Refused):
        targets.sign_commitment(
            actor=felix(cast),
            year=2026,
            agency=cast.agency,
            signed_on=dt.date(2026, 1, 16),
            signer="x",
        )
