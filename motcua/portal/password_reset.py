"""Password reset for portal accounts by e-mail: Django's ``PasswordResetView`` family with the
portal's Vietnamese templates. Only citizens' and organisations' accounts (never officials',
who reset through their agency administrator) receive a link; the answer is the same page
whether the address belongs to an account or not, so the form reveals no address; requests are
counted per client address with the other account forms (``MOTCUA_ACCOUNT_RATE``)."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy

from motcua.accounts import registration
from motcua.accounts.models import User
from motcua.portal.account_views import _too_many
from motcua.portal.throttle import allow_account_post


class PortalPasswordResetForm(PasswordResetForm):
    """Mails a link only to active portal accounts with that verified address."""

    def get_users(self, email: str) -> Iterator[Any]:
        return (u for u in super().get_users(email) if registration.is_portal_account(u))


class PortalSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Sets the new password through the accounts' service, which records the event."""

    def save(self, commit: bool = True) -> Any:
        password = self.cleaned_data["new_password1"]
        registration.reset_password(user=self.user, new_password=password)
        return self.user


class RequestReset(auth_views.PasswordResetView):
    """``/quen-mat-khau/``: the address to send the link to."""

    template_name = "portal/password_reset.html"
    email_template_name = "portal/password_reset_email.txt"
    subject_template_name = "portal/password_reset_subject.txt"
    form_class = PortalPasswordResetForm
    success_url = reverse_lazy("portal:password_reset_done")

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        return {"public_base_url": str(settings.PUBLIC_BASE_URL).rstrip("/")}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        allowed, wait = allow_account_post(request)
        if not allowed:
            return _too_many(request, wait)
        return super().post(request, *args, **kwargs)


class ResetSent(auth_views.PasswordResetDoneView):
    template_name = "portal/password_reset_done.html"


class ChooseNewPassword(auth_views.PasswordResetConfirmView):
    """``/dat-lai-mat-khau/<uid>/<token>/``: the link's page; a link for an official's account
    is treated as invalid."""

    template_name = "portal/password_reset_confirm.html"
    form_class = PortalSetPasswordForm
    success_url = reverse_lazy("portal:password_reset_complete")

    def get_user(self, uidb64: str) -> User | None:
        user = super().get_user(uidb64)
        if isinstance(user, User) and registration.is_portal_account(user):
            return user
        return None


class ResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "portal/password_reset_complete.html"
