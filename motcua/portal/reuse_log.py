"""The citizen's log of re-uses of their digitised papers ("Hồ sơ của tôi", issue 15): which
paper, by which agency, for which dossier, when, and where the paper was digitised; as rows for
the page and as a CSV or XLSX file to keep (Decree 45/2020/NĐ-CP art. 26: the person may see
every use of their data). Only the person's own re-uses (``digitisation.queries.own_reuses``)."""

import csv
import io
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook

from motcua.accounts.models import User
from motcua.catalogue.cells import csv_text, neutralise_formulas
from motcua.digitisation.models import PaperReuse
from motcua.digitisation.queries import own_reuses

# The page lists the latest re-uses; the files hold them all.
PAGE_LIMIT = 200


@dataclass(frozen=True)
class Line:
    """One re-use as the person reads it."""

    at: str
    paper: str
    agency: str
    dossier: str
    procedure: str
    source_dossier: str
    digitised_at: str
    digitised_by: str


def line(reuse: PaperReuse) -> Line:
    paper = reuse.paper
    return Line(
        at=date_format(localtime(reuse.at), "d/m/Y H:i"),
        paper=paper.name,
        agency=reuse.agency.name,
        dossier=reuse.dossier.code,
        procedure=reuse.dossier.version.name,
        source_dossier=paper.dossier.code,
        digitised_at=date_format(localtime(paper.scanned_at), "d/m/Y"),
        digitised_by=paper.agency.name if paper.agency else "",
    )


def lines(user: User, limit: int | None = None) -> list[Line]:
    reuses = own_reuses(user).select_related("dossier__version")
    return [line(r) for r in (reuses[:limit] if limit else reuses)]


def headers() -> list[str]:
    return [
        _("Re-used at"),
        _("Paper"),
        _("Used by agency"),
        _("For dossier"),
        _("Procedure"),
        _("Digitised in dossier"),
        _("Digitised on"),
        _("Digitised by"),
    ]


def values(item: Line) -> list[str]:
    return [
        item.at, item.paper, item.agency, item.dossier, item.procedure, item.source_dossier,
        item.digitised_at, item.digitised_by,
    ]  # fmt: skip


def as_csv(user: User) -> bytes:
    """UTF-8 with a byte-order mark (spreadsheets then read the Vietnamese letters right);
    text that a spreadsheet would take for a formula is kept as text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers())
    for item in lines(user):
        writer.writerow([csv_text(v) for v in values(item)])
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(user: User) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = _("Re-uses")[:31]
    sheet.append(headers())
    for item in lines(user):
        sheet.append(values(item))
    neutralise_formulas(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
