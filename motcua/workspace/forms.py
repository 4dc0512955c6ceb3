"""Sign-in with lock-out, the agency choice, one small form per dossier action, and the form
attaching scans. The forms only parse; the engine's registry (``motcua.dossiers.actions``) and
``motcua.dossiers.documents`` do the work, as for the API."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers import extra_papers
from motcua.dossiers.extra_papers import ExtraPaper
from motcua.dossiers.models import (
    DossierDocument,
    PaymentMethod,
    ReplyKind,
    ReplyTemplate,
    ReturnMethod,
)
from motcua.dossiers.replies import lines_of
from motcua.errors import detail_problems, refusal_errors
from motcua.workspace import lockout, twofactor


def errors_into(
    form: forms.Form, errors: ValidationError | Mapping[str, Any] | Sequence[Any]
) -> None:
    """A service's refusal (Django's ``ValidationError``, or DRF's ``detail``) on ``form``: each
    error next to the field it names, the rest above the form, each keeping its code (the
    screens' one mapping of a refusal, as ``motcua.errors`` is the API's; the status of the
    page is ``refusal_status``)."""
    if isinstance(errors, ValidationError):
        found = refusal_errors(errors)
    else:
        found = detail_problems(errors)
    for problem in found:
        field = problem.get("field")
        error = ValidationError(problem["message"], code=problem["code"])
        form.add_error(field if field in form.fields else None, error)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, saying so when the lock-out (``lockout.py``, django-axes) refused
    the attempt: axes counts the failures and refuses a locked username or address before
    the password is checked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts: this account is locked until %(until)s. "
            "Try again later or ask your agency administrator."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if self.request is not None and getattr(self.request, "axes_locked_out", False):
                lockout.explained(self.request)
                until = lockout.locked_until(self.request, username)
                raise forms.ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={
                        "until": formats.time_format(
                            timezone.localtime(until or timezone.now()), "H:i"
                        )
                    },
                ) from None
            raise
        user = self.get_user()
        if user is None or not twofactor.has_two_factor(user):
            # With a second factor the count is cleared only once the code is right too
            # (twofactor.verify_sign_in), or password + wrong codes could go on for ever.
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


class TemplateChoiceField(forms.ChoiceField):
    """A "Mẫu trả lời" select: the agency's active reply templates of one kind. Each option
    carries its text (``data-body``) for ``replies.js`` to copy into ``target``; without
    JavaScript the chosen template's lines are used when the text is left empty."""

    def __init__(self, templates: Sequence[ReplyTemplate], target: str, **kwargs: Any) -> None:
        self.templates = {str(t.pk): t for t in templates}
        super().__init__(
            label=_("Reply template"),
            required=False,
            choices=[("", "—"), *((str(t.pk), t.title) for t in templates)],
            widget=TemplateSelect(bodies={k: t.body for k, t in self.templates.items()}),
            **kwargs,
        )
        self.widget.attrs["data-reply-target"] = target

    def template(self, value: str) -> ReplyTemplate | None:
        return self.templates.get(value or "")


