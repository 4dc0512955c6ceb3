"""Papers beyond the published list (Decree 61/2018 art. 5): a supplement request or a desk
checklist item naming a paper outside the case's list needs the legal basis the officer typed,
is refused without it (code ``extra_paper_without_legal_basis``), is flagged on the dossier,
kept in the event and one demand row per paper, and printed with its basis on Form 02."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from motcua.catalogue.models import Case
from motcua.dossiers import intake, printing, services
from motcua.dossiers.extra_paper_models import ExtraPaperDemand, ExtraPaperSource
from motcua.dossiers.extra_papers import ExtraPaper, parse_lines
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.printing_forms import supplement_pdf
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.dossiers.tests.test_printing import pdf_text
from motcua.dossiers.workflow import Action, Status
from motcua.testing import Cast

BASIS = "Khoản 2 Điều 87 Nghị định 01/2021/NĐ-CP"
LEASE = "Hợp đồng thuê nhà có công chứng"


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


@pytest.fixture
def received(cast: Cast, case: Case) -> Dossier:
    return intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)


def _code(error: ValidationError) -> str | None:
    return next(iter(error.error_dict.values()))[0].code


def _processing(cast: Cast, received: Dossier) -> Dossier:
    return services.forward(received, actor=cast.alice, to=cast.bob)


def test_a_supplement_request_naming_an_extra_paper_without_basis_is_refused(
    cast: Cast, received: Dossier
) -> None:
    dossier = _processing(cast, received)
    with pytest.raises(ValidationError) as refused:
        services.request_supplement(
            dossier, actor=cast.bob, items=["Bản sao CCCD"], extra_papers=[ExtraPaper(LEASE, " ")]
        )
    assert _code(refused.value) == "extra_paper_without_legal_basis"
    assert "extra_papers" in refused.value.error_dict
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.extra_papers == 0
    assert not ExtraPaperDemand.objects.exists()


def test_an_extra_paper_with_its_basis_is_flagged_recorded_and_counted(
    cast: Cast, received: Dossier
) -> None:
    dossier = _processing(cast, received)
    services.request_supplement(
        dossier, actor=cast.bob, items=[], extra_papers=[ExtraPaper(LEASE, BASIS)]
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert dossier.extra_papers == 1
    event = DossierEvent.objects.filter(action=Action.REQUEST_SUPPLEMENT).get()
    assert event.data["extra_papers"] == [{"name": LEASE, "legal_basis": BASIS}]
    demand = ExtraPaperDemand.objects.get()
    assert (demand.dossier, demand.agency, demand.officer) == (dossier, cast.agency, cast.bob)
    assert (demand.source, demand.name, demand.legal_basis) == (
        ExtraPaperSource.SUPPLEMENT,
        LEASE,
        BASIS,
    )


def test_a_request_with_only_published_items_is_not_flagged(cast: Cast, received: Dossier) -> None:
    dossier = _processing(cast, received)
    services.request_supplement(dossier, actor=cast.bob, items=["Bản sao CCCD"])
    assert dossier.extra_papers == 0
    assert "extra_papers" not in DossierEvent.objects.get(action=Action.REQUEST_SUPPLEMENT).data


def test_form_02_prints_the_extra_paper_next_to_its_legal_basis(
    cast: Cast, received: Dossier
) -> None:
    dossier = _processing(cast, received)
    services.request_supplement(
        dossier, actor=cast.bob, items=["Bản sao CCCD"], extra_papers=[ExtraPaper(LEASE, BASIS)]
    )
    form = printing.supplement_for(dossier)
    assert form.extra_papers == ((LEASE, BASIS),)
    text = pdf_text(supplement_pdf(form))
    assert "1. Bản sao CCCD" in text
    assert f"2. {LEASE} — giấy tờ ngoài danh mục đã công bố; căn cứ pháp lý: {BASIS}" in text


def _with_extra(case: Case, basis: str) -> intake.Intake:
    entered = complete_intake(case)
    entered.checklist.append(intake.ChecklistItem(required_id=None, name=LEASE, legal_basis=basis))
    return entered


def test_the_desk_checklist_refuses_an_extra_paper_without_basis(cast: Cast, case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        intake.receive_new_dossier(_with_extra(case, ""), agency=cast.agency, actor=cast.alice)
    assert _code(refused.value) == "extra_paper_without_legal_basis"
    assert not Dossier.objects.exists()


def test_the_desk_checklist_keeps_and_counts_an_extra_paper_with_basis(
    cast: Cast, case: Case
) -> None:
    dossier = intake.receive_new_dossier(
        _with_extra(case, BASIS), agency=cast.agency, actor=cast.alice
    )
    assert dossier.extra_papers == 1
    paper = dossier.documents.get(required=None)
    assert (paper.name, paper.legal_basis) == (LEASE, BASIS)
    receipt = DossierEvent.objects.get(action=Action.RECEIVE)
    assert {"name": LEASE, "legal_basis": BASIS}.items() <= receipt.data["checklist"][-1].items()
    demand = ExtraPaperDemand.objects.get()
    assert (demand.officer, demand.source) == (cast.alice, ExtraPaperSource.CHECKLIST)


def test_the_desk_refusal_checklist_needs_the_basis_too(cast: Cast, case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        intake.refuse_at_desk(
            _with_extra(case, ""), agency=cast.agency, actor=cast.alice, reasons=["Sai mẫu"]
        )
    assert _code(refused.value) == "extra_paper_without_legal_basis"


def test_typed_lines_split_paper_and_basis_and_refuse_a_line_without_basis() -> None:
    assert parse_lines(f"{LEASE} | {BASIS}\n\n") == [ExtraPaper(LEASE, BASIS)]
    with pytest.raises(ValidationError) as refused:
        parse_lines(LEASE)
    assert _code(refused.value) == "extra_paper_without_legal_basis"


def _post(client: Client, cast: Cast, code: str, data: dict[str, Any]) -> Any:
    client.force_login(cast.bob)
    url = f"/api/v1/dossiers/{code}/actions/request_supplement/"
    return client.post(url, data, content_type="application/json")


def test_the_api_refuses_an_extra_paper_without_basis_with_its_code(
    client: Client, cast: Cast, received: Dossier
) -> None:
    dossier = _processing(cast, received)
    refused = _post(client, cast, dossier.code, {"extra_papers": [{"name": LEASE}]})
    assert refused.status_code == 400
    assert refused.json()["code"] == "extra_paper_without_legal_basis"
    done = _post(
        client, cast, dossier.code, {"extra_papers": [{"name": LEASE, "legal_basis": BASIS}]}
    )
    assert done.status_code == 200, done.json()
    dossier.refresh_from_db()
    assert dossier.extra_papers == 1


def test_the_api_intake_refuses_a_checklist_paper_without_basis_and_keeps_one_with_it(
    client: Client, cast: Cast, case: Case
) -> None:
    listed = [{"required_id": d.pk} for d in case.documents.filter(mandatory=True)]
    body: dict[str, Any] = {
        "agency": "H56.22",
        "procedure": case.version.procedure.code,
        "applicant": {"name": "Nguyễn Văn Bình"},
        "checklist": [*listed, {"name": LEASE}],
    }
    client.force_login(cast.alice)
    refused = client.post("/api/v1/dossiers/receive/", body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "extra_paper_without_legal_basis"
    body["checklist"] = [*listed, {"name": LEASE, "legal_basis": BASIS}]
    done = client.post("/api/v1/dossiers/receive/", body, content_type="application/json")
    assert done.status_code == 201, done.json()
    assert done.json()["extra_papers"] == 1
