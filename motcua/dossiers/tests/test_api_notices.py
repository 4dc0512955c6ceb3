"""The API's desk reception records the applicant's channels for notices, like the screen."""

from typing import Any

from django.test import Client

from motcua.catalogue.models import Case
from motcua.dossiers.tests.factories import household_business_case
from motcua.notifications.models import Notification
from motcua.testing import Cast


def _intake(case: Case, **applicant: Any) -> dict[str, Any]:
    return {
        "agency": "H56.22",
        "procedure": "2.000720",
        "channel": "in_person",
        "applicant": {
            "name": "Nguyễn Văn Bình",
            "phone": "0912345678",
            "email": "binh@example.vn",
            **applicant,
        },
        "checklist": [{"required_id": d.pk} for d in case.documents.filter(mandatory=True)],
    }


def _receive(client: Client, cast: Cast, data: dict[str, Any]) -> dict[str, Any]:
    client.force_login(cast.alice)
    response = client.post("/api/v1/dossiers/receive/", data, content_type="application/json")
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def test_both_channels_by_default(client: Client, cast: Cast) -> None:
    body = _receive(client, cast, _intake(household_business_case(cast.agency)))
    assert (body["notify_by_email"], body["notify_by_sms"]) == (True, True)
    assert Notification.objects.filter(kind="received").count() == 2


def test_the_channels_given_are_honoured(client: Client, cast: Cast) -> None:
    data = _intake(household_business_case(cast.agency), notify_by_email=False)
    body = _receive(client, cast, data)
    assert (body["notify_by_email"], body["notify_by_sms"]) == (False, True)
    channels = Notification.objects.filter(kind="received").values_list("channel", flat=True)
    assert list(channels) == ["sms"]
