"""Re-use of a digitised paper for a later dossier of the same person: the desk receiving
that person's dossier sees and attaches it, the re-use is logged, and nobody else may."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.digitisation import queries, services
from motcua.digitisation.models import DigitisedPaper, PaperReuse
from motcua.digitisation.tests.factories import HENRY_ID, pdf, scanned_dossier, unscanned_dossier
from motcua.dossiers import services as engine
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, birth_registration_case, household_business_case
from motcua.errors import refusal_codes
from motcua.testing import Cast

OTHER_ID = "079123450000"


def first_paper(dossier: Dossier) -> DigitisedPaper:
    return DigitisedPaper.objects.filter(dossier=dossier).order_by("required__position").first()  # type: ignore[return-value]


def item_for(dossier: Dossier, paper: DigitisedPaper) -> int:
    return dossier.documents.get(required=paper.required).pk


def test_a_second_dossier_reuses_the_paper_and_the_reuse_is_logged(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    first = scanned_dossier(cast, case, now=at("2026-03-09T09:00"))
    second = unscanned_dossier(cast, case)
    paper = first_paper(first)
    now = at("2026-03-10T09:30")
    reuse = services.reuse_paper(
        second, paper_id=paper.pk, document_id=item_for(second, paper), actor=cast.alice, now=now
    )
    filled = second.documents.get(pk=reuse.document_id)
    assert filled.sha256 == paper.sha256 and filled.file
    assert filled.file.read() == pdf(f"tp {paper.required_id}")
    assert (reuse.paper, reuse.dossier, reuse.agency, reuse.actor, reuse.at) == (
        paper, second, cast.agency, cast.alice, now,
    )  # fmt: skip
    assert reuse.owner_id_number == HENRY_ID
    assert second.events.filter(action="attach", data__document_id=filled.pk).exists()
    # The original stays the one offered; the copy is not offered again as a paper of its own.
    offered = queries.offered_papers(cast.alice, cast.agency, HENRY_ID, dt.date(2026, 3, 11))
    assert paper in offered and not any(p.document_id == filled.pk for p in offered)


def test_only_the_desk_of_the_receiving_agency_sees_or_reuses_papers(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    paper = first_paper(scanned_dossier(cast, case))
    second = unscanned_dossier(cast, case)
    day = dt.date(2026, 3, 10)
    for outsider in (cast.bob, cast.henry, cast.ivan):  # specialist, citizen, other agency's desk
        with pytest.raises(PermissionDenied) as refused:
            queries.offered_papers(outsider, cast.agency, HENRY_ID, day)
        assert refusal_codes(refused.value) == ["reuse_not_desk"]
        with pytest.raises(PermissionDenied) as refused:
            services.reuse_paper(
                second, paper_id=paper.pk, document_id=item_for(second, paper), actor=outsider
            )
        assert refusal_codes(refused.value) == ["reuse_not_desk"]
    assert not PaperReuse.objects.exists()


def test_a_paper_of_another_person_is_not_offered(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    paper = first_paper(scanned_dossier(cast, case, id_number=OTHER_ID))
    second = unscanned_dossier(cast, case)
    with pytest.raises(ValidationError) as refused:
        services.reuse_paper(
            second, paper_id=paper.pk, document_id=item_for(second, paper), actor=cast.alice
        )
    assert refusal_codes(refused.value) == ["reuse_paper_not_offered"]
    assert queries.offered_papers(cast.alice, cast.agency, HENRY_ID, dt.date(2026, 3, 10)) == []


def test_an_expired_paper_is_not_offered(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    paper = first_paper(scanned_dossier(cast, case))
    DigitisedPaper.objects.filter(pk=paper.pk).update(valid_until=dt.date(2026, 3, 9))
    assert paper not in queries.offered_papers(
        cast.alice, cast.agency, HENRY_ID, dt.date(2026, 3, 10)
    )
    assert paper in queries.offered_papers(cast.alice, cast.agency, HENRY_ID, dt.date(2026, 3, 9))


def test_a_document_that_has_its_file_or_a_dossier_past_reception_is_refused(
    cast: Cast,
) -> None:
    case = household_business_case(cast.agency)
    paper = first_paper(scanned_dossier(cast, case))
    filled = scanned_dossier(cast, case, content=pdf("khac"))
    with pytest.raises(ValidationError) as refused:
        services.reuse_paper(
            filled, paper_id=paper.pk, document_id=item_for(filled, paper), actor=cast.alice
        )
    assert refusal_codes(refused.value) == ["reuse_document_filled"]
    later = unscanned_dossier(cast, case)
    engine.forward(later, actor=cast.alice)
    later.refresh_from_db()
    with pytest.raises(PermissionDenied) as denied:
        services.reuse_paper(
            later, paper_id=paper.pk, document_id=item_for(later, paper), actor=cast.alice
        )
    assert refusal_codes(denied.value) == ["reuse_not_at_reception"]


def test_the_same_content_is_offered_once_and_matched_by_name_across_procedures(
    cast: Cast,
) -> None:
    case = household_business_case(cast.agency)
    same = pdf("cung mot ban")
    scanned_dossier(cast, case, content=same)
    offered = queries.offered_papers(cast.alice, cast.agency, HENRY_ID, dt.date(2026, 3, 10))
    assert len(offered) == 1  # two checklist items scanned from one file: one paper
    assert offered[0].sha256 == hashlib.sha256(same).hexdigest()
    other = birth_registration_case(cast.agency)
    (form,) = other.documents.all()
    assert queries.matching(offered, form) == []
    named = [d for d in case.documents.all() if d.name == offered[0].name]
    assert queries.matching(offered, named[0]) == offered


def test_a_citizen_sees_only_the_reuses_of_their_own_papers(cast: Cast) -> None:
    from motcua.testing import make_user

    case = household_business_case(cast.agency)
    paper = first_paper(scanned_dossier(cast, case))
    second = unscanned_dossier(cast, case)
    services.reuse_paper(
        second, paper_id=paper.pk, document_id=item_for(second, paper), actor=cast.alice
    )
    assert [r.dossier for r in queries.own_reuses(cast.henry)] == [second]
    stranger = make_user("tam", id_number=OTHER_ID)
    assert not queries.own_reuses(stranger).exists()
    assert not queries.own_reuses(cast.oscar).exists()  # an account without an ID number
