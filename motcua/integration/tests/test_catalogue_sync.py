"""The national catalogue pulled over HTTP from the simulator: each procedure new, amended or
abolished there becomes one pending change, never applied by the pull; accepted, it becomes a
version through the catalogue's services; rejected, it keeps its reason and is not proposed
again; every pull and decision is an event. The screens are tested in
workspace/tests/test_national_catalogue.py."""

import copy
import json
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from motcua.catalogue.interchange import export_catalogue
from motcua.catalogue.models import CatalogueEvent, Procedure, ProcedureVersion, VersionStatus
from motcua.catalogue.queries import spec_of, version_with_details
from motcua.dossiers.tests.factories import at, birth_registration_case, household_business_case
from motcua.integration import catalogue_sync
from motcua.integration.catalogue_diff import diff
from motcua.integration.models import CatalogueChange, CatalogueSyncEvent, ChangeKind, ChangeState
from motcua.integration.national import NationalPortal
from motcua.integration.simulator import NationalSimulator
from motcua.testing import Cast

TOKEN = "s3cret"
NEW_DECISION = {
    "number": "2000/QĐ-BKHĐT",
    "signed_on": "2026-01-10",
    "issuer": "Bộ Tài chính",
    "effective_from": "2026-02-01",
    "title": "Công bố thủ tục hành chính sửa đổi",
}


def national_catalogue() -> dict[str, Any]:
    """Ours as it is, as the national portal would publish it: without internal processes."""
    data = export_catalogue()
    for procedure in data["procedures"]:
        for case in procedure["cases"]:
            case.pop("process")
    data["abolished"] = []
    return data


def changed_catalogue() -> dict[str, Any]:
    """The national catalogue with 2.000720 amended (name, a document, the fee), 2.001001 new
    in a field we lack, 1.001193 abolished, each under the new decision."""
    data = national_catalogue()
    data["decisions"].append(NEW_DECISION)
    amended = next(p for p in data["procedures"] if p["code"] == "2.000720")
    amended["name"] = "Đăng ký thành lập hộ kinh doanh (sửa đổi)"
    amended["decision"] = NEW_DECISION["number"]
    case = amended["cases"][0]
    case["documents"].append({"name": "Bản sao căn cước của các thành viên", "form": "copy"})
    case["fees"][0]["amount"] = 50000
    new = copy.deepcopy(amended)
    new |= {"code": "2.001001", "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ", "field": "XD"}
    data["procedures"].append(new)
    data["fields"].append({"code": "XD", "name": "Hoạt động xây dựng", "name_en": "Construction"})
    data["procedures"] = [p for p in data["procedures"] if p["code"] != "1.001193"]
    data["abolished"] = [{"code": "1.001193", "decision": NEW_DECISION["number"]}]
    return data


@pytest.fixture
def simulator(cast: Cast) -> NationalSimulator:
    household_business_case(cast.agency)
    birth_registration_case(cast.agency)
    return NationalSimulator(token=TOKEN, catalogue=national_catalogue())


@pytest.fixture
def url(simulator: NationalSimulator) -> Iterator[str]:
    with simulator.running() as base:
        yield base


@pytest.fixture
def portal(url: str) -> NationalPortal:
    return NationalPortal(url, TOKEN, timeout=5)


