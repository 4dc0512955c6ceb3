"""Sign-in with lock-out, the agency choice, and one small form per dossier action. The action
forms only parse; ``motcua.dossiers.api.ACTIONS`` calls the same services as the API."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import ReturnMethod
from motcua.workspace import lockout


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refused while the username is locked out, counting failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts: this account is locked until %(until)s. "
            "Try again later or ask your agency administrator."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        until = lockout.locked_until(username) if username else None
        if until is not None:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"until": formats.time_format(timezone.localtime(until), "H:i")},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                lockout.record_failure(username)
            raise
        lockout.clear(username)
        return cleaned


class AgencyForm(forms.Form):
    agency = forms.IntegerField(widget=forms.HiddenInput)


# --- actions -----------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action carries the revision the officer saw: a later change is a conflict."""

    revision = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ForwardForm(NoteForm):
    to = forms.CharField(
        label=_("Next holder (username)"),
        required=False,
        help_text=_("Leave empty to hand it to the next step's role."),
    )


class TransferForm(ReasonForm):
    to_agency = forms.CharField(label=_("Agency code"), max_length=35)
    allowance = forms.DecimalField(
        label=_("Allowance (working days)"), max_digits=7, decimal_places=2, min_value=0
    )
    step_name = forms.CharField(label=_("Step name"), required=False, max_length=300)


class SupplementForm(ActionForm):
    items = forms.CharField(
        label=_("Missing items, one per line"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines()]
        items = [line for line in lines if line]
        if not items:
            raise forms.ValidationError(_("List at least one missing item."))
        return items


class PaymentRequestForm(ReasonForm):
    amount = forms.DecimalField(label=_("Amount (VND)"), max_digits=14, decimal_places=0)


class PaymentForm(ActionForm):
    amount = forms.DecimalField(label=_("Amount (VND)"), max_digits=14, decimal_places=0)
    receipt = forms.CharField(label=_("Receipt number"), required=False, max_length=100)


class ExtendForm(ReasonForm):
    new_return_at = forms.DateTimeField(
        label=_("New return date"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class ApproveForm(ActionForm):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(NoteForm):
    method = forms.ChoiceField(label=_("Return method"), choices=ReturnMethod.choices)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "receive": ActionForm,
    "forward": ForwardForm,
    "send_back": ReasonForm,
    "transfer": TransferForm,
    "request_supplement": SupplementForm,
    "resubmit": NoteForm,
    "request_payment": PaymentRequestForm,
    "confirm_payment": PaymentForm,
    "extend": ExtendForm,
    "approve": ApproveForm,
    "return_result": ReturnForm,
    "withdraw": ReasonForm,
    "stop": ReasonForm,
}


def action_form(name: str, revision: int, data: Any = None) -> ActionForm:
    """The form of action ``name``, with ids unique on a page holding several forms."""
    form_class = ACTION_FORMS[name]
    return form_class(data, initial={"revision": revision}, auto_id=f"id_{name}_%s")
