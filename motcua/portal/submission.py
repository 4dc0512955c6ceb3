"""Reads for online submission on the portal: which procedures may be submitted online today,
their cases and desks, the dossier a citizen just submitted, a required document's template.
The writes are the engine's (``dossiers.drafts``)."""

import datetime as dt
from dataclasses import dataclass

from motcua.accounts.models import Agency, User
from motcua.catalogue.models import (
    Case,
    OnlineLevel,
    ProcedureVersion,
    RequiredDocument,
    VersionStatus,
    position_of_code,
)
from motcua.dossiers.models import Dossier
from motcua.portal import procedures

# Decree 42/2022/NĐ-CP art. 11: a "toàn trình" (full) or "một phần" (partial) online service
# takes the dossier online; the others only at the desk or by post.
ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)


@dataclass
class Offer:
    """A procedure open to online submission today: its version and receiving desks."""

    version: ProcedureVersion
    agencies: list[Agency]

    def case(self, code: str) -> Case | None:
        return next((c for c in self.version.cases.all() if c.code == code), None)

    def agency(self, code: str) -> Agency | None:
        return next((a for a in self.agencies if a.code == code), None)


def online_offer(code: str, today: dt.date) -> Offer | None:
    """Procedure ``code`` if it is in force and published today, can be submitted online and
    has a receiving desk; else ``None``."""
    found = procedures.procedure_page(code, today)
    if not isinstance(found, procedures.Page):
        return None
    version = found.version
    if version.online_level not in ONLINE_LEVELS or version.status != VersionStatus.PUBLISHED:
        return None
    agencies = [a for a in found.agencies if a.is_valid_on(today)]
    return Offer(version, agencies) if agencies else None


def submitted(user: User, code: str) -> Dossier | None:
    """The dossier ``code`` if ``user`` submitted it (its owner); else ``None``."""
    return (
        Dossier.objects.filter(owner=user, code=code)
        .select_related("version", "receiving_agency")
        .first()
    )


def document_template(
    code: str, case_code: str, document_code: str, today: dt.date
) -> RequiredDocument | None:
    """The required document ``document_code`` (``TP01``) of case ``case_code`` of procedure
    ``code`` in force today, when the catalogue holds its template file."""
    position = position_of_code(document_code)
    if position is None:
        return None
    document = (
        RequiredDocument.objects.filter(
            case__version__in=procedures.in_force(today),
            case__version__procedure__code=code,
            case__code=case_code,
            position=position,
        )
        .exclude(template="")
        .first()
    )
    return document
