"""Re-use of digitised papers at the desk's reception: the applicant's papers already digitised
are shown once their ID number is typed, one is attached with one click on receipt, and the
re-use is logged; nobody else sees them and a paper of another person cannot be slipped in."""

from typing import Any

import pytest
from django.test import Client

from motcua.catalogue.models import Case
from motcua.digitisation.models import DigitisedPaper, PaperReuse
from motcua.digitisation.tests.factories import HENRY_ID, scanned_dossier
from motcua.dossiers.access_models import DossierAccess
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import household_business_case
from motcua.testing import Cast


@pytest.fixture
def case(cast: Cast, settings: Any, tmp_path: Any) -> Case:
    settings.MEDIA_ROOT = str(tmp_path)
    return household_business_case(cast.agency)


def url(case: Case) -> str:
    return f"/workspace/reception/{case.pk}/"


def form_data(case: Case, do: str, id_number: str = HENRY_ID, **extra: str) -> dict[str, str]:
    data = {
        "applicant_name": "Trần Văn Hải",
        "applicant_id_number": id_number,
        "applicant_phone": "0912345678",
        "channel": "in_person",
        "return_method": "in_person",
        "fee_method": "cash",
        "do": do,
    }
    for d in case.documents.all():
        data[f"copies_{d.pk}"] = str(d.copies)
    data.update(extra)
    return data


def first_paper(dossier: Dossier) -> DigitisedPaper:
    return DigitisedPaper.objects.filter(dossier=dossier).order_by("required__position")[0]


def test_the_look_up_shows_the_applicants_digitised_papers_and_logs_the_read(
    client: Client, cast: Cast, case: Case
) -> None:
    earlier = scanned_dossier(cast, case)
    paper = first_paper(earlier)
    client.force_login(cast.alice)
    response = client.post(url(case), form_data(case, "lookup"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã số hoá" in page and earlier.code in page
    assert f'name="reuse_{paper.required_id}"' in page and f'value="{paper.pk}"' in page
    # Logged twice: the applicant's fields filled from it, and the papers shown from it.
    assert DossierAccess.objects.filter(actor=cast.alice, codes__contains=earlier.code).count() == 2
    # Another person's ID number shows none of them.
    other = client.post(url(case), form_data(case, "lookup", id_number="079123450000"))
    assert "reuse_" not in other.content.decode()


def test_one_click_attaches_the_paper_on_receipt_and_logs_the_reuse(
    client: Client, cast: Cast, case: Case
) -> None:
    earlier = scanned_dossier(cast, case)
    papers = list(DigitisedPaper.objects.filter(dossier=earlier).order_by("required__position"))
    client.force_login(cast.alice)
    chosen = {f"reuse_{p.required_id}": str(p.pk) for p in papers}
    response = client.post(url(case), form_data(case, "receive", **chosen))
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.exclude(pk=earlier.pk).get()
    reuses = PaperReuse.objects.filter(dossier=dossier).order_by("paper__required__position")
    assert [r.paper for r in reuses] == papers
    assert all(r.actor == cast.alice and r.agency == cast.agency for r in reuses)
    filled = {d.required_id: d.sha256 for d in dossier.documents.all() if d.file}
    assert filled == {p.required_id: p.sha256 for p in papers}
    assert all(
        d.provided for d in dossier.documents.filter(required__in=[p.required for p in papers])
    )


def test_a_paper_of_another_person_cannot_be_posted(client: Client, cast: Cast, case: Case) -> None:
    someone = scanned_dossier(cast, case, id_number="079123450000")
    paper = first_paper(someone)
    client.force_login(cast.alice)
    typed = form_data(case, "receive", **{f"reuse_{paper.required_id}": str(paper.pk)})
    response = client.post(url(case), typed)
    assert response.status_code == 400
    assert not PaperReuse.objects.exists()
    assert Dossier.objects.count() == 1


def test_a_scan_and_a_digitised_paper_for_one_item_are_refused(
    client: Client, cast: Cast, case: Case
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.digitisation.tests.factories import pdf

    paper = first_paper(scanned_dossier(cast, case))
    client.force_login(cast.alice)
    typed: dict[str, Any] = form_data(
        case, "receive", **{f"reuse_{paper.required_id}": str(paper.pk)}
    )
    typed[f"scan_{paper.required_id}"] = SimpleUploadedFile("moi.pdf", pdf("moi"))
    response = client.post(url(case), typed)
    assert response.status_code == 400
    assert response.context["form"].errors[f"reuse_{paper.required_id}"]
    assert Dossier.objects.count() == 1
