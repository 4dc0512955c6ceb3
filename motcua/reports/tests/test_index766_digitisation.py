"""The Decision 766 digitisation components from the register of digitised papers: dossiers
digitised, re-use of digitised papers and results issued electronically, with their
explanations, per receiving agency and period."""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalogue.models import Case
from motcua.digitisation import services as digitisation
from motcua.digitisation.models import DigitisedPaper
from motcua.digitisation.tests.factories import pdf, scanned_dossier, unscanned_dossier
from motcua.dossiers import documents, services
from motcua.dossiers.tests.factories import at, household_business_case
from motcua.reports.digitised import digitisation_by_agency
from motcua.reports.index766 import service_index
from motcua.testing import Cast

START, END = dt.date(2026, 3, 9), dt.date(2026, 3, 13)


@pytest.fixture
def case(cast: Cast, settings: Any, tmp_path: Any) -> Case:
    settings.MEDIA_ROOT = str(tmp_path)
    return household_business_case(cast.agency)


def test_a_dossier_is_digitised_when_each_paper_handed_in_has_its_copy(
    cast: Cast, case: Case
) -> None:
    """Scanned at the desk (digitised), received without scans (not), and one received before
    the period (not counted); re-used papers count as digitised."""
    scanned_dossier(cast, case, now=at("2026-03-06T09:00"))  # before the period
    scanned_dossier(cast, case, id_number="079123450000", now=at("2026-03-09T09:00"))
    unscanned_dossier(cast, case, id_number="079123450001", now=at("2026-03-10T09:00"))
    counts = digitisation_by_agency(START, END)[cast.agency.pk]
    assert (counts.received, counts.digitised) == (2, 1)
    card = service_index(START, END).agency(cast.agency.code)
    assert card.component("digitised").explanation == "1/2 = 50 % < 80 % → 3.2"


def test_reuse_is_the_share_of_dossiers_that_reused_a_paper_they_could(
    cast: Cast, case: Case
) -> None:
    """Henry had papers digitised on 6 March: his dossier of 10 March re-used both of them, his
    dossier of 11 March re-used nothing. Another person with no earlier paper does not count."""
    first = scanned_dossier(cast, case, now=at("2026-03-06T09:00"))
    papers = list(DigitisedPaper.objects.filter(dossier=first).order_by("required__position"))
    scanned_dossier(cast, case, now=at("2026-03-11T09:00"), content=pdf("moi"))
    fresh = unscanned_dossier(cast, case, now=at("2026-03-10T09:00"))
    for paper in papers:
        digitisation.reuse_paper(
            fresh,
            paper_id=paper.pk,
            document_id=fresh.documents.get(required=paper.required).pk,
            actor=cast.alice,
            now=at("2026-03-10T09:05"),
        )
    scanned_dossier(cast, case, id_number="079123450000", now=at("2026-03-10T10:00"))
    counts = digitisation_by_agency(START, END)[cast.agency.pk]
    assert (counts.received, counts.could_reuse, counts.reused) == (3, 2, 1)
    card = service_index(START, END).agency(cast.agency.code)
    assert card.component("reuse").explanation == "1/2 = 50 % < 80 % → 1.6"


def test_electronic_results_count_results_in_the_register_returned_in_the_period(
    cast: Cast, case: Case
) -> None:
    dossier = scanned_dossier(cast, case, now=at("2026-03-09T08:00"))
    services.forward(dossier, actor=cast.alice, now=at("2026-03-09T09:00"))
    documents.attach(
        dossier, actor=cast.bob, upload=SimpleUploadedFile("kq.pdf", pdf("kq")), result=True,
        now=at("2026-03-09T10:00"),
    )  # fmt: skip
    services.forward(dossier, actor=cast.bob, now=at("2026-03-09T11:00"))
    services.forward(dossier, actor=cast.carol, now=at("2026-03-09T12:00"))
    services.approve(dossier, actor=cast.dave, result="GCN", now=at("2026-03-09T13:00"))
    paper_only = scanned_dossier(cast, case, id_number="079123450000", now=at("2026-03-09T08:00"))
    for hour, actor in enumerate([cast.alice, cast.bob, cast.carol], start=9):
        services.forward(paper_only, actor=actor, now=at(f"2026-03-09T{hour:02d}:30"))
    services.approve(paper_only, actor=cast.dave, result="GCN", now=at("2026-03-09T13:00"))
    for d in (dossier, paper_only):
        services.return_result(
            d, actor=cast.alice, method="in_person", unpaid_reason="Miễn lệ phí",
            now=at("2026-03-10T09:00"),
        )  # fmt: skip
    assert digitisation_by_agency(START, END)[cast.agency.pk].results_electronic == 1
    card = service_index(START, END).agency(cast.agency.code)
    assert card.component("electronic_results").explanation == "1/2 = 50 % × 6 = 3.0"
    assert digitisation_by_agency(dt.date(2026, 3, 11), END) == {}
    # Another agency's figures are not this one's.
    assert digitisation_by_agency(START, END, {cast.other_agency.pk}) == {}
