"""Searching dossiers (``q`` of ``DossierFilter``, shared by the API and the workspace list):
the applicant's name in any case and with or without diacritics, part of the code, the ID
number; alike on SQLite and PostgreSQL."""

import dataclasses

import pytest
from django.test import Client

from motcua.accounts.models import Role
from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.testing import Cast, make_user


@pytest.fixture
def dossiers(cast: Cast) -> dict[str, Dossier]:
    case = household_business_case(cast.agency)

    def receive(case: Case, name: str, id_number: str, when: str) -> Dossier:
        entered = complete_intake(case)
        entered.applicant = dataclasses.replace(entered.applicant, name=name, id_number=id_number)
        return intake.receive_new_dossier(
            entered, agency=cast.agency, actor=cast.alice, now=at(when)
        )

    return {
        "nam": receive(case, "Lê Văn Năm", "087085000003", "2026-11-23T09:00"),
        "nam2": receive(case, "Đặng Thị Lan", "087185000004", "2026-11-23T10:00"),
        "other": receive(case, "Nguyễn Văn Bình", "087090001234", "2026-11-24T09:00"),
    }


def _api(client: Client, q: str) -> list[str]:
    return sorted(d["code"] for d in client.get("/api/v1/dossiers/", {"q": q}).json()["results"])


def _workspace(client: Client, q: str) -> list[str]:
    response = client.get("/workspace/", {"q": q})
    assert response.status_code == 200
    return sorted(d.code for d in response.context["page"].object_list)


@pytest.mark.parametrize("find", [_api, _workspace], ids=["api", "workspace"])
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Lê Văn Năm", ["nam"]),
        ("LÊ VĂN NĂM", ["nam"]),
        ("Le Van Nam", ["nam"]),
        ("le van nam", ["nam"]),
        ("  văn   năm ", ["nam"]),  # spaces as typed
        ("NĂM", ["nam"]),
        ("dang thi", ["nam2"]),  # đ without its stroke
        ("ĐẶNG", ["nam2"]),
        ("261123", ["nam", "nam2"]),  # part of the code: the day
        ("h56.22-261124", ["other"]),
        ("H56.22-261123-0002", ["nam2"]),
        ("087090001234", ["other"]),
        ("Nguyen Van Binh", ["other"]),
        ("Trần", []),
    ],
)
def test_the_search_finds_names_without_case_or_accents_and_parts_of_codes(
    client: Client,
    cast: Cast,
    dossiers: dict[str, Dossier],
    find: object,
    q: str,
    expected: list[str],
) -> None:
    client.force_login(cast.alice)
    assert callable(find)
    assert find(client, q) == sorted(dossiers[k].code for k in expected)


def test_the_search_stays_within_what_the_user_may_read(
    client: Client, cast: Cast, dossiers: dict[str, Dossier]
) -> None:
    judy = make_user("judy", (Role.DESK_OFFICER, cast.other_agency))
    for outsider in (judy, cast.henry, cast.oscar):
        client.force_login(outsider)
        assert _api(client, "Le Van Nam") == []
        assert _api(client, "261123") == []


def test_the_key_is_written_with_the_name(cast: Cast, dossiers: dict[str, Dossier]) -> None:
    assert dossiers["nam"].applicant_name_search == "le van nam"
    assert dossiers["nam2"].applicant_name_search == "dang thi lan"
