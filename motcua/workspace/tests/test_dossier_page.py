"""The dossier page and its actions: who may see it, which actions it offers, and what a
posted form does (success, a field error keeping the input, a refusal, a conflict)."""

import pytest
from django.test import Client

from motcua.accounts.models import Role
from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake
from motcua.dossiers.workflow import Status
from motcua.testing import Cast, field_codes, make_user


def _url(dossier: Dossier, suffix: str = "") -> str:
    return f"/workspace/dossiers/{dossier.code}/{suffix}"


def test_an_officer_of_the_agency_reads_the_dossier(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.alice)
    response = client.get(_url(received))
    page = response.content.decode()
    assert response.status_code == 200
    assert received.applicant_name in page
    assert "Tiếp nhận hồ sơ" in page  # the first step of the timeline
    assert f"/api/v1/dossiers/{received.code}/forms/receipt.pdf" in page
    assert [name for name, _, _ in response.context["action_forms"]] == [
        "forward",
        "collect_fee",
        "withdraw",
    ]
    assert f'name="revision" value="{received.revision}"' in page


def test_officers_of_other_agencies_citizens_and_outsiders_get_a_404(
    client: Client, cast: Cast, received: Dossier
) -> None:
    judy = make_user("judy", (Role.SPECIALIST, cast.other_agency))
    for user in (judy, cast.henry, cast.oscar):
        client.force_login(user)
        assert client.get(_url(received)).status_code == 404
        assert client.post(_url(received, "act/forward/"), {"revision": 0}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, received: Dossier) -> None:
    for response in (client.get(_url(received)), client.post(_url(received, "act/forward/"))):
        assert response.status_code == 302
        assert response["Location"].startswith("/workspace/login/")


def test_a_guessed_code_is_a_404(client: Client, cast: Cast, db: None) -> None:
    client.force_login(cast.alice)
    assert client.get("/workspace/dossiers/H56.22-260101-9999/").status_code == 404


def test_the_desk_forwards_through_the_form(client: Client, cast: Cast, received: Dossier) -> None:
    client.force_login(cast.alice)
    response = client.post(
        _url(received, "act/forward/"), {"revision": received.revision, "note": "Đủ hồ sơ"}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(received)
    received.refresh_from_db()
    assert received.status == Status.PROCESSING
    assert received.events.latest("pk").reason == "Đủ hồ sơ"
    assert "Đã xong" in client.get(_url(received)).content.decode()


def test_a_supplement_request_without_items_keeps_what_was_typed(
    client: Client, cast: Cast, received: Dossier
) -> None:
    services.forward(received, actor=cast.alice)
    received.refresh_from_db()
    client.force_login(cast.bob)
    response = client.post(
        _url(received, "act/request_supplement/"),
        {"revision": received.revision, "items": "  \n ", "reason": "Thiếu giấy tờ tùy thân"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Thiếu giấy tờ tùy thân" in page
    assert 'class="field-error"' in page
    received.refresh_from_db()
    assert received.status == Status.PROCESSING


def test_a_supplement_request_lists_each_line_as_an_item(
    client: Client, cast: Cast, received: Dossier
) -> None:
    services.forward(received, actor=cast.alice)
    received.refresh_from_db()
    client.force_login(cast.bob)
    response = client.post(
        _url(received, "act/request_supplement/"),
        {"revision": received.revision, "items": "Bản sao CCCD\nHợp đồng thuê", "reason": ""},
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.SUPPLEMENT_REQUESTED
    assert received.events.latest("pk").data["items"] == ["Bản sao CCCD", "Hợp đồng thuê"]


def test_a_service_field_error_lands_next_to_the_field(
    client: Client, cast: Cast, received: Dossier
) -> None:
    services.forward(received, actor=cast.alice)
    received.refresh_from_db()
    client.force_login(cast.bob)
    response = client.post(
        _url(received, "act/transfer/"),
        {"revision": received.revision, "to_agency": "H56.23", "allowance": "0", "reason": "X"},
    )
    assert response.status_code == 400
    assert response.context["action_forms"]
    form = dict((n, f) for n, _, f in response.context["action_forms"])["transfer"]
    assert field_codes(form) == {"allowance": ["allowance_not_positive"]}  # the service's
    assert 'name="allowance" value="0"' in response.content.decode()


def test_an_action_the_user_may_not_take_is_refused_with_the_reason(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.bob)  # a specialist of the agency: may read, may not forward yet
    response = client.post(_url(received, "act/forward/"), {"revision": received.revision})
    assert response.status_code == 403
    assert 'class="error-box"' in response.content.decode()
    received.refresh_from_db()
    assert received.status == Status.RECEIVED


def test_a_stale_revision_asks_to_reload(client: Client, cast: Cast, received: Dossier) -> None:
    client.force_login(cast.alice)
    response = client.post(_url(received, "act/forward/"), {"revision": received.revision - 1})
    assert response.status_code == 409
    received.refresh_from_db()
    assert received.status == Status.RECEIVED


def test_an_unknown_action_is_a_404(client: Client, cast: Cast, received: Dossier) -> None:
    client.force_login(cast.alice)
    assert client.post(_url(received, "act/explode/"), {"revision": 1}).status_code == 404


@pytest.mark.parametrize("name", ["receive"])
def test_the_desk_receives_an_online_submission(
    client: Client, cast: Cast, case: Case, name: str
) -> None:
    online = intake.submit_online(complete_intake(case), agency=cast.agency, actor=cast.henry)
    client.force_login(cast.alice)
    response = client.post(_url(online, f"act/{name}/"), {"revision": online.revision})
    assert response.status_code == 302
    online.refresh_from_db()
    assert online.status == Status.RECEIVED
