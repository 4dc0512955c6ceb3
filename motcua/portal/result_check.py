"""The public check of a dossier's signed documents by its code and secret (the tracking PIN
printed on Form 01; issue #15): with a PDF, whether it is intact and validly signed
(``signing.verify``) and whether it is one of the documents the system recorded for that
dossier (its SHA-256: the signed result, the desk's signed copies); without one, the signed
result as the system keeps it, checked the same way. An unknown code and a wrong secret answer
alike (``None``), as tracking does."""

from dataclasses import dataclass

from motcua.dossiers.queries import tracked_dossier
from motcua.dossiers.recorded import Recorded, recorded_documents, signed_result
from motcua.portal.tracking import pin_matches
from motcua.signing.trust import Trust
from motcua.signing.verify import Verification, verify_pdf


@dataclass(frozen=True)
class DossierCheck:
    """The answer for a dossier: the verification (none when nothing was given and no signed
    result is kept), what the system recorded, and the recorded document the file is."""

    code: str
    verification: Verification | None
    recorded: tuple[Recorded, ...]
    match: Recorded | None

    @property
    def matches_record(self) -> bool | None:
        """Whether the file is one recorded for the dossier; ``None`` when nothing was checked."""
        return None if self.verification is None else self.match is not None


def check_dossier(code: str, pin: str, data: bytes | None, trust: Trust) -> DossierCheck | None:
    """Check ``data`` (or, when ``None``, the dossier's signed result as kept) against dossier
    ``code`` opened with its secret ``pin``; ``None`` for an unknown code or a wrong secret."""
    dossier = tracked_dossier(code.strip())
    if dossier is None or not pin.strip() or not pin_matches(dossier, pin):
        return None
    recorded = tuple(recorded_documents(dossier))
    if data is None:
        document = signed_result(dossier)
        if document is None:
            return DossierCheck(dossier.code, None, recorded, None)
        with document.file.open("rb") as f:
            data = f.read()
    verification = verify_pdf(data, trust)
    match = next((r for r in recorded if r.sha256 == verification.sha256), None)
    verification = Verification(
        verification.verdict,
        verification.sha256,
        verification.signatures,
        match is not None,
        verification.detail,
    )
    return DossierCheck(dossier.code, verification, recorded, match)
