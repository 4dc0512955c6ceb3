"""The workspace's forms take a paper beyond the published list with its legal basis, typed as
"paper | legal basis" (no JavaScript): without the basis the form is refused with the input kept;
with it the dossier is flagged with a badge and the paper is listed with its basis."""

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from motcua.catalogue.models import Case
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.testing import Cast, aware

NOW = aware("2026-03-10T09:00")  # a Tuesday
LEASE = "Hợp đồng thuê nhà có công chứng"
BASIS = "Điều 87 Nghị định 01/2021/NĐ-CP"
BADGE = 'data-badge="extra-papers"'
# The pages speak Vietnamese (the middleware's default).
REFUSED = "không có trong danh mục thành phần hồ sơ đã công bố"


@pytest.fixture
def frozen() -> Iterator[None]:
    """The clock stands still at ``NOW`` (views read ``timezone.now``)."""
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def _page(dossier: Dossier, suffix: str = "") -> str:
    return f"/workspace/dossiers/{dossier.code}/{suffix}"


def _ask(client: Client, dossier: Dossier, extra: str, items: str = "") -> Any:
    return client.post(
        _page(dossier, "act/request_supplement/"),
        {"revision": dossier.revision, "items": items, "reason": "", "extra_papers": extra},
    )


def test_the_supplement_form_refuses_an_extra_paper_without_basis_and_keeps_the_input(
    client: Client, cast: Cast, received: Dossier
) -> None:
    services.forward(received, actor=cast.alice, to=cast.bob)
    received.refresh_from_db()
    client.force_login(cast.bob)
    response = _ask(client, received, LEASE, items="Bản sao CCCD")
    assert response.status_code == 400
    body = response.content.decode()
    assert REFUSED in body  # the refusal, next to the field
    assert LEASE in body and "Bản sao CCCD" in body  # what was typed is still there
    received.refresh_from_db()
    assert received.extra_papers == 0 and BADGE not in client.get(_page(received)).content.decode()


def test_the_supplement_form_takes_an_extra_paper_with_basis_and_flags_the_dossier(
    client: Client, cast: Cast, received: Dossier
) -> None:
    services.forward(received, actor=cast.alice, to=cast.bob)
    received.refresh_from_db()
    client.force_login(cast.bob)
    response = _ask(client, received, f"{LEASE} | {BASIS}")
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.extra_papers == 1
    page = client.get(_page(received)).content.decode()
    assert BADGE in page and "1 giấy tờ ngoài danh mục" in page
    assert f"{LEASE} (ngoài danh mục; căn cứ pháp lý: {BASIS})" in page  # the log


def _reception(case: Case, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applicant_name": "Trần Thị Hoa",
        "applicant_id_number": "087190005678",
        "applicant_address": "Xã Tân Phước, tỉnh Đồng Tháp",
        "applicant_phone": "0987654321",
        "applicant_email": "",
        "channel": "in_person",
        "reasons": "",
        "do": "receive",
    }
    for d in case.documents.all():
        if d.mandatory:
            data[f"doc_{d.pk}"] = "on"
        data[f"copies_{d.pk}"] = str(d.copies)
    data.update(overrides)
    return data


@pytest.mark.usefixtures("frozen")
def test_the_reception_checklist_refuses_an_extra_paper_without_basis(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    url = f"/workspace/reception/{case.pk}/"
    response = client.post(url, _reception(case, extra_papers=f"{LEASE} |  "))
    assert response.status_code == 400
    body = response.content.decode()
    assert REFUSED in body
    assert LEASE in body and "Trần Thị Hoa" in body
    assert not Dossier.objects.exists()


@pytest.mark.usefixtures("frozen")
def test_the_reception_checklist_takes_an_extra_paper_with_basis(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    url = f"/workspace/reception/{case.pk}/"
    response = client.post(url, _reception(case, extra_papers=f"{LEASE} | {BASIS}"))
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.extra_papers == 1
    paper = dossier.documents.get(required=None)
    assert (paper.name, paper.legal_basis) == (LEASE, BASIS)
    page = client.get(_page(dossier)).content.decode()
    assert BADGE in page and f"căn cứ pháp lý: {BASIS}" in page


def test_the_lists_filter_and_flag_dossiers_with_extra_papers_from_the_stored_flag(
    client: Client, cast: Cast, case: Case, received: Dossier
) -> None:
    """``extra_papers=true`` (the FilterSet the API and the screens share) keeps the flagged
    dossiers; the list row and the API's list carry the flag."""
    from motcua.dossiers import intake
    from motcua.dossiers.extra_papers import ExtraPaper
    from motcua.dossiers.tests.factories import complete_intake

    other = intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)
    services.forward(received, actor=cast.alice, to=cast.bob)
    services.request_supplement(
        received, actor=cast.bob, items=[], extra_papers=[ExtraPaper(LEASE, BASIS)]
    )
    client.force_login(cast.bob)
    api = client.get("/api/v1/dossiers/", {"extra_papers": "true"}).json()
    found = api["results"] if isinstance(api, dict) else api
    assert [(d["code"], d["extra_papers"]) for d in found] == [(received.code, 1)]
    page = client.get("/workspace/", {"extra_papers": "true"}).content.decode()
    assert received.code in page and other.code not in page and BADGE in page