class TemplateSelect(forms.Select):
    def __init__(self, bodies: dict[str, str]) -> None:
        super().__init__()
        self.bodies = bodies

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        body = self.bodies.get(str(option["value"]))
        if body is not None:
            option["attrs"]["data-body"] = body
        return option


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SupplementForm(ActionForm):
    template = forms.ChoiceField(required=False)  # replaced in __init__
    items = forms.CharField(
        label=_("Missing items, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    extra_papers = forms.CharField(
        label=_("Papers beyond the published list, one per line: paper | legal basis"),
        help_text=_(
            "Only a paper the law requires although the procedure's published list does not "
            "hold it; it is flagged on the dossier and reported (Decree 61/2018 art. 5)."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, templates: Sequence[ReplyTemplate] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if templates:
            self.fields["template"] = TemplateChoiceField(
                templates,
                target=self["items"].auto_id,
                help_text=_("Fills the missing items; used as it is when they are left empty."),
            )
        else:
            del self.fields["template"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        items = lines(cleaned.get("items") or "")
        field = self.fields.get("template")
        chosen = (
            field.template(cleaned.get("template", ""))
            if isinstance(field, TemplateChoiceField)
            else None
        )
        if not items and chosen is not None:
            items = lines_of(chosen)  # no JavaScript: the template's lines, as typed
        papers: list[ExtraPaper] = []
        try:
            papers = extra_papers.parse_lines(cleaned.get("extra_papers") or "", "extra_papers")
        except ValidationError as invalid:
            self.add_error(None, invalid)
        if not items and not papers and not self.errors:
            self.add_error("items", _("List at least one missing item."))
        cleaned["items"] = items
        cleaned["extra_papers"] = papers
        cleaned.pop("template", None)
        return cleaned


class PaymentRequestForm(ReasonForm):
    amount = forms.DecimalField(label=_("Amount (VND)"), max_digits=14, decimal_places=0)


class PaymentForm(ActionForm):
    amount = forms.DecimalField(label=_("Amount (VND)"), max_digits=14, decimal_places=0)
    receipt = forms.CharField(label=_("Receipt number"), required=False, max_length=100)
    method = forms.ChoiceField(
        label=_("Paid by"), choices=[("", "—"), *PaymentMethod.choices], required=False
    )


class FeeForm(ActionForm):
    amount = forms.DecimalField(
        label=_("Amount (VND)"), max_digits=14, decimal_places=0, min_value=1
    )
    receipt = forms.CharField(label=_("Receipt number"), max_length=100)
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)


class ExtendForm(ReasonForm):
    new_return_at = forms.DateTimeField(
        label=_("New return date"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class ApproveForm(ActionForm):
    # The inputs the screen signs with, making the payload's derived ``signed_result``.
    DERIVING = frozenset({"key_file", "passphrase", "pin"})

    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}))
    # Signing the attached result PDF on approval (workspace/signing.py): a PKCS#12 key file
    # and its passphrase, or the PIN of the server's token when one is configured.
    key_file = forms.FileField(
        label=_("Key file to sign the result (.p12)"),
        required=False,
        help_text=_("Optional: signs the attached result PDF. The file is not kept."),
    )
    passphrase = forms.CharField(
        label=_("Key file passphrase"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
    )
    pin = forms.CharField(
        label=_("Token PIN"),
        required=False,
        max_length=64,
        widget=forms.PasswordInput(render_value=False),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not getattr(settings, "MOTCUA_SIGNING_PKCS11_MODULE", ""):
            del self.fields["pin"]


class ReturnForm(NoteForm):
    method = forms.ChoiceField(label=_("Return method"), choices=ReturnMethod.choices)
    unpaid_reason = forms.CharField(
        label=_("Reason for returning with a fee unpaid"),
        required=False,
        max_length=500,
        help_text=_("Needed only while a fee is owed."),
    )


class PostForm(NoteForm):
    tracking_number = forms.CharField(
        label=_("Postal item number"),
        max_length=100,
        help_text=_("The number the public post gave the item (số bưu gửi)."),
    )
    unpaid_reason = forms.CharField(
        label=_("Reason for returning with a fee unpaid"),
        required=False,
        max_length=500,
        help_text=_("Needed only while a fee is owed."),
    )


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "receive": ActionForm,
    "forward": ForwardForm,
    "send_back": ReasonForm,
    "transfer": TransferForm,
    "request_supplement": SupplementForm,
    "allow_further_supplement": ReasonForm,
    "resubmit": NoteForm,
    "request_payment": PaymentRequestForm,
    "confirm_payment": PaymentForm,
    "collect_fee": FeeForm,
    "extend": ExtendForm,
    "approve": ApproveForm,
    "return_result": ReturnForm,
    "hand_to_post": PostForm,
    "withdraw": ReasonForm,
    "stop": ReasonForm,
}


def use_picker(form: ActionForm, name: str, choices: Sequence[tuple[str, str]]) -> None:
    """Replace the typed recipient of ``forward`` / ``transfer`` by a choice among
    ``choices`` (``dossiers.recipients.choices_for``): nobody types a username or a code."""
    if name == "forward":
        form.fields["to"] = forms.ChoiceField(
            label=_("Next holder"),
            required=False,
            choices=[("", _("— anyone holding the next step's role —")), *choices],
            help_text=_("The officers holding the next step's role at its agency."),
        )
    elif name == "transfer":
        form.fields["to_agency"] = forms.ChoiceField(
            label=_("Agency"),
            choices=[("", "—"), *choices],
            help_text=_("The agencies taking part in this procedure."),
        )


def action_form(
    name: str,
    revision: int,
    data: Any = None,
    *,
    templates: Sequence[ReplyTemplate] = (),
    choices: Sequence[tuple[str, str]] | None = None,
    files: Any = None,
) -> ActionForm:
    """The form of action ``name``, with ids unique on a page holding several forms; the
    supplement request offers ``templates`` (reply templates of kind supplement); forward and
    transfer pick their recipient from ``choices`` when given."""
    form_class = ACTION_FORMS[name]
    kwargs: dict[str, Any] = {"initial": {"revision": revision}, "auto_id": f"id_{name}_%s"}
    if files is not None:
        kwargs["files"] = files
    if form_class is SupplementForm:
        kwargs["templates"] = [t for t in templates if t.kind == ReplyKind.SUPPLEMENT]
    form = form_class(data, **kwargs)
    if choices is not None:
        use_picker(form, name, choices)
    return form


# --- documents ---------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>`` (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else single(data, initial)


class AttachForm(forms.Form):
    """Scans or uploads for a dossier: to one checklist item, or as new documents. The types
    and sizes are checked by ``documents.check_upload`` before anything is stored."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    uploads = MultipleFileField(label=_("Files (PDF, PNG, JPEG, TIFF)"))
    document = forms.TypedChoiceField(
        label=_("Document of the checklist"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty to add the files as new documents."),
    )
    name = forms.CharField(
        label=_("Name of a new document"),
        required=False,
        max_length=400,
        help_text=_("The file's name when left empty."),
    )
    result = forms.BooleanField(
        label=_("This is the result issued (the electronic copy for the applicant)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        documents: Sequence[DossierDocument] = (),
        results: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "id_attach_%s")
        super().__init__(*args, **kwargs)
        if not results:  # the result is attached only while the dossier is processed
            del self.fields["result"]
        self.fields["document"].choices = [  # type: ignore[attr-defined]
            ("", _("— a new document —")),
            *(
                (
                    d.pk,
                    d.name if d.file else _("%(name)s (no file yet)") % {"name": d.name},
                )
                for d in documents
            ),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        uploads = cleaned.get("uploads") or []
        if cleaned.get("document") is not None and len(uploads) > 1:
            self.add_error("uploads", _("One file per checklist document: choose a single file."))
        return cleaned
