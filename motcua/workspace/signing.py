"""The leader signs the result on approval, from the dossier page: the result PDF attached by
the processing officer is signed with the leader's key (a PKCS#12 file and its passphrase, or
the server's PKCS#11 token and its PIN when one is configured), the certificate checked first
(``motcua.signing``); the engine keeps the signed file and records the signature
(``dossiers.signatures``). The key file and the PIN live for this request only."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.printing_layout import FONT_DIR
from motcua.dossiers.signatures import SignedPdf, no_result_pdf, result_pdf
from motcua.errors import invalid
from motcua.signing.keys import pkcs12_signer, token_signer
from motcua.signing.pades import Signed, Stamp, sign_pdf
from motcua.signing.trust import configured

MAX_KEY_FILE = 64 * 1024  # a PKCS#12 file with its chain is a few kilobytes


def token_configured() -> bool:
    return bool(getattr(settings, "MOTCUA_SIGNING_PKCS11_MODULE", ""))


def _stamp(user: User, dossier: Dossier) -> Stamp:
    agency = dossier.current_agency or dossier.receiving_agency
    return Stamp(
        name=user.full_name or user.username,
        position=_("Signing leader"),
        agency=agency.name if agency is not None else "",
        font=Path(FONT_DIR) / "DejaVuSerif.ttf",
    )


def sign_result(
    dossier: Dossier,
    user: User,
    *,
    key_file: "UploadedFile[bytes] | None",
    passphrase: str,
    pin: str,
) -> SignedPdf:
    """The dossier's result PDF signed with the key given (a PKCS#12 file, else the configured
    token with ``pin``): refused with a coded reason on the field concerned."""
    document = result_pdf(dossier)
    if document is None:
        raise no_result_pdf()
    with document.file.open("rb") as f:
        pdf = f.read()
    stamp, trust = _stamp(user, dossier), configured()
    reason = _("Approval of dossier %(code)s") % {"code": dossier.code}
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
