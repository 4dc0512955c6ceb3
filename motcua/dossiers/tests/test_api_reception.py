"""``POST /api/v1/dossiers/receive_with_scans/``: the desk's reception with the scans handed in
and the fee collected, all or nothing, through the engine's ``reception.receive_with_scans``
(the service the desk's screen calls)."""

import hashlib
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import User
from motcua.catalogue.models import Case
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import household_business_case
from motcua.testing import Cast, field_problems

URL = "/api/v1/dossiers/receive_with_scans/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


def _intake(case: Case, **extra: Any) -> dict[str, Any]:
    return {
        "agency": "H56.22",
        "procedure": "2.000720",
        "applicant": {"name": "Nguyễn Văn Bình", "id_number": "087090001234"},
        "checklist": [{"required_id": d.pk} for d in case.documents.all()],
        **extra,
    }


def _first_required(case: Case) -> int:
    return case.documents.order_by("pk").values_list("pk", flat=True)[0]


def _send(
    client: Client, user: User | None, body: Any, files: dict[str, bytes], **headers: str
) -> Any:
    if user is not None:
        client.force_login(user)
    data: dict[str, Any] = {"intake": body if isinstance(body, str) else json.dumps(body)}
    data.update(
        {name: SimpleUploadedFile(f"{name}.pdf", content) for name, content in files.items()}
    )
    return client.post(URL, data, headers=headers)


def test_the_desk_receives_with_a_scan_and_the_fee_in_one_call(
    client: Client, cast: Cast, case: Case
) -> None:
    required = _first_required(case)
    body = _intake(case, fee_amount="100000", fee_receipt="0000321", fee_method="cash")

    response = _send(client, cast.alice, body, {f"scan_{required}": PDF})

    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.status == "2"
    scanned = dossier.documents.get(required_id=required)
    assert scanned.provided and scanned.sha256 == hashlib.sha256(PDF).hexdigest()
    assert dossier.events.filter(action="attach", actor=cast.alice).count() == 1
    fee = dossier.events.get(action="collect_fee")
    assert (fee.data["receipt"], fee.actor) == ("0000321", cast.alice)
    assert dossier.fees_paid == 100000


def test_a_scanned_document_counts_as_provided_though_not_ticked(
    client: Client, cast: Cast, case: Case
) -> None:
    required = _first_required(case)
    body = _intake(case)
    body["checklist"] = [
        {"required_id": d.pk, "provided": d.pk != required} for d in case.documents.all()
    ]
    response = _send(client, cast.alice, body, {f"scan_{required}": PDF})
    assert response.status_code == 201, response.json()
    assert Dossier.objects.get().documents.get(required_id=required).provided


def test_a_scan_that_is_no_pdf_nor_image_refuses_the_whole_receipt(
    client: Client, cast: Cast, case: Case
) -> None:
    required = _first_required(case)
    response = _send(client, cast.alice, _intake(case), {f"scan_{required}": b"MZ\x90\x00"})
    assert response.status_code == 400
    assert field_problems(response) == {f"scan_{required}": ["file_type"]}
    assert not Dossier.objects.exists()


def test_a_scan_of_a_document_not_in_the_checklist_is_refused(
    client: Client, cast: Cast, case: Case
) -> None:
    response = _send(client, cast.alice, _intake(case), {"scan_999999": PDF})
    assert response.status_code == 400
    assert field_problems(response) == {"scan_999999": ["scan_not_in_checklist"]}
    assert not Dossier.objects.exists()


def test_a_wrong_fee_refuses_the_whole_receipt_next_to_the_fee(
    client: Client, cast: Cast, case: Case
) -> None:
    required = _first_required(case)
    body = _intake(case, fee_amount="150000", fee_receipt="9", fee_method="cash")  # too much
    response = _send(client, cast.alice, body, {f"scan_{required}": PDF})
    assert response.status_code == 400
    assert field_problems(response) == {"fee_amount": ["fee_more_than_owed"]}
    assert not Dossier.objects.exists()


def test_a_receipt_without_amount_and_method_is_a_400(
    client: Client, cast: Cast, case: Case
) -> None:
    response = _send(client, cast.alice, _intake(case, fee_receipt="9"), {})
    assert response.status_code == 400
    assert field_problems(response) == {"fee_amount": ["required"], "fee_method": ["required"]}


@pytest.mark.parametrize(
    ("part", "code"),
    [("", "parse_error"), ("{", "parse_error"), ("[[[[" * 20 + "]]]]" * 20, "json_too_deep")],
)
def test_the_intake_part_must_be_json_of_bounded_depth(
    client: Client, cast: Cast, case: Case, part: str, code: str
) -> None:
    response = _send(client, cast.alice, part, {})
    assert response.status_code == 400
    assert field_problems(response) == {"intake": [code]}


def test_the_intake_part_is_required(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    response = client.post(URL, {"other": "x"})
    assert response.status_code == 400
    assert field_problems(response) == {"intake": ["required"]}


def test_a_file_under_another_name_is_refused(client: Client, cast: Cast, case: Case) -> None:
    response = _send(client, cast.alice, _intake(case), {"file": PDF})
    assert response.status_code == 400
    assert field_problems(response) == {"file": ["scan_field_name"]}
    assert not Dossier.objects.exists()


def test_only_the_desk_of_the_agency_receives(client: Client, cast: Cast, case: Case) -> None:
    required = _first_required(case)
    for user in (cast.bob, cast.henry, cast.ivan):  # specialist, citizen, another agency's desk
        response = _send(client, user, _intake(case), {f"scan_{required}": PDF})
        assert response.status_code == 403, user.username
    client.logout()
    response = _send(client, None, _intake(case), {f"scan_{required}": PDF})
    assert response.status_code in {401, 403}
    assert not Dossier.objects.exists()


def test_a_repeat_with_the_same_idempotency_key_gives_the_first_dossier(
    client: Client, cast: Cast, case: Case
) -> None:
    required = _first_required(case)
    files = {f"scan_{required}": PDF}
    first = _send(client, cast.alice, _intake(case), files, **{"Idempotency-Key": "k-1"})
    again = _send(client, cast.alice, _intake(case), files, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1
