"""The signed documents the system recorded for a dossier, for the public check by code and
secret (issue #15): the result the leader signed on approval (its SHA-256 on the approval's
event) and the electronic copies the desk signed (``SignedCopy``). A document someone holds is
"the one recorded for that dossier" when its SHA-256 is one of these. Reads only; the caller
has checked the secret (``portal.tracking.pin_matches``) or the ownership."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent
from motcua.dossiers.signed_models import SignedCopy, SignedKind
from motcua.dossiers.workflow import Action


@dataclass(frozen=True)
class Recorded:
    """One signed document as recorded: what it is, its SHA-256, the name in the signing
    certificate and when it was signed."""

    kind: str  # "result", or a ``SignedKind``: "receipt", "scan"
    name: str
    sha256: str
    signer: str
    signed_at: dt.datetime


def signed_result_event(dossier: Dossier) -> DossierEvent | None:
    """The approval that signed the result (the latest, should the dossier have been approved
    more than once), or ``None``: a result approved unsigned has nothing recorded."""
    approvals = dossier.events.filter(action=Action.APPROVE).order_by("-at", "-pk")
    for event in approvals:
        if isinstance(event.data, dict) and isinstance(event.data.get("signature"), dict):
            return event
    return None


def signed_result(dossier: Dossier) -> DossierDocument | None:
    """The result document as signed and kept on approval: the one whose SHA-256 the approval
    recorded (``None`` when the result was not signed, or its file was replaced since)."""
    event = signed_result_event(dossier)
    if event is None:
        return None
    signature = event.data["signature"]
    return (
        dossier.documents.filter(
            pk=signature.get("document_id"), result=True, sha256=signature.get("sha256", "")
        )
        .exclude(file="")
        .first()
    )


def recorded_documents(dossier: Dossier) -> list[Recorded]:
    """Every signed document recorded for ``dossier``: the result first, then the desk's
    copies in the order they were signed."""
    found: list[Recorded] = []
    event = signed_result_event(dossier)
    if event is not None:
        signature = event.data["signature"]
        found.append(
            Recorded(
                kind="result",
                name=str(signature.get("document") or _("Result")),
                sha256=str(signature.get("sha256", "")),
                signer=str(signature.get("signer", "")),
                signed_at=event.at,
            )
        )
    copies = SignedCopy.objects.filter(dossier=dossier).order_by("signed_at", "pk")
    found += [
        Recorded(
            kind=SignedKind(copy.kind).value,
            name=copy.name,
            sha256=copy.sha256,
            signer=copy.signer_name,
            signed_at=copy.signed_at,
        )
        for copy in copies
    ]
    return found
