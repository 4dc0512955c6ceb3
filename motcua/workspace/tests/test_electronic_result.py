"""Electronic results (issue #15): a procedure whose catalogue entry says its result is issued
electronically has the leader's signed result delivered into the applicant's "Hồ sơ của tôi"
on approval, by the system: the dossier is returned electronically (status 10, counted so in
the reports' rollups the 766 index reads), and the owner — only the owner — downloads it any
time. Without the flag, without a signature, without an account or with a fee owed, the desk
returns the result as before."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.catalogue.models import Case, ProcedureVersion
from motcua.dossiers import documents, intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.rollup_models import DailyRollup
from motcua.dossiers.steps import approval_refusal
from motcua.dossiers.tests.factories import birth_registration_case, complete_intake
from motcua.signing.tests.pki import Pki, serve_test_pki
from motcua.signing.tests.test_signing import a_pdf
from motcua.signing.trust import Trust
from motcua.signing.verify import Verdict, verify_pdf
from motcua.testing import Cast, make_user
from motcua.workspace.signing import sign_result

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    with serve_test_pki(tmp_path_factory.mktemp("pki")) as served:
        yield served


@pytest.fixture
def trust(pki: Pki, settings: Any, tmp_path: Path) -> Trust:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.roots_file())]
    return Trust.from_files([pki.roots_file()])


@pytest.fixture
def case(cast: Cast) -> Case:
    """Birth registration (no fee), its result issued electronically."""
    case = birth_registration_case(cast.agency)
    ProcedureVersion.objects.filter(pk=case.version_id).update(result_electronic=True)
    case.refresh_from_db()
    return case


def at_the_last_step(cast: Cast, case: Case, *, owner: Any = None) -> Dossier:
    """A dossier submitted online by ``owner`` (at the desk without one), received, its result
    PDF attached, at the step that approves."""
    if owner is not None:
        dossier = intake.submit_online(
            complete_intake(case, channel="online"), agency=cast.agency, actor=owner
        )
        services.receive(dossier, actor=cast.alice)
    else:
        dossier = intake.receive_new_dossier(
            complete_intake(case), agency=cast.agency, actor=cast.alice
        )
    services.forward(dossier, actor=cast.alice)
    dossier.refresh_from_db()
    upload = SimpleUploadedFile("trich-luc.pdf", a_pdf("Trích lục"), content_type="application/pdf")
    documents.attach(dossier, actor=holder(dossier, cast), upload=upload, result=True)
    while approval_refusal(d := Dossier.objects.get(pk=dossier.pk)) is not None:
        services.forward(d, actor=holder(d, cast))
    return Dossier.objects.get(pk=dossier.pk)


def holder(dossier: Dossier, cast: Cast) -> Any:
    role = dossier.current_step.role if dossier.current_step else "desk_officer"
    return {
        "desk_officer": cast.alice,
        "specialist": cast.bob,
        "head_of_department": cast.carol,
        "signing_leader": cast.dave,
    }[role]


def approve_signed(dossier: Dossier, cast: Cast, pki: Pki) -> Dossier:
    leader = holder(dossier, cast)
    key = SimpleUploadedFile("k.p12", pki.pkcs12("signer"))
    signed = sign_result(dossier, leader, key_file=key, passphrase="mat-khau-thu", pin="")
    services.approve(dossier, actor=leader, result="Trích lục số 1", signed_result=signed)
    return Dossier.objects.get(pk=dossier.pk)


def test_the_signed_result_is_delivered_into_the_owners_account(
    client: Client, cast: Cast, case: Case, pki: Pki, trust: Trust
) -> None:
    dossier = approve_signed(at_the_last_step(cast, case, owner=cast.henry), cast, pki)
    assert dossier.status == "10" and dossier.return_method == "electronic"
    delivered = dossier.events.get(action="return_result")
    assert delivered.actor is None and delivered.data["delivered"] == "electronic_result"
    assert delivered.data["method"] == "electronic"
    approval = dossier.events.get(action="approve")
    assert approval.pk < delivered.pk  # the signature, then the delivery: nothing in between
    client.force_login(cast.henry)
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    [document] = dossier.documents.filter(result=True)
    url = f"/ho-so-cua-toi/{dossier.code}/ket-qua/{document.pk}/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    verified = verify_pdf(data, trust, recorded_sha256=approval.data["signature"]["sha256"])
    assert verified.verdict == Verdict.VALID and verified.matches_record


def test_only_the_owner_downloads_it(
    client: Client, cast: Cast, case: Case, pki: Pki, trust: Trust
) -> None:
    dossier = approve_signed(at_the_last_step(cast, case, owner=cast.henry), cast, pki)
    [document] = dossier.documents.filter(result=True)
    url = f"/ho-so-cua-toi/{dossier.code}/ket-qua/{document.pk}/"
    assert client.get(url).status_code in (302, 403)  # signed out: to the sign-in page
    other = make_user("lan", ("citizen", None), id_number="079123456780")
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(cast.dave)  # an official is no owner either
    assert client.get(url).status_code in (403, 404)


def test_it_counts_as_returned_electronically_in_the_reports(
    cast: Cast, case: Case, pki: Pki, trust: Trust
) -> None:
    approve_signed(at_the_last_step(cast, case, owner=cast.henry), cast, pki)
    today = timezone.localdate()
    rows = DailyRollup.objects.filter(day=today, agency=cast.agency)
    # What the 766 index's "results returned electronically" reads (``reports.index766``).
    assert sum(r.returned_electronic for r in rows) == sum(r.returned for r in rows) == 1


@pytest.mark.parametrize("why", ["no flag", "unsigned", "no account"])
def test_otherwise_the_desk_returns_the_result(
    cast: Cast, case: Case, pki: Pki, trust: Trust, why: str
) -> None:
    if why == "no flag":
        ProcedureVersion.objects.filter(pk=case.version_id).update(result_electronic=False)
    dossier = at_the_last_step(cast, case, owner=None if why == "no account" else cast.henry)
    if why == "unsigned":
        services.approve(dossier, actor=holder(dossier, cast), result="Trích lục số 1")
        dossier.refresh_from_db()
    else:
        dossier = approve_signed(dossier, cast, pki)
    assert dossier.status == "9" and not dossier.events.filter(action="return_result").exists()
    services.return_result(dossier, actor=cast.alice, method="in_person")
    dossier.refresh_from_db()
    assert dossier.status == "10"


def test_with_a_fee_owed_the_desk_collects_it_first(cast: Cast, pki: Pki, trust: Trust) -> None:
    from motcua.dossiers.tests.factories import household_business_case

    fee_case = household_business_case(cast.agency)
    ProcedureVersion.objects.filter(pk=fee_case.version_id).update(result_electronic=True)
    fee_case.refresh_from_db()
    dossier = approve_signed(at_the_last_step(cast, fee_case, owner=cast.henry), cast, pki)
    assert services.fees_owed(dossier) > 0
    assert dossier.status == "9"
