"""Bad input at the desk's reception form: names composed and cleaned of invisible characters,
ID and phone numbers checked, reasons bounded. A refusal answers 400 with the message next to
the field and every typed value kept; nothing is created."""

import unicodedata
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.validators import MAX_LINES
from motcua.catalogue.models import Case
from motcua.dossiers.models import Dossier
from motcua.testing import Cast


def _url(case: Case) -> str:
    return f"/workspace/reception/{case.pk}/"


def _post(case: Case, do: str, **overrides: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applicant_name": "Trần Thị Hoa",
        "applicant_id_number": "087190005678",
        "applicant_address": "Xã Tân Phước, tỉnh Đồng Tháp",
        "applicant_phone": "0987654321",
        "channel": "in_person",
        "reasons": "",
        "do": do,
    }
    for d in case.documents.all():
        data[f"doc_{d.pk}"] = "on"
        data[f"copies_{d.pk}"] = str(d.copies)
    return {**data, **overrides}


def test_names_and_numbers_are_received_composed_and_cleaned(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    typed = {
        "applicant_name": unicodedata.normalize("NFD", "Trần\u200b Thị \u202eHoa"),
        "applicant_id_number": "087 190\u200b005 678",
        "applicant_phone": "+84 987 654 321",
        "proxy_name": "Lê\u2067 Văn An",
        "proxy_id_number": "０８７０９０００１２３４",
    }
    response = client.post(_url(case), _post(case, "receive", **typed))
    assert response.status_code == 302, response.context["form"].errors
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == "Trần Thị Hoa"
    assert dossier.applicant_id_number == "087190005678"
    assert dossier.applicant_phone == "0987654321"
    assert dossier.proxy_name == "Lê Văn An"
    assert dossier.proxy_id_number == "087090001234"


@pytest.mark.parametrize(
    ("field", "value", "code", "words"),
    [
        ("applicant_id_number", "08719000567", "invalid_personal_id", "12 digits"),
        ("proxy_id_number", "0312345678", "invalid_personal_id", "12 digits"),
        ("applicant_phone", "098765432", "invalid_phone", "10 digits"),
        ("proxy_phone", "0187654321", "invalid_phone", "10 digits"),
        ("applicant_name", "\u200b\u200f", "required", "name is required"),
        ("reasons", "Thiếu giấy tờ\n" * (MAX_LINES + 1), "too_many_lines", "At most 50 lines"),
    ],
)
def test_bad_input_is_a_400_next_to_its_field_keeping_the_rest(
    client: Client, cast: Cast, case: Case, field: str, value: str, code: str, words: str
) -> None:
    client.force_login(cast.alice)
    do = "refuse" if field == "reasons" else "receive"
    data = _post(case, do, **{field: value})
    if do == "refuse" and field != "reasons":
        data["reasons"] = "Thiếu giấy tờ"
    response = client.post(_url(case), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors[field]] == [code]
    body = response.content.decode()
    assert words in body
    assert "Xã Tân Phước, tỉnh Đồng Tháp" in body  # the rest of the input is kept
    assert not Dossier.objects.exists()
