"""Papers beyond the published list: an officer may name a paper the case's published list of
documents does not hold (at the desk's checklist or in a supplement request, Form 02) only with
the legal basis that requires it, typed by the officer; such a paper is flagged on the dossier and
counted per agency and officer for the reform office.

Why: asking for documents beyond those the law and the published procedure require is a prohibited
act — Decree 61/2018/NĐ-CP art. 5(1) ("yêu cầu bổ sung hồ sơ, giấy tờ ngoài quy định"), a rule
Decree 118/2025/NĐ-CP (which replaces it from 01/07/2025) keeps among the acts officers must not
commit [article number in Decree 118/2025 to verify; the domain notes give none] — and the
province's reform reports name it as a recurring fault ("đặt thêm thành phần hồ sơ ngoài quy
định", seed 002)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.accounts.validators import MAX_LINE_LENGTH, MAX_LINES, clean_line
from motcua.dossiers.extra_paper_models import ExtraPaperDemand, ExtraPaperSource
from motcua.dossiers.models import Dossier
from motcua.errors import on_field

# The separator of a typed line "paper | legal basis" on the screens (no JavaScript needed).
SEPARATOR = "|"


@dataclass(frozen=True)
class ExtraPaper:
    """A paper outside the case's published list and the legal basis that requires it."""

    name: str
    legal_basis: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "legal_basis": self.legal_basis}


def without_basis_error(name: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(paper)s” is not in the procedure's published list of documents: give the legal "
            "basis that requires it, or do not ask for it (Decree 61/2018 art. 5)."
        )
        % {"paper": name},
        code="extra_paper_without_legal_basis",
    )


def clean(papers: Iterable[ExtraPaper], field: str = "extra_papers") -> list[ExtraPaper]:
    """The papers with names and bases tidied, blank ones dropped; refuse (code
    ``extra_paper_without_legal_basis``, on ``field``) a paper without its legal basis."""
    kept: list[ExtraPaper] = []
    for paper in papers:
        name, basis = clean_line(paper.name or ""), clean_line(paper.legal_basis or "")
        if not name and not basis:
            continue
        if not name:
            raise ValidationError(
                {field: ValidationError(_("Name the paper for this legal basis."),
                                        code="extra_paper_without_name")}
            )  # fmt: skip
        if not basis:
            raise on_field(without_basis_error(name), field)
        if len(name) > MAX_LINE_LENGTH or len(basis) > MAX_LINE_LENGTH:
            raise ValidationError(
                {field: ValidationError(_("A paper or its legal basis is too long."),
                                        code="extra_paper_too_long")}
            )  # fmt: skip
        kept.append(ExtraPaper(name, basis))
    if len(kept) > MAX_LINES:
        raise ValidationError(
            {field: ValidationError(_("Too many papers."), code="extra_paper_too_many")}
        )
    return kept


def parse_lines(text: str, field: str = "extra_papers") -> list[ExtraPaper]:
    """Papers typed one per line as "paper | legal basis" (the screens' input)."""
    papers = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _sep, basis = line.partition(SEPARATOR)
        papers.append(ExtraPaper(name.strip(), basis.strip()))
    return clean(papers, field)


def as_lines(papers: Sequence[ExtraPaper]) -> str:
    return "\n".join(f"{p.name} {SEPARATOR} {p.legal_basis}" for p in papers)


def record(
    dossier: Dossier,
    papers: Sequence[ExtraPaper],
    *,
    source: ExtraPaperSource,
    actor: User | None,
    agency: Agency,
    at: dt.datetime,
) -> None:
    """Inside the caller's transaction (the dossier's row locked or just created): count the
    papers on the dossier and keep one row each for the report."""
    if not papers:
        return
    ExtraPaperDemand.objects.bulk_create(
        ExtraPaperDemand(
            dossier=dossier,
            agency=agency,
            officer=actor,
            at=at,
            source=source,
            name=p.name,
            legal_basis=p.legal_basis,
        )
        for p in papers
    )
    Dossier.objects.filter(pk=dossier.pk).update(extra_papers=F("extra_papers") + len(papers))


def from_data(data: Any) -> list[ExtraPaper]:
    """The papers an event's ``extra_papers`` holds (Form 02 prints them)."""
    if not isinstance(data, list):
        return []
    return [
        ExtraPaper(str(p.get("name", "")), str(p.get("legal_basis", "")))
        for p in data
        if isinstance(p, dict)
    ]
