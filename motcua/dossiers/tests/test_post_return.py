"""Return by public post (bưu chính công ích): a dossier whose applicant chose the post carries
the address from intake; the receiving desk records the hand-over to the post with the postal
item number (``services.hand_to_post``), which is the return; the tracking page and its JSON
show the item number to anyone with the code and the address only with the PIN."""

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from motcua.accounts.models import User
from motcua.catalogue.models import Case
from motcua.dossiers import actions, intake, printing, services
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.dossiers.workflow import Action, Status
from motcua.testing import Cast, problems

ADDRESS = "Số 12 đường Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh"
ITEM = "EB123456789VN"


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


def _by_post(case: Case, address: str = ADDRESS) -> intake.Intake:
    return dataclasses.replace(complete_intake(case), return_method="post", postal_address=address)


@pytest.fixture
def posted(cast: Cast, case: Case) -> Dossier:
    """Received at the desk, to be returned by post, its fee paid."""
    dossier = intake.receive_new_dossier(
        _by_post(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    return _pay(dossier, cast)


def _pay(dossier: Dossier, cast: Cast) -> Dossier:
    return services.collect_fee(
        dossier, actor=cast.alice, amount=Decimal(100000), receipt="0000123", method="cash",
        now=at("2026-03-02T09:05"),
    )  # fmt: skip


def _processed(dossier: Dossier, cast: Cast) -> Dossier:
    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    services.forward(dossier, actor=cast.bob, now=at("2026-03-03T10:00"))
    services.forward(dossier, actor=cast.carol, now=at("2026-03-03T11:00"))
    services.approve(dossier, actor=cast.dave, result="GCN số 1", now=at("2026-03-04T09:00"))
    assert dossier.status == Status.PROCESSED
    return dossier


def _hand(dossier: Dossier, actor: User, number: str = ITEM) -> Dossier:
    return services.hand_to_post(
        dossier, actor=actor, tracking_number=number, now=at("2026-03-04T14:00")
    )


# --- intake ------------------------------------------------------------------------------


def test_a_dossier_returned_by_post_carries_its_address(posted: Dossier) -> None:
    assert posted.return_method == "post"
    assert posted.postal_address == ADDRESS


def test_form_01_says_the_result_goes_by_post_to_the_address(posted: Dossier) -> None:
    collect_at = printing.receipt_for(posted).collect_at
    assert collect_at == f"Qua dịch vụ bưu chính công ích, {ADDRESS}"


def test_the_post_without_an_address_is_refused_at_intake(cast: Cast, case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        intake.receive_new_dossier(_by_post(case, "  "), agency=cast.agency, actor=cast.alice)
    assert refused.value.error_dict["postal_address"][0].code == "postal_address_required"
    assert not Dossier.objects.exists()


def test_an_address_too_long_is_refused(cast: Cast, case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        intake.receive_new_dossier(_by_post(case, "x" * 501), agency=cast.agency, actor=cast.alice)
    assert refused.value.error_dict["postal_address"][0].code == "postal_address_too_long"


def test_an_address_is_kept_only_for_the_post(cast: Cast, case: Case) -> None:
    entered = dataclasses.replace(
        complete_intake(case), return_method="in_person", postal_address=ADDRESS
    )
    dossier = intake.receive_new_dossier(entered, agency=cast.agency, actor=cast.alice)
    assert dossier.return_method == "in_person" and dossier.postal_address == ""


def test_the_api_refuses_the_post_without_an_address(
    client: Client, cast: Cast, case: Case
) -> None:
    body: dict[str, Any] = {
        "agency": "H56.22",
        "procedure": "2.000720",
        "applicant": {"name": "Nguyễn Văn Bình", "id_number": "087090001234"},
        "checklist": [{"required_id": d.pk} for d in case.documents.filter(mandatory=True)],
        "return_method": "post",
    }
    client.force_login(cast.alice)
    response = client.post("/api/v1/dossiers/receive/", body, content_type="application/json")
    assert response.status_code == 400
    assert problems(response) == ["postal_address_required"]
    body["postal_address"] = ADDRESS
    response = client.post("/api/v1/dossiers/receive/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["postal_address"] == ADDRESS


# --- the hand-over -----------------------------------------------------------------------


def test_the_desk_hands_the_result_to_the_post(cast: Cast, posted: Dossier) -> None:
    _processed(posted, cast)
    _hand(posted, cast.alice, " eb123456789vn ")
    posted.refresh_from_db()
    assert posted.status == Status.RETURNED
    assert posted.postal_tracking_number == ITEM
    assert posted.posted_at == at("2026-03-04T14:00") == posted.returned_at
    event = posted.events.get(action=Action.HAND_TO_POST)
    assert event.actor == cast.alice and event.new_status == Status.RETURNED
    assert event.data["tracking_number"] == ITEM and event.data["method"] == "post"


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "erin", "frank", "henry", "ivan"])
def test_only_the_receiving_desk_hands_to_the_post(cast: Cast, posted: Dossier, who: str) -> None:
    # ivan is a desk officer, of another agency.
    _processed(posted, cast)
    with pytest.raises(ActionRefused) as refused:
        _hand(posted, getattr(cast, who))
    assert refused.value.code == "action_not_allowed"


def test_not_before_the_result_is_ready(cast: Cast, posted: Dossier) -> None:
    with pytest.raises(ActionRefused):
        _hand(posted, cast.alice)
    assert not posted.events.filter(action=Action.HAND_TO_POST).exists()


def test_not_twice(cast: Cast, posted: Dossier) -> None:
    _processed(posted, cast)
    _hand(posted, cast.alice)
    with pytest.raises(ActionRefused):
        _hand(posted, cast.alice, "EB999999999VN")
    posted.refresh_from_db()
    assert posted.postal_tracking_number == ITEM


def test_not_for_a_dossier_returned_at_the_desk(cast: Cast, case: Case) -> None:
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    _processed(dossier, cast)
    with pytest.raises(ValidationError) as refused:
        _hand(dossier, cast.alice)
    assert refused.value.error_list[0].code == "not_returned_by_post"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSED


def test_the_plain_return_by_post_is_refused_when_the_hand_over_is_due(
    cast: Cast, posted: Dossier
) -> None:
    """A dossier returned by post is returned by recording the hand-over with its postal item
    number: the plain return with the method "post" would close it with no item number."""
    _processed(posted, cast)
    with pytest.raises(ValidationError) as refused:
        services.return_result(posted, actor=cast.alice, method="post")
    assert refused.value.error_dict["method"][0].code == "use_hand_to_post"
    posted.refresh_from_db()
    assert posted.status == Status.PROCESSED
    services.return_result(posted, actor=cast.alice, method="in_person", note="Đến nhận tại quầy")
    assert posted.status == Status.RETURNED


@pytest.mark.parametrize(("number", "code"), [("  ", "postal_tracking_required"),
                                               ("E" * 31, "postal_tracking_too_long")])  # fmt: skip
def test_the_item_number_is_required_and_bounded(
    cast: Cast, posted: Dossier, number: str, code: str
) -> None:
    _processed(posted, cast)
    with pytest.raises(ValidationError) as refused:
        _hand(posted, cast.alice, number)
    assert refused.value.error_dict["tracking_number"][0].code == code


def test_with_a_fee_owed_only_with_the_reason(cast: Cast, case: Case) -> None:
    dossier = intake.receive_new_dossier(
        _by_post(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    _processed(dossier, cast)
    with pytest.raises(ValidationError) as refused:
        _hand(dossier, cast.alice)
    assert refused.value.error_dict["unpaid_reason"][0].code == "return_unpaid_fee"
    services.hand_to_post(
        dossier, actor=cast.alice, tracking_number=ITEM, unpaid_reason="Thu hộ qua bưu điện"
    )
    event = dossier.events.get(action=Action.HAND_TO_POST)
    assert event.data["fees_owed"] == "100000"
    assert event.data["unpaid_reason"] == "Thu hộ qua bưu điện"


def test_the_registry_offers_it(cast: Cast, posted: Dossier) -> None:
    _processed(posted, cast)
    assert actions.entry("hand_to_post").may(cast.alice, posted)
    assert not actions.entry("hand_to_post").may(cast.ivan, posted)
    actions.take(posted, "hand_to_post", cast.alice, {"tracking_number": ITEM})
    assert posted.status == Status.RETURNED


# --- through the API ---------------------------------------------------------------------


def _api(client: Client, user: User | None, code: str, data: dict[str, Any]) -> Any:
    if user is not None:
        client.force_login(user)
    url = f"/api/v1/dossiers/{code}/actions/hand_to_post/"
    return client.post(url, data, content_type="application/json")


def test_the_api_hands_to_the_post(client: Client, cast: Cast, posted: Dossier) -> None:
    _processed(posted, cast)
    assert _api(client, None, posted.code, {"tracking_number": ITEM}).status_code in (401, 403)
    refused = _api(client, cast.henry, posted.code, {"tracking_number": ITEM})
    assert refused.status_code in (403, 404)
    client.logout()
    refused = _api(client, cast.bob, posted.code, {"tracking_number": ITEM})
    assert refused.status_code == 403 and problems(refused) == ["action_not_allowed"]
    client.logout()
    missing = _api(client, cast.alice, posted.code, {"tracking_number": ""})
    assert missing.status_code == 400
    done = _api(client, cast.alice, posted.code, {"tracking_number": ITEM})
    assert done.status_code == 200, done.json()
    assert done.json()["postal_tracking_number"] == ITEM
    again = _api(client, cast.alice, posted.code, {"tracking_number": ITEM})
    assert again.status_code == 403 and problems(again) == ["action_not_allowed"]


# --- the workspace -----------------------------------------------------------------------


def test_the_dossier_page_offers_it_and_shows_the_record(
    client: Client, cast: Cast, posted: Dossier, case: Case
) -> None:
    _processed(posted, cast)
    client.force_login(cast.alice)
    page = client.get(f"/workspace/dossiers/{posted.code}/").content.decode()
    assert 'data-action="hand_to_post"' in page and 'name="tracking_number"' in page
    assert ADDRESS in page
    response = client.post(
        f"/workspace/dossiers/{posted.code}/act/hand_to_post/",
        {"revision": posted.revision, "tracking_number": ITEM},
    )
    assert response.status_code == 302
    posted.refresh_from_db()
    assert posted.status == Status.RETURNED
    page = client.get(f"/workspace/dossiers/{posted.code}/").content.decode()
    assert ITEM in page and 'data-action="hand_to_post"' not in page
    # A dossier returned at the desk is not offered the post.
    desk = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    _processed(desk, cast)
    page = client.get(f"/workspace/dossiers/{desk.code}/").content.decode()
    assert 'data-action="return_result"' in page
    assert 'data-action="hand_to_post"' not in page


# --- the public tracking page ------------------------------------------------------------


def test_the_tracking_page_shows_the_item_number_and_the_address_only_with_the_pin(
    client: Client, cast: Cast, posted: Dossier
) -> None:
    _processed(posted, cast)
    _hand(posted, cast.alice)
    public = client.get(f"/tra-cuu/{posted.code}").content.decode()
    assert "Đã gửi qua bưu chính công ích" in public and ITEM in public
    assert ADDRESS not in public
    mine = client.post(f"/tra-cuu/{posted.code}", {"pin": posted.tracking_pin}).content.decode()
    assert ITEM in mine and ADDRESS in mine
    body = client.get(f"/api/v1/public/track/{posted.code}").json()
    assert body["posted"]["tracking_number"] == ITEM and body["personal"] is None
    body = client.get(f"/api/v1/public/track/{posted.code}?pin={posted.tracking_pin}").json()
    assert body["personal"]["postal_address"] == ADDRESS


def test_before_the_hand_over_the_tracking_shows_no_postal_record(
    client: Client, posted: Dossier
) -> None:
    body = client.get(f"/api/v1/public/track/{posted.code}").json()
    assert body["posted"] is None
    assert "bưu chính công ích" not in client.get(f"/tra-cuu/{posted.code}").content.decode()


def test_the_reception_form_takes_the_post_with_its_address(
    client: Client, cast: Cast, case: Case
) -> None:
    data: dict[str, Any] = {
        "applicant_name": "Trần Thị Hoa",
        "applicant_id_number": "087190005678",
        "channel": "in_person",
        "return_method": "post",
        "do": "receive",
    }
    for d in case.documents.all():
        if d.mandatory:
            data[f"doc_{d.pk}"] = "on"
        data[f"copies_{d.pk}"] = str(d.copies)
    client.force_login(cast.alice)
    url = f"/workspace/reception/{case.pk}/"
    page = client.get(url).content.decode()
    assert 'name="return_method"' in page and 'name="postal_address"' in page
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert [e.code for e in refused.context["form"].errors.as_data()["postal_address"]] == [
        "postal_address_required"
    ]
    assert not Dossier.objects.exists()
    response = client.post(url, {**data, "postal_address": ADDRESS})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.return_method == "post" and dossier.postal_address == ADDRESS


def test_a_citizen_submits_online_choosing_the_post_and_sees_the_address(
    client: Client, cast: Cast, case: Case
) -> None:
    body: dict[str, Any] = {
        "agency": "H56.22",
        "procedure": "2.000720",
        "applicant": {"name": "Lê Văn Hải", "id_number": "079123456789"},
        "checklist": [{"required_id": d.pk} for d in case.documents.filter(mandatory=True)],
        "return_method": "post",
    }
    client.force_login(cast.henry)
    refused = client.post("/api/v1/dossiers/submit/", body, content_type="application/json")
    assert refused.status_code == 400 and problems(refused) == ["postal_address_required"]
    body["postal_address"] = ADDRESS
    created = client.post("/api/v1/dossiers/submit/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    mine = client.get(f"/api/v1/public/track/{code}").json()
    assert mine["personal"]["postal_address"] == ADDRESS
    client.logout()
    assert client.get(f"/api/v1/public/track/{code}").json()["personal"] is None
