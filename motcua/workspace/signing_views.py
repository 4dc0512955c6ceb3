"""The desk signs the electronic copy of the receipt (Form 01) and of the scanned papers from
the dossier page (issue #15; Circular 03/2025): the copy chosen is signed with the officer's key
(``signing.sign_copy``: a PKCS#12 file and its passphrase, or the server's PKCS#11 token and the
PIN typed now, never stored) and kept by the engine (``signatures.keep_signed_copy``), which
records the ``sign`` event. Officers of the dossier download the signed copies."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.accounts.models import User
from motcua.dossiers import access_log, queries
from motcua.dossiers.access_models import AccessKind
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import actions_for
from motcua.dossiers.signatures import signable_scans
from motcua.dossiers.signed_models import SignedCopy
from motcua.dossiers.workflow import Action
from motcua.workspace.forms import ActionForm
from motcua.workspace.signing import RECEIPT, token_configured


def subjects(dossier: Dossier) -> list[tuple[str, str]]:
    """What is left for the desk to sign: the receipt until it is signed, each PDF scan."""
    choices: list[tuple[str, str]] = []
    if not dossier.signed_copies.filter(kind="receipt").exists():
        choices.append((RECEIPT, _("Receipt and appointment slip (Form 01)")))
    choices += [(f"document-{d.pk}", d.name) for d in signable_scans(dossier)]
    return choices


class SignForm(ActionForm):
    """The copy to sign and the key: a PKCS#12 file and its passphrase, or the token's PIN."""

    subject = forms.ChoiceField(label=gettext_lazy("Electronic copy to sign"))
    key_file = forms.FileField(
        label=gettext_lazy("Key file (.p12)"),
        required=False,
        help_text=gettext_lazy("The file is not kept."),
    )
    passphrase = forms.CharField(
        label=gettext_lazy("Key file passphrase"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
    )
    pin = forms.CharField(
        label=gettext_lazy("Token PIN"),
        required=False,
        max_length=64,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Asked at each signature, never stored."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_sign_%s")
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = choices  # type: ignore[attr-defined]
        if not token_configured():
            del self.fields["pin"]


def signing_context(user: User, dossier: Dossier, form: SignForm | None) -> dict[str, Any]:
    """The dossier page's signing section: the signed copies, and the form for the desk."""
    context: dict[str, Any] = {
        "signed_copies": list(dossier.signed_copies.select_related("signed_by")),
        "sign_form": None,
    }
    if Action.SIGN in actions_for(user, dossier):
        choices = subjects(dossier)
        if form is None and choices:
            form = SignForm(initial={"revision": dossier.revision}, choices=choices)
        context["sign_form"] = form
    return context


@login_required
@require_GET
def signed_copy_file(request: HttpRequest, code: str, copy_id: int) -> FileResponse:
    """A signed copy's PDF, to those who may open the dossier's documents."""
    dossier = queries.dossier_for(request.user, code)
    if not queries.may_open_documents(request.user, dossier):
        raise PermissionDenied(_("Reading reports does not give access to a dossier's documents."))
    copy = SignedCopy.objects.filter(dossier=dossier, pk=copy_id).first()
    if copy is None:
        raise Http404(str(copy_id))
    access_log.record_reads(request, AccessKind.DOWNLOAD, [dossier])
    return FileResponse(
        copy.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{dossier.code}-{copy.pk}-ky-so.pdf",
    )