def change_catalogue(url: str, catalogue: dict[str, Any]) -> None:
    """Tell the running simulator its new catalogue, over HTTP as a test of the demo would."""
    request = urllib.request.Request(  # noqa: S310 - a local test server
        f"{url}/_catalogue", data=json.dumps(catalogue).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310
        pass


def _changes() -> dict[str, CatalogueChange]:
    return {c.procedure_code: c for c in CatalogueChange.objects.filter(state="pending")}


def test_a_catalogue_the_same_as_ours_makes_no_change(cast: Cast, portal: NationalPortal) -> None:
    report = catalogue_sync.pull_catalogue(actor=cast.grace, portal=portal)
    assert (report.found, report.unchanged, report.problem) == ({}, 2, "")
    assert not CatalogueChange.objects.exists()
    pulled = CatalogueSyncEvent.objects.get()
    assert (pulled.kind, pulled.actor, pulled.change) == ("pulled", cast.grace, None)
    assert pulled.data["unchanged"] == 2


def test_new_amended_and_abolished_procedures_become_pending_changes_only(
    cast: Cast, url: str, portal: NationalPortal
) -> None:
    change_catalogue(url, changed_catalogue())
    versions = ProcedureVersion.objects.count()
    report = catalogue_sync.pull_catalogue(actor=None, portal=portal, now=at("2026-02-02T04:00"))
    assert report.found == {"amended": ["2.000720"], "new": ["2.001001"], "abolished": ["1.001193"]}
    assert ProcedureVersion.objects.count() == versions  # nothing applied
    assert not Procedure.objects.filter(code="2.001001").exists()
    changes = _changes()
    assert {code: c.kind for code, c in changes.items()} == {
        "2.000720": ChangeKind.AMENDED,
        "2.001001": ChangeKind.NEW,
        "1.001193": ChangeKind.ABOLISHED,
    }
    assert changes["2.001001"].field == {
        "code": "XD",
        "name": "Hoạt động xây dựng",
        "name_en": "Construction",
    }
    assert changes["2.000720"].decision["number"] == "2000/QĐ-BKHĐT"
    assert changes["2.000720"].base == ProcedureVersion.objects.get(procedure__code="2.000720")
    found = CatalogueSyncEvent.objects.filter(kind="found")
    assert {e.change.procedure_code for e in found if e.change} == set(changes)


def test_the_diff_shows_each_published_field_ours_beside_the_national(
    cast: Cast, url: str, portal: NationalPortal
) -> None:
    change_catalogue(url, changed_catalogue())
    catalogue_sync.pull_catalogue(actor=None, portal=portal)
    change = _changes()["2.000720"]
    assert change.base is not None
    rows = diff(spec_of(version_with_details(change.base.pk)), catalogue_sync.national_spec(change))
    changed = {row.label: (row.ours, row.national) for row in rows if row.changed}
    assert changed["name"] == (
        "Đăng ký thành lập hộ kinh doanh",
        "Đăng ký thành lập hộ kinh doanh (sửa đổi)",
    )
    assert "Bản sao căn cước của các thành viên" in changed["Case 1: required documents"][1]
    assert "100.000 đ" in changed["Case 1: fees and charges"][0]
    assert "50.000 đ" in changed["Case 1: fees and charges"][1]
    assert len(changed) == 3  # the rest is the same
    assert any(not row.changed for row in rows)


def test_an_accepted_amendment_is_a_new_version_keeping_our_internal_process(
    cast: Cast, url: str, portal: NationalPortal
) -> None:
    change_catalogue(url, changed_catalogue())
    catalogue_sync.pull_catalogue(actor=None, portal=portal)
    before = ProcedureVersion.objects.get(procedure__code="2.000720")
    accepted = catalogue_sync.accept_change(_changes()["2.000720"], actor=cast.grace)
    assert accepted.state == ChangeState.ACCEPTED and accepted.decided_by == cast.grace
    version = ProcedureVersion.objects.get(procedure__code="2.000720", status="published")
    assert accepted.result == version
    assert (version.number, version.previous) == (2, before)
    assert version.name == "Đăng ký thành lập hộ kinh doanh (sửa đổi)"
    assert version.published_by.number == "2000/QĐ-BKHĐT"
    spec = spec_of(version_with_details(version.pk))
    assert [s.allowance for s in spec.cases[0].process] == [
        Decimal("0.5"), Decimal("2"), Decimal("1"), Decimal("1"), Decimal("0.5")
    ]  # fmt: skip
    assert spec.cases[0].fees[0].amount == 50000
    event = CatalogueEvent.objects.filter(procedure__code="2.000720").latest("pk")
    assert (event.action, event.actor) == ("amended", cast.grace)
    sync = CatalogueSyncEvent.objects.get(kind="accepted")
    assert (sync.change, sync.actor, sync.data) == (accepted, cast.grace, {"version": 2})


def test_an_accepted_new_procedure_and_an_abolition_go_through_the_catalogue(
    cast: Cast, url: str, portal: NationalPortal
) -> None:
    change_catalogue(url, changed_catalogue())
    catalogue_sync.pull_catalogue(actor=None, portal=portal)
    changes = _changes()
    catalogue_sync.accept_change(changes["2.001001"], actor=cast.grace)
    new = ProcedureVersion.objects.get(procedure__code="2.001001")
    assert (new.number, new.field.code, new.field.name) == (1, "XD", "Hoạt động xây dựng")
    assert not new.cases.get().processes.exists()  # a new procedure's process is set here
    catalogue_sync.accept_change(changes["1.001193"], actor=cast.grace)
    ended = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert ended.status == VersionStatus.ABOLISHED
    assert str(ended.effective_to) == "2026-01-31"
    # Pulled again: the new procedure is the same as ours, the amendment still waits.
    report = catalogue_sync.pull_catalogue(actor=None, portal=portal)
    assert (report.found, report.unchanged, report.kept) == ({}, 1, 1)


def test_a_rejected_change_keeps_its_reason_and_is_not_proposed_again(
    cast: Cast, url: str, portal: NationalPortal
) -> None:
    change_catalogue(url, changed_catalogue())
    catalogue_sync.pull_catalogue(actor=None, portal=portal)
    change = _changes()["1.001193"]
    with pytest.raises(ValidationError) as refused:
        catalogue_sync.reject_change(change, reason="  ", actor=cast.grace)
    assert refused.value.code == "required"
    rejected = catalogue_sync.reject_change(
        change, reason="Tỉnh còn áp dụng đến hết năm", actor=cast.grace
    )
    assert (rejected.state, rejected.reason) == (
        ChangeState.REJECTED,
        "Tỉnh còn áp dụng đến hết năm",
    )
    assert ProcedureVersion.objects.get(procedure__code="1.001193").status == "published"
    event = CatalogueSyncEvent.objects.get(kind="rejected")
    assert (event.actor, event.reason) == (cast.grace, "Tỉnh còn áp dụng đến hết năm")
    report = catalogue_sync.pull_catalogue(actor=None, portal=portal)
    assert (report.found, report.kept) == ({}, 3)
    with pytest.raises(ValidationError) as again:
        catalogue_sync.accept_change(rejected, actor=cast.grace)
    assert again.value.code == "change_not_pending"


def test_a_later_national_change_supersedes_the_waiting_one(
    cast: Cast, url: str, portal: NationalPortal
) -> None:
    data = changed_catalogue()
    change_catalogue(url, data)
    catalogue_sync.pull_catalogue(actor=None, portal=portal)
    first = _changes()["2.000720"]
    next(p for p in data["procedures"] if p["code"] == "2.000720")["name"] = "Tên mới hơn"
    change_catalogue(url, data)
    report = catalogue_sync.pull_catalogue(actor=None, portal=portal)
    assert (report.found, report.superseded, report.kept) == ({"amended": ["2.000720"]}, 1, 2)
    first.refresh_from_db()
    assert first.state == ChangeState.SUPERSEDED
    assert _changes()["2.000720"].national["name"] == "Tên mới hơn"
    with pytest.raises(ValidationError):
        catalogue_sync.accept_change(first, actor=cast.grace)


def test_a_change_made_stale_by_an_amendment_here_is_refused(
    cast: Cast, url: str, portal: NationalPortal
) -> None:
    change_catalogue(url, changed_catalogue())
    catalogue_sync.pull_catalogue(actor=None, portal=portal)
    abolition = _changes()["1.001193"]
    amendment = _changes()["2.000720"]
    catalogue_sync.accept_change(amendment, actor=cast.grace)
    CatalogueChange.objects.filter(pk=abolition.pk).update(base=amendment.result)
    with pytest.raises(ValidationError) as stale:
        catalogue_sync.accept_change(abolition, actor=cast.grace)
    assert stale.value.code == "change_stale"
    abolition.refresh_from_db()
    assert abolition.state == ChangeState.PENDING


@pytest.mark.parametrize("who", ["alice", "erin", "frank"])
def test_only_the_catalogue_officer_pulls_accepts_or_rejects(
    cast: Cast, url: str, portal: NationalPortal, who: str
) -> None:
    change_catalogue(url, changed_catalogue())
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        catalogue_sync.pull_catalogue(actor=user, portal=portal)
    catalogue_sync.pull_catalogue(actor=None, portal=portal)
    change = _changes()["2.001001"]
    with pytest.raises(PermissionDenied):
        catalogue_sync.accept_change(change, actor=user)
    with pytest.raises(PermissionDenied):
        catalogue_sync.reject_change(change, reason="x", actor=user)
    change.refresh_from_db()
    assert change.state == ChangeState.PENDING


def test_a_portal_down_or_a_wrong_token_is_a_recorded_failure(
    cast: Cast, simulator: NationalSimulator, url: str
) -> None:
    simulator.behaviour.down = True
    report = catalogue_sync.pull_catalogue(actor=None, portal=NationalPortal(url, TOKEN))
    assert report.problem.startswith("HTTP 500")
    simulator.behaviour.down = False
    report = catalogue_sync.pull_catalogue(actor=None, portal=NationalPortal(url, "wrong"))
    assert report.problem.startswith("HTTP 401")
    failed = CatalogueSyncEvent.objects.filter(kind="pull_failed")
    assert [e.reason[:8] for e in failed] == ["HTTP 500", "HTTP 401"]
    assert not CatalogueChange.objects.exists()


def test_an_invalid_catalogue_is_refused_whole(
    cast: Cast, url: str, portal: NationalPortal
) -> None:
    data = changed_catalogue()
    data["procedures"][0]["levels"] = ["planet"]
    change_catalogue(url, data)
    report = catalogue_sync.pull_catalogue(actor=None, portal=portal)
    assert "levels" in report.problem
    assert not CatalogueChange.objects.exists()


def test_the_command_pulls_from_the_configured_portal(
    cast: Cast, url: str, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    change_catalogue(url, changed_catalogue())
    settings.MOTCUA_NATIONAL_URL = url
    settings.MOTCUA_NATIONAL_TOKEN = TOKEN
    call_command("pull-national-catalogue")
    assert "amended 1" in capsys.readouterr().out
    assert len(_changes()) == 3
    settings.MOTCUA_NATIONAL_URL = ""
    with pytest.raises(CommandError, match="MOTCUA_NATIONAL_URL"):
        call_command("pull-national-catalogue")


def test_the_daily_task_pulls_as_the_worker(cast: Cast, url: str, settings: Any) -> None:
    from motcua.integration.tasks import pull_national_catalogue

    change_catalogue(url, changed_catalogue())
    settings.MOTCUA_NATIONAL_URL = url
    settings.MOTCUA_NATIONAL_TOKEN = TOKEN
    result = pull_national_catalogue.call()
    assert result["configured"] is True
    assert result["found"] == {
        "amended": ["2.000720"],
        "new": ["2.001001"],
        "abolished": ["1.001193"],
    }
    assert CatalogueSyncEvent.objects.get(kind="pulled").actor is None


def test_the_simulator_s_own_catalogue_pulls_into_an_empty_one_as_new_procedures(
    cast: Cast,
) -> None:
    with NationalSimulator().running() as base:
        report = catalogue_sync.pull_catalogue(actor=None, portal=NationalPortal(base))
    assert (report.found, report.problem) == ({"new": ["1.001612", "1.001193"]}, "")
    change = CatalogueChange.objects.get(procedure_code="1.001612")
    catalogue_sync.accept_change(change, actor=cast.grace)
    version = ProcedureVersion.objects.get(procedure__code="1.001612")
    assert (version.field.code, version.published_by.issuer) == ("HKD", "Bộ Kế hoạch và Đầu tư")
