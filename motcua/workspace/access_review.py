"""The access log of personal data, reviewed by the agency's administrator
(``/workspace/admin/<code>/access-log/``): who among the agency's officers read which dossiers'
personal data, when, from where and how, filtered by officer, dossier and dates, and exported as
CSV — the export itself logged (Decree 13/2023/NĐ-CP, the controller's log of processing, art. 26
"to verify"; ``dossiers.access_log``).

Access as every agency administration page: ``permissions.can_administer_agency`` (the agency's
administrator, or one of an agency above it, or a system administrator); a 404 for any other
agency, even by URL. Officers without the administrator's role have no access."""

import csv
import datetime as dt
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.accounts import permissions
from motcua.accounts.models import Agency
from motcua.catalogue.cells import csv_text
from motcua.dossiers import access_log
from motcua.dossiers.access_models import DossierAccess

PAGE_SIZE = 100
# An export holds at most this many rows; narrow the filters for more.
EXPORT_LIMIT = 50_000


class AccessFilterForm(forms.Form):
    """The review's filters: an officer's username, a dossier code, a period of local dates."""

    officer = forms.CharField(label=_("Officer (username)"), max_length=150, required=False)
    dossier = forms.CharField(label=_("Dossier code"), max_length=40, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("end", _("The period starts after it ends."))
        return data


def _agency(request: HttpRequest, code: str) -> Agency:
    """The agency ``code`` if the user administers it; a 404 otherwise, as for a guessed code."""
    agency = Agency.objects.filter(code=code).first()
    if agency is None or not permissions.can_administer_agency(request.user, agency):
        raise Http404("not an agency you administer")
    return agency


def _instant(day: dt.date | None, *, after: bool = False) -> dt.datetime | None:
    """The local midnight starting ``day`` (the next day's with ``after``)."""
    if day is None:
        return None
    moment = dt.datetime.combine(day + dt.timedelta(days=int(after)), dt.time())
    return timezone.make_aware(moment)


def _filtered(agency: Agency, form: AccessFilterForm) -> QuerySet[DossierAccess]:
    data = form.cleaned_data
    return access_log.accesses_of(
        agency,
        officer=data["officer"].strip(),
        code=data["dossier"].strip(),
        start=_instant(data["start"]),
        end=_instant(data["end"], after=True),
    )


CSV_HEADER = [
    "at",
    "username",
    "full_name",
    "kind",
    "dossiers",
    "count",
    "ip",
    "user_agent",
    "path",
]


def _csv(request: HttpRequest, agency: Agency, rows: QuerySet[DossierAccess]) -> HttpResponse:
    listed = list(rows[:EXPORT_LIMIT])
    access_log.record_log_export(request, agency, len(listed))
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 (Vietnamese names) only with the byte-order mark
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in listed:
        actor = row.actor
        cells = [
            timezone.localtime(row.at).isoformat(timespec="seconds"),
            actor.username if actor else "",
            actor.full_name if actor else "",
            row.kind,
            " ".join(row.code_list),
            row.count,
            row.ip or "",
            row.user_agent,
            row.path,
        ]
        writer.writerow([csv_text(cell) for cell in cells])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"nhat-ky-truy-cap-{agency.code}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def access_log_page(request: HttpRequest, code: str) -> HttpResponse:
    """The agency's officers' reads of personal data, newest first, 100 a page; with
    ``format=csv``, the filtered rows as CSV (logged)."""
    agency = _agency(request, code)
    form = AccessFilterForm(request.GET)
    if not form.is_valid():
        context = {"agency": agency, "section": "access", "form": form, "page": None}
        return render(request, "workspace/admin/access_log.html", context, status=400)
    rows = _filtered(agency, form)
    if request.GET.get("format") == "csv":
        return _csv(request, agency, rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    keep.pop("format", None)
    context = {
        "agency": agency,
        "section": "access",
        "form": form,
        "page": page,
        "query": keep.urlencode(),
        "retention_days": access_log.retention_days(),
    }
    return render(request, "workspace/admin/access_log.html", context)
