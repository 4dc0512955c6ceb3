"""Desk reception: the procedure search, who may reach it, the preview, receipt, the Form 02
path for an incomplete file, refusal and the look-up of a returning applicant."""

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from motcua.accounts.models import Agency, Role
from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import (
    birth_registration_case,
    complete_intake,
    household_business_case,
)
from motcua.dossiers.workflow import Status
from motcua.testing import Cast, aware, make_user

NOW = aware("2026-03-10T09:00")  # a Tuesday


@pytest.fixture
def frozen() -> Iterator[None]:
    """The clock stands still at ``NOW`` (views read ``timezone.now``)."""
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def birth_registration(agency: Agency) -> Case:
    return birth_registration_case(agency, competent=False)


def _url(case: Case) -> str:
    return f"/workspace/reception/{case.pk}/"


def _post(case: Case, do: str, **overrides: Any) -> dict[str, Any]:
    docs = list(case.documents.all())
    data: dict[str, Any] = {
        "applicant_name": "Trần Thị Hoa",
        "applicant_id_number": "087190005678",
        "applicant_address": "Xã Tân Phước, tỉnh Đồng Tháp",
        "applicant_phone": "0987654321",
        "applicant_email": "",
        "channel": "in_person",
        "reasons": "",
        "do": do,
    }
    for d in docs:
        if d.mandatory:
            data[f"doc_{d.pk}"] = "on"
        data[f"copies_{d.pk}"] = str(d.copies)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_search_finds_procedures_without_accents(
    client: Client, cast: Cast, case: Case
) -> None:
    birth = birth_registration(cast.agency)
    client.force_login(cast.alice)
    response = client.get("/workspace/reception/", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    assert [c.pk for c in response.context["cases"]] == [birth.pk]
    assert "Đăng ký khai sinh" in response.content.decode()
    everything = client.get("/workspace/reception/")
    assert {c.pk for c in everything.context["cases"]} == {birth.pk, case.pk}
    assert client.get("/workspace/reception/", {"q": "2.000720"}).context["cases"] == [case]


def test_procedures_of_other_agencies_are_not_listed_nor_reachable(
    client: Client, cast: Cast, db: None
) -> None:
    elsewhere = household_business_case(cast.other_agency)
    client.force_login(cast.alice)
    assert client.get("/workspace/reception/").context["cases"] == []
    assert client.get(_url(elsewhere)).status_code == 404


def test_only_desk_officers_of_the_agency_reach_reception(
    client: Client, cast: Cast, case: Case
) -> None:
    for user, status in ((cast.bob, 403), (cast.dave, 403), (cast.henry, 404), (cast.oscar, 404)):
        client.force_login(user)
        assert client.get("/workspace/reception/").status_code == status, user
        assert client.get(_url(case)).status_code == status, user
        assert client.post(_url(case), _post(case, "receive")).status_code == status, user
    assert not Dossier.objects.exists()
    client.logout()
    assert client.get("/workspace/reception/")["Location"].startswith("/workspace/login/")
    judy = make_user("judy", (Role.DESK_OFFICER, cast.other_agency))
    client.force_login(judy)
    assert client.get(_url(case)).status_code == 404  # not a case her agency receives


def test_the_queue_page_links_to_reception_for_desk_officers_only(
    client: Client, cast: Cast, db: None
) -> None:
    client.force_login(cast.alice)
    assert 'href="/workspace/reception/"' in client.get("/workspace/").content.decode()
    client.force_login(cast.bob)
    assert 'href="/workspace/reception/"' not in client.get("/workspace/").content.decode()


@pytest.mark.usefixtures("frozen")
def test_the_preview_shows_the_appointment_and_creates_nothing(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    response = client.post(_url(case), _post(case, "preview"))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.due_at.isoformat() == "2026-03-17T09:00:00+07:00"  # 5 working days
    assert preview.explanation and all(isinstance(line, str) for line in preview.explanation)
    page = response.content.decode()
    assert "09:00 17/03/2026" in page
    assert preview.explanation[0] in page
    assert "Trần Thị Hoa" in page  # what was typed is kept
    assert not Dossier.objects.exists()


@pytest.mark.usefixtures("frozen")
def test_receive_creates_the_dossier_with_the_ticked_checklist(
    client: Client, cast: Cast, case: Case
) -> None:
    optional = case.documents.get(mandatory=False)
    client.force_login(cast.alice)
    response = client.post(
        _url(case), _post(case, "receive", **{f"doc_{optional.pk}": "on", "channel": "post"})
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/workspace/dossiers/{dossier.code}/?print=receipt"
    assert dossier.status == Status.RECEIVED
    assert dossier.channel == "post"
    assert dossier.applicant_name == "Trần Thị Hoa"
    assert dossier.receiving_agency == cast.agency
    assert sorted(d.provided for d in dossier.documents.all()) == [True, True, True]
    page = client.get(response["Location"]).content.decode()
    assert f"/api/v1/dossiers/{dossier.code}/forms/receipt.pdf" in page
    assert 'data-print="receipt"' in page


def test_missing_mandatory_documents_list_them_and_offer_form_02(
    client: Client, cast: Cast, case: Case
) -> None:
    first = case.documents.get(position=1)
    client.force_login(cast.alice)
    response = client.post(_url(case), _post(case, "receive", **{f"doc_{first.pk}": None}))
    assert response.status_code == 400
    assert response.context["missing"] == [first.name]
    page = response.content.decode()
    assert first.name in page and 'value="supplement"' in page
    assert 'value="Trần Thị Hoa"' in page
    assert not Dossier.objects.exists()

    pdf = client.post(_url(case), _post(case, "supplement", **{f"doc_{first.pk}": None}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert not Dossier.objects.exists()


def test_form_02_is_refused_when_nothing_is_missing(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    response = client.post(_url(case), _post(case, "supplement"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


def test_validation_errors_keep_the_input_next_to_the_fields(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    response = client.post(
        _url(case), _post(case, "receive", applicant_name="", applicant_email="not-an-email")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"applicant_name", "applicant_email"}
    page = response.content.decode()
    assert 'value="087190005678"' in page and 'value="not-an-email"' in page
    assert page.count('class="field-error"') == 2
    assert not Dossier.objects.exists()


def test_refusal_requires_a_reason_and_creates_status_3(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    response = client.post(_url(case), _post(case, "refuse", reasons="  "))
    assert response.status_code == 400
    assert "reasons" in response.context["form"].errors
    assert not Dossier.objects.exists()

    response = client.post(
        _url(case), _post(case, "refuse", reasons="Không thuộc thẩm quyền\nThiếu chữ ký")
    )
    dossier = Dossier.objects.get()
    assert dossier.status == Status.NOT_ACCEPTED
    assert response["Location"] == f"/workspace/dossiers/{dossier.code}/?print=refusal"
    assert dossier.events.get().data["reasons"] == ["Không thuộc thẩm quyền", "Thiếu chữ ký"]
    page = client.get(response["Location"]).content.decode()
    assert f"/api/v1/dossiers/{dossier.code}/forms/refusal.pdf" in page


def test_look_up_prefills_the_applicant_from_the_latest_visible_dossier(
    client: Client, cast: Cast, received: Dossier
) -> None:
    case = received.case
    client.force_login(cast.alice)
    typed = _post(
        case,
        "lookup",
        applicant_name="",
        applicant_address="",
        applicant_phone="",
        applicant_id_number=received.applicant_id_number,
        proxy_name="Lê Văn Tư",
    )
    response = client.post(_url(case), typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["applicant_name"] == received.applicant_name
    assert form.initial["applicant_address"] == received.applicant_address
    assert form.initial["proxy_name"] == "Lê Văn Tư"  # the rest of what was typed is kept
    assert f'value="{received.applicant_name}"' in response.content.decode()
    assert Dossier.objects.count() == 1

    unknown = client.post(_url(case), {**typed, "applicant_id_number": "000000000000"})
    assert not unknown.context["found"]
    assert unknown.context["form"].initial["applicant_name"] == ""


def test_look_up_ignores_dossiers_the_officer_may_not_see(client: Client, cast: Cast) -> None:
    elsewhere = birth_registration(cast.other_agency)
    theirs = intake.receive_new_dossier(
        complete_intake(elsewhere), agency=cast.other_agency, actor=cast.ivan
    )
    case = household_business_case(cast.agency)
    client.force_login(cast.alice)
    response = client.post(
        _url(case), _post(case, "lookup", applicant_id_number=theirs.applicant_id_number)
    )
    assert response.status_code == 200
    assert not response.context["found"]


pytestmark = pytest.mark.django_db


def _token(client: Client, case: Case) -> str:
    """The one-time token of a freshly loaded reception form."""
    form = client.get(_url(case)).context["form"]
    token = form["token"].value()
    assert token and f'name="token" value="{token}"' in str(form["token"])
    return str(token)


def test_each_reception_form_carries_its_own_token(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    assert _token(client, case) != _token(client, case)


def test_the_token_survives_a_preview_and_a_look_up(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    token = _token(client, case)
    for do in ("preview", "lookup"):
        form = client.post(_url(case), _post(case, do, token=token)).context["form"]
        assert str(form["token"].value()) == token


def test_a_second_receive_with_the_same_token_leads_to_the_first_dossier(
    client: Client, cast: Cast, case: Case
) -> None:
    """A double click on "Tiếp nhận": the second submit makes no dossier and says so."""
    client.force_login(cast.alice)
    token = _token(client, case)
    first = client.post(_url(case), _post(case, "receive", token=token))
    dossier = Dossier.objects.get()
    assert first["Location"] == f"/workspace/dossiers/{dossier.code}/?print=receipt"
    again = client.post(_url(case), _post(case, "receive", token=token), follow=True)
    assert again.redirect_chain == [(f"/workspace/dossiers/{dossier.code}/", 302)]
    assert Dossier.objects.count() == 1
    [repeat] = [m for m in again.context["messages"] if m.level_tag == "warning"]
    assert dossier.code in str(repeat)
    # Even a refusal sent later with the same page's token makes nothing new.
    refused = client.post(_url(case), _post(case, "refuse", token=token, reasons="Sai"))
    assert refused["Location"] == f"/workspace/dossiers/{dossier.code}/"
    assert Dossier.objects.count() == 1


def test_a_fresh_form_receives_a_new_dossier(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    for _ in range(2):
        client.post(_url(case), _post(case, "receive", token=_token(client, case)))
    assert Dossier.objects.count() == 2


def test_a_token_is_the_user_s_own(client: Client, cast: Cast, case: Case) -> None:
    """Another desk officer posting a copied token gets a dossier of their own, never a link
    to someone else's."""
    nina = make_user("nina", (Role.DESK_OFFICER, cast.agency))
    client.force_login(cast.alice)
    token = _token(client, case)
    client.post(_url(case), _post(case, "receive", token=token))
    client.force_login(nina)
    client.post(_url(case), _post(case, "receive", token=token))
    assert Dossier.objects.count() == 2


def test_a_failed_receive_leaves_the_token_usable(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    token = _token(client, case)
    response = client.post(_url(case), _post(case, "receive", token=token, applicant_name=""))
    assert response.status_code == 400 and not Dossier.objects.exists()
    client.post(_url(case), _post(case, "receive", token=token))
    assert Dossier.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_of_one_form_make_one_dossier(cast: Cast) -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    case = household_business_case(cast.agency)
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(cast.alice)
    token = _token(clients[0], case)
    barrier = threading.Barrier(len(clients))

    def submit(c: Client) -> int:
        barrier.wait()
        try:
            return c.post(_url(case), _post(case, "receive", token=token)).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        assert list(pool.map(submit, clients)) == [302, 302]
    assert Dossier.objects.count() == 1


def test_the_fee_collected_at_reception_is_recorded_with_the_dossier(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.alice)
    form = client.get(_url(case)).context["form"]
    assert form["fee_amount"].value() == 100000  # the case's fees, ready to confirm
    data = _post(case, "receive", fee_amount="100000", fee_receipt="0000321", fee_method="card")
    assert client.post(_url(case), data).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.fees_paid == 100000
    event = dossier.events.get(action="collect_fee")
    assert (event.data["receipt"], event.data["method"], event.actor) == (
        "0000321",
        "card",
        cast.alice,
    )


def test_without_a_receipt_no_fee_is_recorded(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    client.post(_url(case), _post(case, "receive", fee_amount="100000", fee_receipt=""))
    dossier = Dossier.objects.get()
    assert dossier.fees_paid == 0 and not dossier.events.filter(action="collect_fee").exists()


@pytest.mark.parametrize(
    ("fee", "field"),
    [
        ({"fee_amount": "150000", "fee_receipt": "9", "fee_method": "cash"}, "fee_amount"),
        ({"fee_amount": "", "fee_receipt": "9", "fee_method": "cash"}, "fee_amount"),
        ({"fee_amount": "100000", "fee_receipt": "9", "fee_method": ""}, "fee_method"),
    ],
)
def test_a_wrong_fee_refuses_the_whole_receipt_next_to_the_fee(
    client: Client, cast: Cast, case: Case, fee: dict[str, str], field: str
) -> None:
    client.force_login(cast.alice)
    response = client.post(_url(case), _post(case, "receive", **fee))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Dossier.objects.exists()
