"""The dossier page offers the head of the agency the permission for a further supplement
request once the requests allowed while processing are used, and only to them; posted, the
permission lets the specialist ask again, and its reason is on the page."""

from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.testing import Cast


def _url(dossier: Dossier, suffix: str = "") -> str:
    return f"/workspace/dossiers/{dossier.code}/{suffix}"


def _offered(client: Client, dossier: Dossier) -> list[str]:
    return [name for name, _, _ in client.get(_url(dossier)).context["action_forms"]]


def _asked_once(cast: Cast, received: Dossier) -> Dossier:
    services.forward(received, actor=cast.alice, to=cast.bob)
    services.request_supplement(received, actor=cast.bob, items=["Bản sao CCCD"])
    services.resubmit(received, actor=cast.alice)
    received.refresh_from_db()
    return received


def test_the_permission_is_offered_only_when_needed_and_only_to_the_head(
    client: Client, cast: Cast, received: Dossier
) -> None:
    services.forward(received, actor=cast.alice, to=cast.bob)
    client.force_login(cast.dave)
    assert "allow_further_supplement" not in _offered(client, received)  # not needed yet
    services.request_supplement(received, actor=cast.bob, items=["Bản sao CCCD"])
    services.resubmit(received, actor=cast.alice)
    assert "allow_further_supplement" in _offered(client, received)
    for user in (cast.bob, cast.carol, cast.alice):
        client.force_login(user)
        assert "allow_further_supplement" not in _offered(client, received)


def test_the_specialist_is_told_why_a_second_request_is_refused(
    client: Client, cast: Cast, received: Dossier
) -> None:
    dossier = _asked_once(cast, received)
    client.force_login(cast.bob)
    response = client.post(
        _url(dossier, "act/request_supplement/"),
        {"revision": dossier.revision, "items": "Sơ đồ địa điểm", "reason": ""},
    )
    assert response.status_code == 400
    assert "thủ trưởng cơ quan" in response.content.decode().lower()
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_the_head_allows_a_further_request_through_the_form(
    client: Client, cast: Cast, received: Dossier
) -> None:
    dossier = _asked_once(cast, received)
    client.force_login(cast.carol)  # the head of department is not the head of the agency
    refused = client.post(
        _url(dossier, "act/allow_further_supplement/"),
        {"revision": dossier.revision, "reason": "Quy định mới"},
    )
    assert refused.status_code == 403
    client.force_login(cast.dave)
    response = client.post(
        _url(dossier, "act/allow_further_supplement/"),
        {"revision": dossier.revision, "reason": "Hồ sơ phát sinh giấy tờ mới theo quy định"},
    )
    assert response.status_code == 302
    assert "Hồ sơ phát sinh giấy tờ mới theo quy định" in client.get(_url(dossier)).content.decode()
    dossier.refresh_from_db()
    client.force_login(cast.bob)
    response = client.post(
        _url(dossier, "act/request_supplement/"),
        {"revision": dossier.revision, "items": "Sơ đồ địa điểm", "reason": ""},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
