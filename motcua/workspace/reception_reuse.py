"""Re-use of digitised papers at the desk's reception (issue 15): once the applicant's ID number
is typed (and looked up), each checklist item shows the applicant's papers already digitised
("Đã số hoá") that are that paper, and the desk picks one with one click instead of asking for
the paper again. Only the desk receiving this person's dossier sees them
(``digitisation.queries.offered_papers``); each showing is logged as a read of the dossiers the
papers come from (Decree 13/2023, docs/privacy.md). On receipt the chosen papers are attached
through ``digitisation.services.reuse_paper`` in the receipt's transaction."""

import datetime as dt
from collections.abc import Mapping

from django import forms
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts import validators
from motcua.accounts.models import Agency, User
from motcua.catalogue.models import Case
from motcua.digitisation import queries as digitised
from motcua.digitisation import services as digitisation
from motcua.digitisation.models import DigitisedPaper
from motcua.dossiers import access_log
from motcua.dossiers.access_models import AccessKind
from motcua.dossiers.models import Dossier

Offers = Mapping[int, list[DigitisedPaper]]


def offers_for(
    request: HttpRequest, user: User, agency: Agency, case: Case, id_number: str, on: dt.date
) -> dict[int, list[DigitisedPaper]]:
    """Per required document of ``case`` (by id), the applicant's digitised papers that are
    that paper; empty without an ID number. Logs the read when any is shown."""
    id_number = validators.clean_number(id_number or "")
    if not id_number:
        return {}
    papers = digitised.offered_papers(user, agency, id_number, on)
    offers = {}
    for required in case.documents.all():
        found = digitised.matching(papers, required)
        if found:
            offers[required.pk] = found
    shown = {p.dossier_id for found in offers.values() for p in found}
    if shown:
        sources = Dossier.objects.filter(pk__in=sorted(shown))
        access_log.record_query(request, AccessKind.VIEW, sources, agency_id=agency.pk)
    return offers


def paper_label(paper: DigitisedPaper) -> str:
    """What the desk reads about a paper: its name, dossier and when it was digitised."""
    return _("%(name)s — dossier %(code)s, digitised %(date)s") % {
        "name": paper.name,
        "code": paper.dossier.code,
        "date": date_format(localtime(paper.scanned_at), "SHORT_DATE_FORMAT"),
    }


def reuse_field(found: list[DigitisedPaper]) -> forms.TypedChoiceField:
    """One click: the paper to re-use for a checklist item, or none (ask for the paper)."""
    return forms.TypedChoiceField(
        label=gettext_lazy("Already digitised"),
        choices=[("", _("Do not re-use"))] + [(p.pk, paper_label(p)) for p in found],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def attach_reused(
    dossier: Dossier, reuses: Mapping[int, int], *, actor: User, now: dt.datetime
) -> None:
    """Fill each checklist document (by required document id) with its chosen paper."""
    by_required = {d.required_id: d.pk for d in dossier.documents.all()}
    for required_id, paper_id in reuses.items():
        digitisation.reuse_paper(
            dossier, paper_id=paper_id, document_id=by_required[required_id], actor=actor, now=now
        )
