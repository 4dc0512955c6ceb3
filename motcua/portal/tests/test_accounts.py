"""Citizens' and organisations' accounts on the portal: registration with a verified contact,
sign-in and sign-out, the lock-out, and the wall between the portal and the workspace."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from motcua.accounts import registration
from motcua.accounts.models import (
    AccountKind,
    ContactVerification,
    OrganisationAction,
    OrganisationEvent,
    Role,
    User,
)
from motcua.notifications.sms import LocmemSmsBackend
from motcua.testing import Cast

pytestmark = pytest.mark.django_db

PASSWORD = "Ngay-mai-troi-nang-2026"
PAGES = ["/dang-ky/", "/dang-nhap/", "/dang-xuat/"]


def person(**changes: str) -> dict[str, str]:
    data = {
        "kind": "individual",
        "full_name": "Nguyễn Thị Lan",
        "id_number": "079301004321",
        "email": "lan@example.vn",
        "phone": "",
        "representative": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **changes}


def company(**changes: str) -> dict[str, str]:
    data = {
        "kind": "organisation",
        "full_name": "Công ty TNHH Sông Tiền",
        "id_number": "0312345678",
        "representative": "Trần Văn Bình",
        "email": "ketoan@songtien.vn",
    }
    return person(**{**data, **changes})


def sent_code() -> str:
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    return found.group(1)


def register(client: Client, data: dict[str, str]) -> User:
    response = client.post("/dang-ky/", data)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/dang-ky/xac-minh/"
    return User.objects.get(
        username=registration.normalise_id_number(data["kind"], data["id_number"])
    )


# --- pages: anonymous, citizen, officer -------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_get_every_account_page(client: Client, db: None, path: str) -> None:
    assert client.get(path).status_code == 200


def test_a_signed_in_citizen_is_sent_on_from_the_sign_in_page(client: Client, cast: Cast) -> None:
    client.force_login(cast.henry)
    response = client.get("/dang-nhap/?next=/tra-cuu/")
    assert response.status_code == 302
    assert response["Location"] == "/tra-cuu/"


def test_an_officer_signed_in_on_the_workspace_sees_the_portal_sign_in_form(
    client: Client, cast: Cast
) -> None:
    """The portal does not treat an official's session as a citizen's."""
    client.force_login(cast.alice)
    assert client.get("/dang-nhap/").status_code == 200


def test_the_header_offers_sign_in_to_visitors_and_sign_out_to_citizens(
    client: Client, cast: Cast
) -> None:
    page = client.get("/").content.decode()
    assert 'href="/dang-nhap/"' in page and 'href="/dang-ky/"' in page
    client.force_login(cast.henry)
    page = client.get("/").content.decode()
    assert 'action="/dang-xuat/"' in page and 'href="/dang-nhap/"' not in page


def header_of(client: Client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode().split("</header>")[0]


@pytest.mark.parametrize("who", ["alice", "bob", "erin", "frank", "grace"])
def test_an_official_signed_in_on_the_workspace_is_a_visitor_on_the_portal(
    client: Client, cast: Cast, who: str
) -> None:
    """Officials never use the portal's sign-in: their workspace session shows neither their
    name, nor "My dossiers", nor a sign-out on the portal, only the way back to the workspace."""
    official = getattr(cast, who)
    client.force_login(official)
    for path in ["/", "/tra-cuu/", "/thu-tuc/", "/dang-nhap/"]:
        header = header_of(client, path)
        assert official.full_name not in header and official.username not in header
        assert 'href="/ho-so-cua-toi/"' not in header
        assert 'action="/dang-xuat/"' not in header
        assert 'href="/dang-nhap/"' not in header  # a citizen's sign-in would end the session
        assert 'href="/workspace/" data-workspace' in header


def test_staff_without_a_role_are_officials_on_the_portal(client: Client, cast: Cast) -> None:
    cast.oscar.is_staff = True
    cast.oscar.save()
    client.force_login(cast.oscar)
    assert "data-workspace" in header_of(client)


def test_citizens_visitors_and_accounts_without_a_role_get_no_workspace_link(
    client: Client, cast: Cast
) -> None:
    assert "data-workspace" not in header_of(client)
    client.force_login(cast.oscar)  # no role at all: neither a citizen nor an official
    header = header_of(client)
    assert "data-workspace" not in header and 'href="/dang-nhap/"' in header
    client.force_login(cast.henry)
    header = header_of(client)
    assert "data-workspace" not in header and cast.henry.full_name in header


def test_the_portals_sign_out_does_not_end_an_officials_workspace_session(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.alice)
    response = client.post("/dang-xuat/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(cast.alice.pk)
    assert client.get("/workspace/").status_code == 200


def test_an_officer_is_refused_on_the_portal_sign_in_with_a_clear_message(
    client: Client, cast: Cast
) -> None:
    """Even with the right password, and before the password is checked."""
    cast.alice.set_password(PASSWORD)
    cast.alice.save()
    response = client.post(
        "/dang-nhap/", {"username": "alice", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Officials sign in on the officers" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors().as_data()[0].code == "officer_account"


def test_a_citizen_is_refused_in_the_officers_workspace(client: Client, cast: Cast) -> None:
    client.force_login(cast.henry)
    response = client.get("/workspace/")
    assert response.status_code == 403
    assert 'href="/"' in response.content.decode()


def test_signing_out_takes_a_post(client: Client, cast: Cast) -> None:
    client.force_login(cast.henry)
    assert client.get("/dang-xuat/").status_code == 200
    assert "_auth_user_id" in client.session
    response = client.post("/dang-xuat/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- registration -------------------------------------------------------------------------------


def test_an_individual_registers_verifies_by_email_and_signs_in(client: Client, db: None) -> None:
    user = register(client, person())
    assert not user.is_active
    assert user.kind == AccountKind.INDIVIDUAL and user.id_number == "079301004321"
    assert user.role_assignments.get().role == Role.CITIZEN
    assert mail.outbox[-1].to == ["lan@example.vn"]
    # Not active yet: the right password does not sign in.
    refused = client.post("/dang-nhap/", {"username": "079301004321", "password": PASSWORD})
    assert refused.status_code == 400

    response = client.post("/dang-ky/xac-minh/", {"code": sent_code()})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    user.refresh_from_db()
    assert user.is_active
    actions = list(OrganisationEvent.objects.filter(subject=user).values_list("action", flat=True))
    assert actions == [
        OrganisationAction.CITIZEN_REGISTERED,
        OrganisationAction.ROLE_GRANTED,
        OrganisationAction.VERIFICATION_SENT,
        OrganisationAction.CONTACT_VERIFIED,
    ]
    signed_in = client.post(
        "/dang-nhap/", {"username": "079301004321", "password": PASSWORD, "next": "/tra-cuu/"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/tra-cuu/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_organisation_registers_with_its_tax_code_and_representative(
    client: Client, db: None
) -> None:
    user = register(client, company(id_number="0312345678001"))
    assert user.kind == AccountKind.ORGANISATION
    assert user.username == user.id_number == "0312345678-001"
    assert user.representative == "Trần Văn Bình"


def test_a_phone_only_registration_gets_its_code_by_sms(
    client: Client, db: None, settings: object
) -> None:
    settings.SMS_BACKEND = "motcua.notifications.sms.LocmemSmsBackend"  # type: ignore[attr-defined]
    LocmemSmsBackend.outbox.clear()
    user = register(client, person(email="", phone="0912 345 678"))
    assert user.phone == "0912345678"
    assert mail.outbox == []
    phone, text = LocmemSmsBackend.outbox[-1]
    assert phone == "0912345678"
    code = re.search(r"\b(\d{6})\b", text)
    assert code
    client.post("/dang-ky/xac-minh/", {"code": code.group(1)})
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (person(id_number="07930100432"), "id_number", "invalid_personal_id"),
        (company(id_number="031234567"), "id_number", "invalid_tax_code"),
        (company(representative=""), "representative", "required"),
        (person(email="", phone=""), "email", "contact_required"),
        (person(phone="12345"), "phone", "invalid_phone"),
        (person(password1="12345678", password2="12345678"), "password", None),
        (person(password2="something else"), "password2", None),
    ],
)
def test_registration_errors_keep_what_was_typed(
    client: Client, db: None, data: dict[str, str], field: str, code: str | None
) -> None:
    response = client.post("/dang-ky/", data)
    assert response.status_code == 400
    form = response.context["form"]
    errors = form.errors.as_data()
    target = "password1" if field == "password" else field
    assert target in errors or field in errors, errors
    if code:
        assert code in [e.code for e in errors[target]]
    page = response.content.decode()
    assert f'value="{data["full_name"]}"' in page
    if data["id_number"]:
        assert f'value="{data["id_number"]}"' in page
    assert PASSWORD not in page  # passwords are never echoed back
    assert not User.objects.filter(username=data["id_number"]).exists()


def test_one_account_per_number_and_per_email(client: Client, cast: Cast) -> None:
    register(client, person())
    again = Client().post("/dang-ky/", person(email="other@example.vn"))
    assert "account_exists" in [e.code for e in again.context["form"].errors.as_data()["id_number"]]
    same_mail = Client().post("/dang-ky/", person(id_number="079301009999"))
    assert "email_taken" in [e.code for e in same_mail.context["form"].errors.as_data()["email"]]
    # Officials' usernames are taken too.
    officer = Client().post("/dang-ky/", person(id_number="alice"))
    assert officer.status_code == 400


def test_the_verification_page_needs_a_registration_in_this_browser(
    client: Client, db: None
) -> None:
    response = client.get("/dang-ky/xac-minh/")
    assert response.status_code == 302 and response["Location"] == "/dang-ky/"


# --- the code: wrong, expired, reused, replaced ------------------------------------------------


def test_a_wrong_code_is_refused_and_counted(client: Client, db: None) -> None:
    user = register(client, person())
    right = sent_code()
    wrong = "000000" if right != "000000" else "111111"
    response = client.post("/dang-ky/xac-minh/", {"code": wrong})
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["code"]] == ["wrong_code"]
    assert ContactVerification.objects.get(user=user).attempts == 1
    user.refresh_from_db()
    assert not user.is_active


def test_after_five_wrong_codes_even_the_right_one_is_refused(client: Client, db: None) -> None:
    user = register(client, person())
    right = sent_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(ContactVerification.MAX_ATTEMPTS):
        client.post("/dang-ky/xac-minh/", {"code": wrong})
    response = client.post("/dang-ky/xac-minh/", {"code": right})
    assert [e.code for e in response.context["form"].errors.as_data()["code"]] == [
        "too_many_attempts"
    ]
    user.refresh_from_db()
    assert not user.is_active


def test_an_expired_code_is_refused_and_a_new_one_works(client: Client, db: None) -> None:
    user = register(client, person())
    old = sent_code()
    later = timezone.now() + dt.timedelta(minutes=16)
    with pytest.raises(ValidationError) as refused:
        registration.verify_contact(user, old, now=later)
    assert refused.value.code == "code_expired"
    response = client.post("/dang-ky/xac-minh/", {"resend": "1"})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new = sent_code()
    if new != old:
        with pytest.raises(ValidationError):
            registration.verify_contact(user, old)
    registration.verify_contact(user, new)
    user.refresh_from_db()
    assert user.is_active


def test_a_used_code_is_not_accepted_again(db: None) -> None:
    user, code = registration.register_account(
        registration.Registration(
            kind="individual",
            full_name="Lê Văn Tám",
            id_number="079301000008",
            password=PASSWORD,
            email="tam@example.vn",
        )
    )
    registration.verify_contact(user, code)
    with pytest.raises(ValidationError) as refused:
        registration.verify_contact(user, code)
    assert refused.value.code == "code_used"


def test_only_a_hash_of_the_code_is_stored(client: Client, db: None) -> None:
    user = register(client, person())
    stored = ContactVerification.objects.get(user=user)
    assert sent_code() not in stored.code_hash


# --- lock-out and rate -------------------------------------------------------------------------


def test_wrong_passwords_lock_the_citizens_sign_in(
    client: Client, cast: Cast, settings: object
) -> None:
    settings.AXES_FAILURE_LIMIT = 3  # type: ignore[attr-defined]
    cast.henry.set_password(PASSWORD)
    cast.henry.save()
    for _ in range(3):
        response = client.post("/dang-nhap/", {"username": "henry", "password": "wrong"})
        assert response.status_code in (400, 429)
    locked = client.post(
        "/dang-nhap/", {"username": "henry", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_complete_sign_in_clears_the_failures(
    client: Client, cast: Cast, settings: object
) -> None:
    settings.AXES_FAILURE_LIMIT = 3  # type: ignore[attr-defined]
    cast.henry.set_password(PASSWORD)
    cast.henry.save()
    for _ in range(2):
        client.post("/dang-nhap/", {"username": "henry", "password": "wrong"})
    assert (
        client.post("/dang-nhap/", {"username": "henry", "password": PASSWORD}).status_code == 302
    )
    client.post("/dang-xuat/")
    for _ in range(2):
        client.post("/dang-nhap/", {"username": "henry", "password": "wrong"})
    assert (
        client.post("/dang-nhap/", {"username": "henry", "password": PASSWORD}).status_code == 302
    )


def test_account_forms_are_rate_limited_per_address(
    client: Client, db: None, settings: object
) -> None:
    settings.MOTCUA_ACCOUNT_RATE = "2/minute"  # type: ignore[attr-defined]
    for _ in range(2):
        assert client.post("/dang-ky/", person(id_number="1")).status_code == 400
    limited = client.post("/dang-ky/", person())
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert client.post("/dang-nhap/", {"username": "x", "password": "y"}).status_code == 429
    # Reading the forms is not counted.
    assert client.get("/dang-ky/").status_code == 200
