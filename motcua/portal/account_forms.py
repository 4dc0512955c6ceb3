"""The portal's account forms: registration, the one-time code, and the citizens' sign-in
with the lock-out (django-axes counts failures on every sign-in, this one included)."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import AccountKind, User
from motcua.accounts.registration import is_portal_account


class RegisterForm(forms.Form):
    """An individual (name, 12-digit personal ID) or an organisation (name, tax code,
    representative), a contact, and a password. The rules are the service's
    (``accounts.registration``); this form only parses and checks the two passwords agree."""

    kind = forms.ChoiceField(
        label=_("I am registering as"),
        choices=AccountKind.choices,
        initial=AccountKind.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(
        label=_("Full name, or the organisation's name"), max_length=150, required=False
    )
    id_number = forms.CharField(
        label=_("Personal ID number (12 digits) or tax code"),
        max_length=20,
        required=False,
        help_text=_("You sign in with this number."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    representative = forms.CharField(
        label=_("Legal representative (organisations)"), max_length=150, required=False
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        help_text=_("Give an e-mail address or a phone number; the code goes to the e-mail."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    notify_by_email = forms.BooleanField(
        label=_("Send me notices about my dossiers by e-mail"), required=False, initial=True
    )
    notify_by_sms = forms.BooleanField(
        label=_("Send me notices about my dossiers by SMS"), required=False, initial=True
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 8 characters, not only digits, not a common password and not like your "
            "name or number."
        ),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PortalSignInForm(AuthenticationForm):
    """Django's sign-in form for citizens' accounts only: an official's account is refused
    before its password is checked (officials sign in on the workspace), and a sign-in refused
    by the lock-out says so."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "officer_account": _(
            "This is the sign-in for citizens and organisations. Officials sign in on the "
            "officers' workspace (/workspace/login/)."
        ),
        "locked": _(
            "Too many failed attempts: sign-in for this account is locked for a while. "
            "Try again later."
        ),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Personal ID number or tax code")

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        account = User.objects.filter(username__iexact=username).first() if username else None
        if account is not None and not is_portal_account(account):
            raise forms.ValidationError(
                self.error_messages["officer_account"], code="officer_account"
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if self.request is not None and getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(self.error_messages["locked"], code="locked") from None
            raise
        return cleaned


class NoticeChannelsForm(forms.Form):
    """The channels a portal account wants notices about its dossiers in (issue 13 item 6)."""

    notify_by_email = forms.BooleanField(label=_("By e-mail"), required=False)
    notify_by_sms = forms.BooleanField(label=_("By SMS"), required=False)
