"""The online submission form: the case and the desk, the applicant (prefilled from the
account), a file per required document, how the result is returned. It parses and checks what
a person types; the engine (``dossiers.drafts``, ``dossiers.intake``) decides the rest."""

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.accounts import validators
from motcua.catalogue.models import RequiredDocument
from motcua.dossiers.models import MAX_POSTAL_ADDRESS, ReturnMethod
from motcua.portal.submission import Offer


def file_field_name(required: RequiredDocument) -> str:
    return f"file_{required.pk}"


class SubmissionForm(forms.Form):
    case = forms.ChoiceField(label=_("Case"))
    agency = forms.ChoiceField(label=_("Where to submit"))
    name = forms.CharField(label=_("Applicant's full name"), max_length=255)
    id_number = forms.CharField(
        label=_("Personal ID number or tax code"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )  # fmt: skip
    email = forms.EmailField(label=_("E-mail"), required=False)
    return_method = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=ReturnMethod.choices,
        widget=forms.RadioSelect,
        initial=ReturnMethod.IN_PERSON,
    )
    postal_address = forms.CharField(
        label=_("Postal address for the result"),
        max_length=MAX_POSTAL_ADDRESS,
        required=False,
        help_text=_("Only for return by public post: where the post delivers the result."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, offer: Offer, documents: list[RequiredDocument], kind: str, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.kind = kind
        case, agency = self.fields["case"], self.fields["agency"]
        assert isinstance(case, forms.ChoiceField) and isinstance(agency, forms.ChoiceField)  # noqa: S101
        case.choices = [(c.code, c.name) for c in offer.version.cases.all()]
        agency.choices = [(a.code, a.name) for a in offer.agencies]
        for required in documents:
            self.fields[file_field_name(required)] = forms.FileField(
                label=required.name, required=False
            )

    def clean_phone(self) -> str:
        phone = validators.clean_phone(self.cleaned_data["phone"])
        if phone:
            validators.validate_phone(phone)
        return phone

    def clean_id_number(self) -> str:
        number = validators.clean_number(self.cleaned_data["id_number"])
        validators.validate_applicant_id(number, self.kind)
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        post = data.get("return_method") == ReturnMethod.POST
        if post and not " ".join(data.get("postal_address", "").split()):
            message = _("A result returned by public post needs the postal address to send it to.")
            self.add_error("postal_address", ValidationError(message, code="required"))
        return data


class ConfirmForm(forms.Form):
    """The review page's one-time token: a replayed submit makes no second dossier."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if not self.is_bound:
            self.initial.setdefault("token", str(uuid.uuid4()))
