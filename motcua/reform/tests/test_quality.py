"""ISO 9001 per agency (issue 16, item 5) and the province's figures."""

import datetime as dt

import pytest

from motcua.errors import Refusal, Refused
from motcua.reform import quality
from motcua.reform.models import ReformAction, ReformEvent
from motcua.reform.tests.factories import felix, fiona
from motcua.testing import Cast, aware


def test_an_agency_records_its_iso_system_and_audits_and_the_province_counts_it(
    cast: Cast,
) -> None:
    system = quality.record_quality_system(
        cast.agency,
        actor=fiona(cast),
        applies=True,
        announced_on=dt.date(2025, 6, 1),
        certificate="15/QĐ-TTPVHCC",
        scope="Toàn bộ TTHC tiếp nhận tại Trung tâm",
        now=aware("2026-03-01T09:00"),
    )
    quality.record_audit(
        system,
        actor=fiona(cast),
        audited_on=dt.date(2026, 10, 2),
        nonconformities=2,
        findings="Hai điểm không phù hợp nhỏ",
    )
    quality.record_quality_system(
        cast.other_agency, actor=felix(cast), applies=False, announced_on=None
    )
    figures = quality.quality_figures(2026)
    assert (figures.agencies, figures.applying, figures.audited, figures.percent) == (2, 1, 1, 50)
    assert quality.quality_figures(2025).audited == 0
    assert ReformEvent.objects.filter(action=ReformAction.AUDIT_RECORDED).count() == 1


def test_applying_needs_the_announcement_date_and_the_agency_own_focal_point(
    cast: Cast,
) -> None:
    with pytest.raises(Refusal) as caught:
        quality.record_quality_system(
            cast.agency, actor=fiona(cast), applies=True, announced_on=None
        )
    assert caught.value.code == "announcement_date_required"
    with pytest.raises(Refused) as refused:
        quality.record_quality_system(
            cast.agency, actor=felix(cast), applies=False, announced_on=None
        )
    assert refused.value.code == "not_agency_focal_point"
