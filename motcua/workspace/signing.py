"""The leader signs the result on approval, from the dossier page: the result PDF attached by
the processing officer is signed with the leader's key (a PKCS#12 file and its passphrase, or
the server's PKCS#11 token and its PIN when one is configured), the certificate checked first
(``motcua.signing``); the engine keeps the signed file and records the signature
(``dossiers.signatures``). The desk signs the electronic copy of the receipt (Form 01)
and of the scanned papers the same way (``sign_copy``). The key file and the PIN live for this
request only."""

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.form_numbering import Form
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.printing import FormNotApplicable, render_form
from motcua.dossiers.printing_layout import FONT_DIR
from motcua.dossiers.signatures import PDF, SignedPdf, no_result_pdf, result_pdf
from motcua.errors import invalid
from motcua.signing.keys import pkcs12_signer, token_signer
from motcua.signing.pades import Signed, Stamp, sign_pdf
from motcua.signing.trust import configured

MAX_KEY_FILE = 64 * 1024  # a PKCS#12 file with its chain is a few kilobytes


def token_configured() -> bool:
    return bool(getattr(settings, "MOTCUA_SIGNING_PKCS11_MODULE", ""))


def _stamp(user: User, dossier: Dossier, position: str) -> Stamp:
    agency = dossier.current_agency or dossier.receiving_agency
    return Stamp(
        name=user.full_name or user.username,
        position=position,
        agency=agency.name if agency is not None else "",
        font=Path(FONT_DIR) / "DejaVuSerif.ttf",
    )


def _sign(
    pdf: bytes,
    stamp: Stamp,
    user: User,
    *,
    reason: str,
    key_file: "UploadedFile[bytes] | None",
    passphrase: str,
    pin: str,
) -> SignedPdf:
    """``pdf`` signed with the key given (a PKCS#12 file, else the configured token with
    ``pin``, the key labelled with the user's name): refused with a coded reason on the field
    concerned. The certificate is checked before the signature is applied (``sign_pdf``)."""
    trust = configured()
    signed: Signed
    if key_file is not None:
        if (key_file.size or 0) > MAX_KEY_FILE:
            raise invalid("signing_key_unreadable", _("This is not a key file."), "key_file")
        signer: Any = pkcs12_signer(key_file.read(), passphrase)
        signed = sign_pdf(pdf, signer, stamp, trust, reason=reason)
    elif token_configured() and pin:
        with token_signer(
            settings.MOTCUA_SIGNING_PKCS11_MODULE,
            settings.MOTCUA_SIGNING_PKCS11_TOKEN,
            pin,
            key_label=user.username,
        ) as on_token:
            signed = sign_pdf(pdf, on_token, stamp, trust, reason=reason)
    else:
        message = _("Give the key file and its passphrase, or the PIN.")
        raise invalid("signing_key_missing", message, "key_file")
    return SignedPdf(signed.data, signed.certificate_sha256, signed.signer_name, signed.at)


def sign_result(
    dossier: Dossier,
    user: User,
    *,
    key_file: "UploadedFile[bytes] | None",
    passphrase: str,
    pin: str,
) -> SignedPdf:
    """The dossier's result PDF signed by the approving leader."""
    document = result_pdf(dossier)
    if document is None:
        raise no_result_pdf()
    with document.file.open("rb") as f:
        pdf = f.read()
    stamp = _stamp(user, dossier, _("Signing leader"))
    reason = _("Approval of dossier %(code)s") % {"code": dossier.code}
    return _sign(pdf, stamp, user, reason=reason, key_file=key_file, passphrase=passphrase, pin=pin)


RECEIPT = "receipt"


def copy_to_sign(dossier: Dossier, subject: str) -> tuple[bytes, DossierDocument | None]:
    """What the desk signs: ``receipt`` — the receipt (Form 01) as printed now —, or
    ``document-<id>`` — a scanned paper of the dossier kept as a PDF; with the document."""
    if subject == RECEIPT:
        try:
            return render_form(dossier, Form.RECEIPT), None
        except FormNotApplicable as refused:
            raise invalid(refused.code, str(refused), "subject") from refused
    pk = subject.removeprefix("document-")
    document = (
        dossier.documents.filter(pk=int(pk), result=False).exclude(file="").first()
        if subject.startswith("document-") and pk.isdigit()
        else None
    )
    if document is None:
        raise invalid("not_found", _("No such document in this dossier."), "subject")
    if document.content_type != PDF:
        message = _("Only a scan kept as a PDF can be signed: scan the paper to PDF.")
        raise invalid("not_a_pdf", message, "subject")
    with document.file.open("rb") as f:
        return f.read(), document


def sign_copy(
    dossier: Dossier,
    user: User,
    *,
    subject: str,
    key_file: "UploadedFile[bytes] | None",
    passphrase: str,
    pin: str,
) -> tuple[SignedPdf, str, DossierDocument | None]:
    """The desk officer's signature on the electronic copy of the receipt or of a scan: the
    signed PDF, the SHA-256 of what was signed and the document signed (none for Form 01)."""
    pdf, document = copy_to_sign(dossier, subject)
    stamp = _stamp(user, dossier, _("Receiving officer"))
    reason = _("Electronic copy received with dossier %(code)s") % {"code": dossier.code}
    signed = _sign(
        pdf, stamp, user, reason=reason, key_file=key_file, passphrase=passphrase, pin=pin
    )
    return signed, hashlib.sha256(pdf).hexdigest(), document
