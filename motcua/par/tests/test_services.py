"""The self-assessment's workflow: the focal point scores with evidence and submits, the reform
office appraises with a reason for every change, finishes and publishes; order and permissions
enforced; every write an event; the measured sub-criteria filled from the system's figures."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.accounts.models import AgencyKind, Role
from motcua.dossiers.tests.factories import birth_registration_case
from motcua.errors import Refusal, Refused
from motcua.par import queries, services
from motcua.par.models import Assessment, ParEvent
from motcua.par.tests.factories import (
    appraised,
    commune,
    department,
    example_set,
    focal_point,
    score_everything,
)
from motcua.par.workflow import Group, Status
from motcua.satisfaction import services as satisfaction
from motcua.satisfaction.tests.factories import answers, returned_dossier
from motcua.testing import Cast, make_agency, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name: str = "ke-hoach.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_focal_point_scores_with_evidence_and_submits(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    agency = department()
    phuong = focal_point(cast, agency, "phuong")
    assessment = services.open_assessment(criteria_set, agency, actor=phuong)
    assert assessment.group == Group.DEPARTMENT
    assert assessment.scores.count() == 89
    services.self_score(
        assessment, "1.1.1", points=Decimal("0.5"), explanation="Chậm", actor=phuong
    )
    evidence = services.attach_evidence(
        assessment, "1.1.1", _pdf("Kế hoạch số 12.pdf"), actor=phuong
    )
    assert (evidence.name, evidence.content_type) == ("Kế hoạch số 12.pdf", "application/pdf")
    assert re.search(r"/ke-hoach-so-12[^/]*\.pdf$", evidence.file.name or "")
    with pytest.raises(Refusal) as unscored:
        services.submit(assessment, actor=phuong)
    assert unscored.value.code == "par_not_all_scored"
    score_everything(assessment, phuong)
    services.self_score(
        assessment, "1.1.1", points=Decimal("0.5"), explanation="Chậm", actor=phuong
    )
    submitted = services.submit(assessment, actor=phuong)
    assert submitted.status == Status.SUBMITTED
    # The example set totals 78 points; 1.1.1 was scored 0.5 of 1; the measured ones (no
    # dossier in this agency) were scored by hand in full.
    assert submitted.self_total == Decimal("77.50")
    actions = list(ParEvent.objects.filter(assessment=assessment).values_list("action", flat=True))
    assert actions[:4] == ["open", "measure", "score", "attach"]
    assert actions[-2:] == ["measure", "submit"]


def test_nothing_is_edited_after_submission(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    agency = department()
    phuong = focal_point(cast, agency, "phuong")
    assessment = services.open_assessment(criteria_set, agency, actor=phuong)
    score_everything(assessment, phuong)
    services.submit(assessment, actor=phuong)
    for attempt in (
        lambda: services.self_score(
            assessment, "1.1.1", points=Decimal(0), explanation="", actor=phuong
        ),
        lambda: services.attach_evidence(assessment, "1.1.1", _pdf(), actor=phuong),
        lambda: services.submit(assessment, actor=phuong),
    ):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.code == "par_wrong_status"


def test_no_appraisal_before_submission(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    agency = department()
    phuong = focal_point(cast, agency, "phuong")
    assessment = services.open_assessment(criteria_set, agency, actor=phuong)
    for attempt in (
        lambda: services.appraise(
            assessment, "1.1.1", points=Decimal(0), reason="x", actor=cast.frank
        ),
        lambda: services.finish_appraisal(assessment, actor=cast.frank),
        lambda: services.return_assessment(assessment, reason="x", actor=cast.frank),
    ):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.code == "par_wrong_status"


def test_only_the_agencys_focal_point_scores_and_only_the_reform_office_appraises(
    cast: Cast,
) -> None:
    criteria_set = example_set(cast.frank)
    agency, other = department(), commune()
    phuong = focal_point(cast, agency, "phuong")
    quang = focal_point(cast, other, "quang")
    assessment = services.open_assessment(criteria_set, agency, actor=phuong)
    for outsider in (quang, cast.frank, cast.erin, cast.oscar):
        with pytest.raises(Refused) as refused:
            services.self_score(
                assessment, "1.1.1", points=Decimal(1), explanation="", actor=outsider
            )
        assert refused.value.code == "par_focal_point_only"
    with pytest.raises(Refused):
        services.open_assessment(criteria_set, agency, actor=quang)
    score_everything(assessment, phuong)
    services.submit(assessment, actor=phuong)
    for outsider in (phuong, quang, cast.grace):
        with pytest.raises(Refused) as refused:
            services.appraise(assessment, "1.1.1", points=Decimal(0), reason="x", actor=outsider)
        assert refused.value.code == "par_reform_office_only"


def test_the_focal_point_is_an_officer_of_the_agency(cast: Cast) -> None:
    agency = department()
    with pytest.raises(ValidationError):
        services.designate_focal_point(agency, cast.bob, actor=cast.frank)
    with pytest.raises(Refused):
        services.designate_focal_point(agency, cast.bob, actor=cast.erin)


def test_each_change_in_appraisal_has_its_reason(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    agency = department()
    phuong = focal_point(cast, agency, "phuong")
    assessment = services.open_assessment(criteria_set, agency, actor=phuong)
    score_everything(assessment, phuong)
    services.submit(assessment, actor=phuong)
    with pytest.raises(Refusal) as refused:
        services.appraise(assessment, "1.1.3", points=Decimal(1), reason=" ", actor=cast.frank)
    assert refused.value.code == "par_reason_required"
    services.appraise(assessment, "1.1.3", points=Decimal(2), reason="", actor=cast.frank)
    services.appraise(
        assessment, "1.1.3", points=Decimal(1), reason="Hoàn thành 85% kế hoạch", actor=cast.frank
    )
    with pytest.raises(Refusal) as too_many:
        services.appraise(assessment, "1.1.1", points=Decimal(2), reason="x", actor=cast.frank)
    assert too_many.value.code == "par_points_out_of_range"
    done = services.finish_appraisal(assessment, actor=cast.frank)
    assert (done.status, done.self_total, done.final_total) == (
        Status.APPRAISED,
        Decimal("78.00"),
        Decimal("77.00"),
    )
    event = ParEvent.objects.filter(assessment=assessment, action="appraise").last()
    assert event is not None and event.reason == "Hoàn thành 85% kế hoạch"
    assert event.data == {"sub": "1.1.3", "self": "2.00", "old": "2.00", "points": "1.00"}


def test_a_returned_self_assessment_is_scored_again(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    agency = department()
    phuong = focal_point(cast, agency, "phuong")
    assessment = services.open_assessment(criteria_set, agency, actor=phuong)
    score_everything(assessment, phuong)
    services.submit(assessment, actor=phuong)
    with pytest.raises(Refusal):
        services.return_assessment(assessment, reason="", actor=cast.frank)
    services.return_assessment(assessment, reason="Thiếu tài liệu kiểm chứng", actor=cast.frank)
    services.self_score(assessment, "1.1.1", points=Decimal(0), explanation="", actor=phuong)
    assert Assessment.objects.get(pk=assessment.pk).status == Status.DRAFT


def test_publication_ranks_departments_and_communes_against_last_year(cast: Cast) -> None:
    last, this = example_set(cast.frank, 2025), example_set(cast.frank, 2026)
    xay_dung = department()
    tu_phap = make_agency("H56.31", "Sở Tư pháp 2", AgencyKind.PROVINCIAL_DEPARTMENT)
    vinh_ngoc = commune()
    phuong, tam = focal_point(cast, xay_dung, "phuong"), focal_point(cast, tu_phap, "tam")
    quang = focal_point(cast, vinh_ngoc, "quang")
    appraised(cast, last, xay_dung, phuong, Decimal("0.5"))
    appraised(cast, last, tu_phap, tam, Decimal("0.9"))
    services.publish(last, actor=cast.frank)
    appraised(cast, this, xay_dung, phuong, Decimal(1))
    appraised(cast, this, tu_phap, tam, Decimal("0.8"))
    pending = services.open_assessment(this, vinh_ngoc, actor=quang)
    score_everything(pending, quang)
    services.submit(pending, actor=quang)
    with pytest.raises(Refusal) as refused:
        services.publish(this, actor=cast.frank)
    assert refused.value.code == "par_appraisal_pending"
    services.finish_appraisal(pending, actor=cast.frank)
    with pytest.raises(Refused):
        services.publish(this, actor=phuong)
    services.publish(this, actor=cast.frank)
    ranked = queries.ranking(this, Group.DEPARTMENT)
    assert [(r.rank, r.assessment.agency.code, r.last_rank) for r in ranked] == [
        (1, "H56.30", 2),
        (2, "H56.31", 1),
    ]
    assert ranked[0].change == Decimal("78.00") - Decimal("39.00")
    communes = queries.ranking(this, Group.COMMUNE)
    assert [(r.rank, r.assessment.agency.code, r.last_total) for r in communes] == [
        (1, "H56.40", None)
    ]
    assert all(a.status == Status.PUBLISHED for a in this.assessments.all())
    with pytest.raises(Refusal):
        services.publish(this, actor=cast.frank)


def test_an_agency_sees_only_its_own_until_publication(cast: Cast) -> None:
    criteria_set = example_set(cast.frank)
    agency, other = department(), commune()
    phuong, quang = focal_point(cast, agency, "phuong"), focal_point(cast, other, "quang")
    mine = services.open_assessment(criteria_set, agency, actor=phuong)
    theirs = services.open_assessment(criteria_set, other, actor=quang)
    assert list(queries.visible_assessments(phuong, criteria_set)) == [mine]
    assert set(queries.visible_assessments(cast.frank, criteria_set)) == {mine, theirs}
    assert queries.assessment_for(phuong, mine.pk) == mine
    from django.http import Http404

    with pytest.raises(Http404):
        queries.assessment_for(phuong, theirs.pk)
    assert not queries.may_see_ranking(phuong, criteria_set)
    assert queries.may_see_ranking(cast.frank, criteria_set)


def test_measured_sub_criteria_are_filled_from_the_reports(cast: Cast) -> None:
    """One dossier returned on time, online, rated satisfied: 100% on time (3 of 3 points),
    100% online, 100% satisfied; no feedback: scored by hand."""
    now = timezone.now()
    year = (now + dt.timedelta(days=17)).year  # the annual window closes on 14 December
    criteria_set = example_set(cast.frank, year)
    dossier = returned_dossier(cast, birth_registration_case(cast.agency), owner=cast.henry)
    satisfaction.rate(dossier, actor=cast.henry, level="satisfied", answers=answers())
    erin = make_user("erin2", (Role.AGENCY_ADMIN, cast.agency))
    services.designate_focal_point(cast.agency, erin, actor=cast.frank)
    assessment = services.open_assessment(criteria_set, cast.agency, actor=erin)
    scores = {s.sub.code: s for s in assessment.scores.select_related("sub")}
    assert scores["3.3.2"].measured_figure == Decimal("100.00")
    assert scores["3.3.2"].self_points == Decimal("3.00")
    assert scores["3.3.2"].measured_basis == "1 of 1 dossiers resolved early or on time"
    assert scores["3.4.1"].measured_figure == Decimal("100.00")
    assert scores["7.4.2"].self_points == Decimal("1.50")
    assert scores["3.8.1"].measured_figure == Decimal("100.00")
    assert scores["3.7.1"].measured_figure is None
    assert scores["3.7.1"].self_points is None
    with pytest.raises(Refusal) as refused:
        services.self_score(assessment, "3.3.2", points=Decimal(1), explanation="", actor=erin)
    assert refused.value.code == "par_measured"
    services.self_score(
        assessment, "3.7.1", points=Decimal(1), explanation="Không có PAKN", actor=erin
    )
