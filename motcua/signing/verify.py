"""Verify a PDF's signatures, for anyone: is the document intact since each signature, who
signed, with which certificate chain, when, was the certificate valid then, and is this the
document recorded for a dossier (its SHA-256). The answer is one of a few verdicts with a plain
Vietnamese explanation; pyHanko's validator does the cryptography and the tests hold our
verdict against its own for every test document."""

import asyncio
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel

from motcua.signing.pades import fingerprint
from motcua.signing.sync import outside_loop
from motcua.signing.trust import Trust


class Verdict(StrEnum):
    """The document's standing, worst signature first."""

    VALID = "valid"  # every signature intact, trusted, certificate valid when signed
    MODIFIED = "modified"  # changed after a signature (bytes altered, or content added after)
    UNTRUSTED = "untrusted"  # intact, but the certificate does not chain to a trusted root
    REVOKED = "revoked"  # the certificate was revoked (or expired) when it signed
    UNSIGNED = "unsigned"  # a PDF with no signature
    NOT_PDF = "not_pdf"  # not a readable PDF


EXPLANATIONS = {
    Verdict.VALID: _(
        "The document is intact and every signature is valid: the signer's certificate was "
        "issued by a trusted certification authority and was valid when it signed."
    ),
    Verdict.MODIFIED: _(
        "The document was changed after it was signed: do not rely on it. Ask the issuing "
        "agency for the original."
    ),
    Verdict.UNTRUSTED: _(
        "The document is intact, but the signer's certificate was not issued by a "
        "certification authority this system trusts."
    ),
    Verdict.REVOKED: _(
        "The signer's certificate was revoked or not valid when the document was signed: the "
        "signature has no legal value."
    ),
    Verdict.UNSIGNED: _("The document carries no electronic signature."),
    Verdict.NOT_PDF: _("The file is not a readable PDF document."),
}


@dataclass(frozen=True)
class SignatureReport:
    """One signature as the verification page shows it."""

    field: str
    signer: str
    certificate_sha256: str
    chain: tuple[str, ...]  # subject names, signer first, root last (when trusted)
    signed_at: dt.datetime | None  # the signer's reported time
    timestamp_at: dt.datetime | None  # a trusted time stamp's time, when there is one
    intact: bool
    trusted: bool
    certificate_valid: bool  # not revoked or expired at the signing time
    whole_document: bool  # covers the file as it is (nothing added after)
    verdict: Verdict
    pyhanko_bottom_line: bool


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    sha256: str
    signatures: tuple[SignatureReport, ...] = ()
    matches_record: bool | None = None  # None: no recorded hash to compare with
    detail: str = field(default="")

    @property
    def explanation(self) -> str:
        return str(EXPLANATIONS[self.verdict])


_ORDER = [
    Verdict.NOT_PDF,
    Verdict.MODIFIED,
    Verdict.REVOKED,
    Verdict.UNTRUSTED,
    Verdict.UNSIGNED,
    Verdict.VALID,
]


def _name(cert: object) -> str:
    subject = getattr(cert, "subject", None)
    native = subject.native if subject is not None else {}
    return str(native.get("common_name") or (subject.human_friendly if subject else ""))


# AdES sub-indications (ETSI EN 319 102-1) meaning the certificate was not valid when it signed.
_NOT_VALID_THEN = frozenset(
    {"REVOKED", "REVOKED_NO_POE", "EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE"}
)


def _report(name: str, status: PdfSignatureStatus) -> SignatureReport:
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    revoked = status.revoked or (
        status.trust_problem_indic is not None
        and str(status.trust_problem_indic).rsplit(".", 1)[-1] in _NOT_VALID_THEN
    )
    if not status.intact or not status.valid:
        verdict = Verdict.MODIFIED
    elif revoked:
        verdict = Verdict.REVOKED
    elif not status.trusted:
        verdict = Verdict.UNTRUSTED
    elif not whole and (
        status.modification_level in (None, ModificationLevel.OTHER) or status.docmdp_ok is False
    ):
        verdict = Verdict.MODIFIED  # changed after signing beyond adding signatures or forms
    else:
        verdict = Verdict.VALID
    path = status.validation_path
    chain = tuple(_name(c) for c in path) if path is not None else (_name(status.signing_cert),)
    ts = status.timestamp_validity
    return SignatureReport(
        field=name,
        signer=_name(status.signing_cert),
        certificate_sha256=fingerprint(status.signing_cert),
        chain=tuple(reversed(chain)) if path is not None else chain,
        signed_at=status.signer_reported_dt,
        timestamp_at=ts.timestamp if ts is not None and ts.trusted else None,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        certificate_valid=not revoked,
        whole_document=whole,
        verdict=verdict,
        pyhanko_bottom_line=bool(status.bottom_line),
    )


async def _validate_all(reader: PdfFileReader, trust: Trust) -> list[SignatureReport]:
    reports = []
    for sig in reader.embedded_signatures:
        when = sig.self_reported_timestamp
        context = trust.context(at=when)
        status = await async_validate_pdf_signature(
            sig, signer_validation_context=context, ts_validation_context=trust.context()
        )
        reports.append(_report(sig.field_name, status))
    return reports


def verify_pdf(data: bytes, trust: Trust, *, recorded_sha256: str | None = None) -> Verification:
    """The verdict on ``data``: the worst of its signatures', ``unsigned`` without any,
    ``not_pdf`` when it cannot be read. ``recorded_sha256`` (a dossier's result as the system
    recorded it) sets ``matches_record``."""
    sha = hashlib.sha256(data).hexdigest()
    matches = None if recorded_sha256 is None else sha == recorded_sha256.lower()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            return Verification(Verdict.NOT_PDF, sha, matches_record=matches)
        reports = outside_loop(lambda: asyncio.run(_validate_all(reader, trust)))
    except SignatureValidationError as exc:
        return Verification(Verdict.MODIFIED, sha, matches_record=matches, detail=str(exc))
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        return Verification(Verdict.NOT_PDF, sha, matches_record=matches, detail=str(exc))
    if not reports:
        return Verification(Verdict.UNSIGNED, sha, matches_record=matches)
    verdict = min((r.verdict for r in reports), key=_ORDER.index)
    return Verification(verdict, sha, tuple(reports), matches)
