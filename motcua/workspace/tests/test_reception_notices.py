"""Desk reception records the channels the applicant chooses for notices, and the receipt
notice goes out in exactly those."""

from django.test import Client

from motcua.catalogue.models import Case
from motcua.dossiers.models import Dossier
from motcua.notifications.models import Notification
from motcua.testing import Cast
from motcua.workspace.tests.test_reception import _post, _url

CONTACT = {"applicant_email": "hoa@example.vn", "applicant_phone": "0987654321"}


def _channels() -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind="received").values_list("channel", "address"))


def test_the_form_offers_both_channels_ticked(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    page = client.get(_url(case)).content.decode()
    assert "Thông báo về hồ sơ" in page
    for name in ("notify_by_email", "notify_by_sms"):
        assert f'name="{name}" id="id_{name}" checked' in page


def test_both_channels_chosen(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    data = _post(case, "receive", notify_by_email="on", notify_by_sms="on", **CONTACT)
    assert client.post(_url(case), data).status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.notify_by_email, dossier.notify_by_sms) == (True, True)
    assert _channels() == [("email", "hoa@example.vn"), ("sms", "0987654321")]


def test_sms_only_is_honoured(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    client.post(_url(case), _post(case, "receive", notify_by_sms="on", **CONTACT))
    dossier = Dossier.objects.get()
    assert (dossier.notify_by_email, dossier.notify_by_sms) == (False, True)
    assert _channels() == [("sms", "0987654321")]


def test_no_channel_ticked_sends_nothing(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    client.post(_url(case), _post(case, "receive", **CONTACT))
    assert Dossier.objects.count() == 1
    assert not Notification.objects.exists()


def test_the_choice_survives_a_validation_error(client: Client, cast: Cast, case: Case) -> None:
    client.force_login(cast.alice)
    data = _post(case, "receive", notify_by_sms="on", applicant_name="", **CONTACT)
    page = client.post(_url(case), data).content.decode()
    assert not Dossier.objects.exists()
    assert 'name="notify_by_sms" id="id_notify_by_sms" checked' in page
    assert 'name="notify_by_email" id="id_notify_by_email" checked' not in page
