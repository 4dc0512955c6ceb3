"""The portal's feedback forms (phản ánh, kiến nghị): submit, and follow by code and PIN."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import Subject
from motcua.feedback.services import MAX_ATTACHMENTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.tif,.tiff"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class FeedbackForm(forms.Form):
    """What the sender writes; the service decides whether it is identified or anonymous."""

    subject = forms.ChoiceField(label=_("The feedback is about"), choices=Subject.choices)
    procedure_code = forms.CharField(
        label=_("Procedure code (optional)"),
        max_length=32,
        required=False,
        help_text=_("The national code shown on the procedure's page, e.g. 2.000720."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}))
    name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("Up to %(n)s PDF or image files.") % {"n": MAX_ATTACHMENTS},
    )
    consent_to_publish = forms.BooleanField(
        label=_("I agree that the question and its answer be published, without my name."),
        required=False,
    )


class FollowForm(forms.Form):
    """A feedback's code and the PIN given when it was sent."""

    code = forms.CharField(
        label=_("Feedback code"), max_length=20, help_text=_("For example PAKN-2026-000123.")
    )
    pin = forms.CharField(label=_("PIN"), max_length=32)


class AnswerSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the answers"), max_length=100, required=False)
