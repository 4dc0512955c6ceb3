"""Forms of "my dossiers": answering a supplement request with the missing papers, and asking
to withdraw. Both carry the dossier's revision (someone acting first is a conflict, not a
silent overwrite); the supplement form carries a one-time token too (``idempotency.once``), so
a double click or a resent page answers once."""

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from motcua.dossiers import documents
from motcua.dossiers.applicant import MAX_SUPPLEMENT_FILES, Supplied

NOTE_MAX = 2000
REASON_MAX = 2000


class SupplementForm(forms.Form):
    """One file field per item the supplement request lists, one for anything else, and a
    note. Every file is checked as the desk checks it (``documents.check_upload``: type by
    content, size) next to its field; the note is kept on any error."""

    token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    other = forms.FileField(
        label=_("Another paper"),
        required=False,
        help_text=_("Anything else you were asked for. PDF, PNG, JPEG or TIFF."),
    )
    note = forms.CharField(
        label=_("Note for the agency"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, items: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", str(uuid.uuid4()))
        self.items = items[:MAX_SUPPLEMENT_FILES]
        for n, item in enumerate(self.items):
            self.fields[f"item_{n}"] = forms.FileField(
                label=item, required=False, help_text=_("PDF, PNG, JPEG or TIFF.")
            )
        self.order_fields([*(f"item_{n}" for n in range(len(self.items))), "other", "note"])

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{n}"] for n in range(len(self.items))]

    def _named(self) -> list[tuple[str, str]]:
        """(field, item answered) for every file field, the other paper last (named later)."""
        return [*((f"item_{n}", item) for n, item in enumerate(self.items)), ("other", "")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._supplied: list[Supplied] = []
        for name, item in self._named():
            upload: UploadedFile[bytes] | None = cleaned.get(name)
            if upload is None:
                continue
            try:
                documents.check_upload(upload)
            except ValidationError as refused:
                # ``check_upload`` names its one field ``file``: shown at this file's field.
                self.add_error(name, refused.error_dict["file"])
                continue
            self._supplied.append(Supplied(item or documents.base_name(upload.name or ""), upload))
        if not self._supplied and not self.errors:
            raise ValidationError(
                _("Attach at least one file for the items asked for."),
                code="supplement_files_required",
            )
        return cleaned

    def supplied(self) -> list[Supplied]:
        """The files chosen, each under the item it answers (valid forms only)."""
        return list(self._supplied)


class WithdrawForm(forms.Form):
    """The applicant's request to withdraw, with its reason (the service records it) and a
    confirmation that the dossier ends."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why do you withdraw the dossier?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that a withdrawn dossier is ended: it is not processed further "
            "and cannot be resumed."
        ),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )
