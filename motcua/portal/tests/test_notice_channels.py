"""A portal account chooses the channels of notices about its dossiers: at registration and on
``/tai-khoan/thong-bao/`` (its owner only); the notices of its online dossiers follow it."""

from django.core import mail
from django.test import Client

from motcua.accounts.models import OrganisationAction, OrganisationEvent, User
from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.tests.factories import complete_intake
from motcua.notifications.models import Notification
from motcua.portal.tests.test_accounts import person
from motcua.testing import Cast

URL = "/tai-khoan/thong-bao/"


def test_registration_records_the_channels_chosen(client: Client, db: None) -> None:
    page = client.get("/dang-ky/").content.decode()
    assert "Thông báo về hồ sơ của tôi" in page
    assert 'name="notify_by_email" id="id_notify_by_email" checked' in page
    client.post("/dang-ky/", {**person(), "notify_by_sms": "on"})
    user = User.objects.get(username="079301004321")
    assert (user.notify_by_email, user.notify_by_sms) == (False, True)
    assert mail.outbox[-1].to == ["lan@example.vn"]  # the code still goes to the e-mail


def test_the_owner_changes_the_choice_and_it_is_recorded(client: Client, cast: Cast) -> None:
    client.force_login(cast.henry)
    page = client.get(URL).content.decode()
    assert 'name="notify_by_sms" id="id_notify_by_sms" checked' in page
    assert "henry@example.vn" in page
    response = client.post(URL, {"notify_by_sms": "on"})
    assert (response.status_code, response["Location"]) == (302, URL)
    cast.henry.refresh_from_db()
    assert (cast.henry.notify_by_email, cast.henry.notify_by_sms) == (False, True)
    event = OrganisationEvent.objects.get(action=OrganisationAction.NOTICE_CHANNELS_CHOSEN)
    assert event.subject == event.actor == cast.henry
    assert event.data == {
        "before": {"email": True, "sms": True},
        "after": {"email": False, "sms": True},
    }
    assert "Đã lưu lựa chọn của bạn." in client.get(URL).content.decode()


def test_anonymous_visitors_and_officers_are_sent_to_the_portal_sign_in(
    client: Client, cast: Cast
) -> None:
    assert client.get(URL)["Location"] == f"/dang-nhap/?next={URL}"
    client.force_login(cast.alice)
    for response in (client.get(URL), client.post(URL, {"notify_by_sms": "on"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")
    cast.alice.refresh_from_db()
    assert (cast.alice.notify_by_email, cast.alice.notify_by_sms) == (True, True)
    assert not OrganisationEvent.objects.filter(
        action=OrganisationAction.NOTICE_CHANNELS_CHOSEN
    ).exists()


def test_another_citizen_changes_only_their_own_choice(client: Client, cast: Cast) -> None:
    other = User.objects.create_user("079301009999", email="mai@example.vn", full_name="Mai")
    other.role_assignments.create(role="citizen", agency=None)
    client.force_login(other)
    client.post(URL, {})
    other.refresh_from_db()
    cast.henry.refresh_from_db()
    assert (other.notify_by_email, other.notify_by_sms) == (False, False)
    assert (cast.henry.notify_by_email, cast.henry.notify_by_sms) == (True, True)


def test_notices_of_an_online_dossier_follow_the_account(
    client: Client, cast: Cast, birth: Case
) -> None:
    dossier = intake.submit_online(
        complete_intake(birth, "online"), agency=cast.agency, actor=cast.henry
    )
    client.force_login(cast.henry)
    client.post(URL, {"notify_by_email": "on"})  # e-mail only, chosen after submitting
    services.receive(dossier, actor=cast.alice)
    channels = Notification.objects.filter(kind="received").values_list("channel", flat=True)
    assert list(channels) == ["email"]
