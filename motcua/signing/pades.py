"""Sign a PDF: a PAdES baseline signature (B-B, or B-T with a time stamp) applied by pyHanko,
with a visible stamp naming the signer, their position, agency and the time, in the agreed
corner of the last page.

The signing certificate is checked first, at the signing time, against the trusted roots with
revocation required: a revoked, expired, not-yet-valid, untrusted or non-signing certificate is
refused before anything is applied (Decree 130/2018/NĐ-CP art. 9 — to verify against Decree
23/2025/NĐ-CP on electronic signatures, which replaced it from 2025-04-10: a digital signature is
secure only while its certificate is valid). The key never leaves its token or file, and the
token's PIN is used for the session only (``keys``)."""

import asyncio
import datetime as dt
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from asn1crypto import x509
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils import text
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.sign import fields, signers, timestamps
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InvalidCertificateError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
)

from motcua.errors import invalid
from motcua.signing.sync import outside_loop
from motcua.signing.trust import Trust

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
STAMP_WIDTH, STAMP_HEIGHT, MARGIN = 230, 62, 28


class Corner(StrEnum):
    """Where the visible stamp goes on the last page."""

    BOTTOM_RIGHT = "bottom-right"
    BOTTOM_LEFT = "bottom-left"
    TOP_RIGHT = "top-right"
    TOP_LEFT = "top-left"


@dataclass(frozen=True)
class Stamp:
    """What the visible stamp says (Vietnamese) and the font that can write it."""

    name: str
    position: str
    agency: str
    font: Path
    corner: Corner = Corner.BOTTOM_RIGHT


@dataclass(frozen=True)
class Signed:
    """The signed PDF, its SHA-256 and the signing certificate's SHA-256 fingerprint."""

    data: bytes
    sha256: str
    certificate_sha256: str
    signer_name: str
    at: dt.datetime


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.dump()).hexdigest()


def check_certificate(
    cert: x509.Certificate,
    trust: Trust,
    *,
    at: dt.datetime,
    chain: tuple[x509.Certificate, ...] = (),
) -> None:
    """Refuse (a coded ``Refusal``) a certificate that may not sign at ``at``: revoked, expired
    or not yet valid, not chaining to a trusted root, or without the digital-signature use."""
    context = trust.context(at=at, others=chain)
    validator = CertificateValidator(
        cert, intermediate_certs=list(chain), validation_context=context
    )
    try:
        asyncio.run(validator.async_validate_usage({"digital_signature"}))
    except RevokedError as exc:
        raise invalid(
            "signing_certificate_revoked",
            _("The signing certificate has been revoked: it may not sign."),
        ) from exc
    except (ExpiredError, NotYetValidError) as exc:
        raise invalid(
            "signing_certificate_expired",
            _("The signing certificate is not valid at this time (expired or not yet valid)."),
        ) from exc
    except InvalidCertificateError as exc:
        raise invalid(
            "signing_certificate_not_for_signing",
            _("The certificate is not issued for digital signatures."),
        ) from exc
    except (PathBuildingError, PathValidationError) as exc:
        raise invalid(
            "signing_certificate_untrusted",
            _(
                "The signing certificate does not chain to a trusted certification authority, "
                "or its revocation status cannot be checked."
            ),
        ) from exc


def _box(writer: IncrementalPdfFileWriter, corner: Corner) -> tuple[int, int, int, int]:
    page_ref, _ = writer.find_page_for_modification(-1)
    x0, y0, x1, y1 = (float(v) for v in page_ref.get_object()["/MediaBox"])
    left = x0 + MARGIN if corner.endswith("left") else x1 - MARGIN - STAMP_WIDTH
    bottom = y0 + MARGIN if corner.startswith("bottom") else y1 - MARGIN - STAMP_HEIGHT
    return int(left), int(bottom), int(left + STAMP_WIDTH), int(bottom + STAMP_HEIGHT)


def _stamp_font(path: Path) -> str:
    """``path``'s font rescaled to 1,000 units per em, kept in the temporary directory.
    pyHanko 0.38 writes a font's glyph widths into the PDF (``/W``) in the font's own units,
    which the PDF reads as thousandths: a font of 2,048 units per em (DejaVu, Liberation) comes
    out with its letters twice as far apart. A copy at 1,000 units per em reads right."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    data = path.read_bytes()
    target = Path(tempfile.gettempdir()) / "motcua-stamp-fonts"
    scaled = target / f"{hashlib.sha256(data).hexdigest()[:16]}.ttf"
    if not scaled.exists():
        font = TTFont(io.BytesIO(data))
        if font["head"].unitsPerEm == 1000:
            return str(path)
        scale_upem(font, 1000)
        target.mkdir(parents=True, exist_ok=True)
        partial = scaled.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(partial))
        partial.replace(scaled)  # atomic: another process may be writing the same file
    return str(scaled)


def _stamp_style(stamp: Stamp, at: dt.datetime) -> TextStampStyle:
    local = at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S (GMT+7)")
    lines = [
        f"Ký bởi: {stamp.name}",
        f"Chức vụ: {stamp.position}",
        f"Cơ quan: {stamp.agency}",
        f"Thời gian ký: {local}",
    ]
    return TextStampStyle(
        stamp_text="\n".join(line.replace("%", "%%") for line in lines),
        text_box_style=text.TextBoxStyle(
            font=GlyphAccumulatorFactory(_stamp_font(stamp.font)), font_size=8, leading=10
        ),
        border_width=1,
    )


def sign_pdf(*args: Any, **kwargs: Any) -> Signed:
    """``_sign_pdf`` (below), outside any running event loop (``sync.outside_loop``)."""
    return outside_loop(lambda: _sign_pdf(*args, **kwargs))


def _sign_pdf(
    pdf: bytes,
    signer: signers.Signer,
    stamp: Stamp,
    trust: Trust,
    *,
    reason: str = "",
    location: str = "",
    timestamp_url: str | None = None,
    at: dt.datetime | None = None,
) -> Signed:
    """``pdf`` signed by ``signer`` (PAdES; B-T when ``timestamp_url`` names an RFC 3161
    time-stamping authority), after ``check_certificate``. A document that is not a PDF, or is
    encrypted, is refused (``not_a_pdf``)."""
    at = at or dt.datetime.now(dt.UTC)
    cert = signer.signing_cert
    if cert is None:
        raise invalid("signing_certificate_missing", _("The key has no certificate."))
    chain = tuple(c for c in signer.cert_registry if c.dump() != cert.dump())
    check_certificate(cert, trust, at=at, chain=chain)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise invalid("not_a_pdf", _("The document is not a readable PDF.")) from exc
    if writer.prev.encrypted:
        raise invalid("not_a_pdf", _("The document is not a readable PDF."))
    field_name = f"Signature{len(list(writer.prev.embedded_signatures)) + 1}"
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
        name=stamp.name,
    )
    options: dict[str, Any] = {}
    if timestamp_url:
        options["timestamper"] = timestamps.HTTPTimeStamper(timestamp_url)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=_stamp_style(stamp, at),
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=field_name, on_page=-1, box=_box(writer, stamp.corner)
        ),
        **options,
    )
    out = pdf_signer.sign_pdf(writer)
    data = out.getvalue() if isinstance(out, io.BytesIO) else bytes(out.read())
    return Signed(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        certificate_sha256=fingerprint(cert),
        signer_name=str(cert.subject.native.get("common_name", "")),
        at=at,
    )
