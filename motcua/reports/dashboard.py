"""The reports dashboard (``/workspace/reports/``) and the dossiers behind its numbers
(``/workspace/reports/dossiers/``): thin views over ``dashboard_data`` and ``behind``.

Readers are those of the report API (``permissions.can_read_reports``: reform officers, heads of
department, signing leaders, system administrators), over the agencies ``report_agency_ids``
gives them; no officer role is needed, so a reform officer without an agency reaches it. Anyone
else gets 403; a key naming an agency outside the reader's scope gets 404."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.accounts.models import Agency
from motcua.accounts.permissions import can_read_reports, report_agency_ids
from motcua.dossiers import access_log
from motcua.dossiers.access_models import AccessKind
from motcua.replica import reads_reports
from motcua.reports import windows
from motcua.reports.behind import Key, Period, UnknownMetric, dossiers_behind, parse_key
from motcua.reports.dashboard_data import Dashboard, dashboard
from motcua.reports.extra_papers import extra_papers_report
from motcua.reports.serializers import LONGEST_PERIOD
from motcua.workdays.bounds import validate_supported_date

PAGE_SIZE = 50
WINDOW_LABELS = {
    "monthly": gettext_lazy("monthly"),
    "quarterly": gettext_lazy("quarterly"),
    "6-month": gettext_lazy("6 months"),
    "9-month": gettext_lazy("9 months"),
    "annual": gettext_lazy("annual"),
}
METRIC_LABELS = {
    "received": gettext_lazy("Received in the period"),
    "resolved": gettext_lazy("Resolved in the period"),
    "resolved_in_time": gettext_lazy("Resolved early or on time"),
    "resolved_late": gettext_lazy("Resolved late"),
    "withdrawn": gettext_lazy("Withdrawn at the applicant's request"),
    "pending_overdue": gettext_lazy("Pending and overdue at the end of the period"),
    "steps_handed_over": gettext_lazy("Step handed over in the period"),
    "steps_late": gettext_lazy("Step handed over late"),
    "apologies": gettext_lazy("Apology letter issued"),
    "extra_papers": gettext_lazy("Papers beyond the published list asked for"),
}


class PeriodForm(forms.Form):
    """Either a reporting window (kind, year, number) or from and to (local dates)."""

    window = forms.ChoiceField(label=gettext_lazy("Reporting window"), required=False)
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False
    )
    number = forms.IntegerField(
        label=gettext_lazy("No."), min_value=1, max_value=12, required=False
    )
    # Inter-agency (liên thông) dossiers on their own: ``?interagency=true`` or ``false``.
    interagency = forms.NullBooleanField(
        label=gettext_lazy("Inter-agency procedures"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        window = self.fields["window"]
        assert isinstance(window, forms.ChoiceField)  # noqa: S101 - declared above
        window.choices = [("", _("from … to …"))] + [
            (k, str(WINDOW_LABELS.get(k, k))) for k in windows.kinds()
        ]
        select = forms.NullBooleanSelect()
        select.choices = [
            ("", _("all dossiers")),
            ("true", _("inter-agency only")),
            ("false", _("not inter-agency")),
        ]
        self.fields["interagency"].widget = select
        # ``from`` is a Python keyword: declared under its query-string name.
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(
            label=_("From"),
            required=False,
            widget=date_input,
            input_formats=["%Y-%m-%d"],
            validators=[validate_supported_date],
        )
        self.fields["to"] = forms.DateField(
            label=_("To"),
            required=False,
            widget=date_input,
            input_formats=["%Y-%m-%d"],
            validators=[validate_supported_date],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("window")
        if kind:
            if not data.get("year"):
                self.add_error("year", _("A window needs a year."))
                return data
            try:
                data["from"], data["to"] = windows.window(kind, data["year"], data["number"] or 1)
            except ValueError:
                self.add_error("number", _("This window has no such number."))
            return data
        for name in ("from", "to"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Give the date as YYYY-MM-DD, or a window."))
        start, end = data.get("from"), data.get("to")
        if start and end:
            if end < start:
                self.add_error("to", _("The period ends before it starts."))
            elif end - start > LONGEST_PERIOD:
                self.add_error("to", _("A period is at most three years."))
        return data

    def period(self) -> Period:
        return Period(
            self.cleaned_data["from"], self.cleaned_data["to"], self.cleaned_data["interagency"]
        )


def default_period(today: dt.date) -> Period:
    """The annual reporting window so far (15 December → today by default)."""
    for year in (today.year, today.year + 1):
        start, end = windows.window("annual", year)
        if start <= today <= end:
            return Period(start, today)
    return Period(today.replace(month=1, day=1), today)  # pragma: no cover - windows tile years


def _scope(request: HttpRequest) -> set[int] | None:
    """The reader's agencies (``None``: all), or 403 for anyone who may not read reports."""
    if not can_read_reports(request.user):
        raise PermissionDenied(_("You may not read reports."))
    return report_agency_ids(request.user)


def _period_of(request: HttpRequest) -> tuple[PeriodForm, Period | None]:
    if not request.GET:
        period = default_period(timezone.localdate())
        form = PeriodForm(initial={"from": period.start, "to": period.end})
        return form, period
    form = PeriodForm(request.GET)
    return form, form.period() if form.is_valid() else None


def behind_url(metric: str, period: Period, key: Key | None = None) -> str:
    """The link from a number to the list of its dossiers."""
    query = {"metric": metric, "from": period.start.isoformat(), "to": period.end.isoformat()}
    if key is not None and key.kind:
        query["key"] = str(key)
    if period.interagency is not None:
        query["interagency"] = "true" if period.interagency else "false"
    return f"{reverse('workspace:report_dossiers')}?{urlencode(query)}"


def _chart_data(board: Dashboard) -> dict[str, Any]:
    """The series the charts draw, the same figures as the tables."""
    return {
        "months": {
            "labels": [m.month.label for m in board.months],
            "rate": [float(m.rate) if m.rate is not None else None for m in board.months],
            "resolved": [m.resolved for m in board.months],
        },
        "overdue": {
            "labels": [r.code for r in board.overdue],
            "values": [r.overdue for r in board.overdue],
        },
        "procedures": {
            "labels": [r.code for r in board.procedures],
            "values": [r.late for r in board.procedures],
        },
        "steps": {
            "labels": [f"{r.step} ({r.agency_code})" for r in board.steps],
            "values": [r.late for r in board.steps],
        },
        "apologies": {
            "labels": [m.label for m, _n in board.apology_months],
            "values": [n for _m, n in board.apology_months],
        },
        "channels": {
            "labels": [c.label for c in board.channels],
            "values": [c.received for c in board.channels],
        },
        "text": {
            "rate": _("On-time rate (%)"),
            "resolved": _("Resolved"),
            "overdue": _("Overdue"),
            "late": _("Late"),
            "apologies": _("Apology letters"),
        },
    }


@dataclass(frozen=True)
class Link:
    """A number of the dashboard and the address of the dossiers behind it."""

    value: int
    url: str


def _month_rows(board: Dashboard) -> list[dict[str, Any]]:
    """One row a month of the period: resolved, in time, late and withdrawn, each linked."""
    return [
        {
            "label": m.month.label,
            "period": m.month.period,
            "resolved": Link(m.resolved, behind_url("resolved", m.month.period)),
            "in_time": Link(m.in_time, behind_url("resolved_in_time", m.month.period)),
            "late": Link(m.late, behind_url("resolved_late", m.month.period)),
            "withdrawn": Link(m.withdrawn, behind_url("withdrawn", m.month.period)),
            "rate": m.rate,
        }
        for m in board.months
    ]


def _step_rows(board: Dashboard) -> list[dict[str, Any]]:
    """One row an agency's step: handed over and late over the whole period, each linked."""
    whole = board.period
    return [
        {
            "agency": r.agency_code,
            "agency_name": r.agency_name,
            "step": r.step,
            "handed_over": Link(r.handed_over, behind_url("steps_handed_over", whole, r.key)),
            "late": Link(r.late, behind_url("steps_late", whole, r.key)),
            "rate": r.late_rate,
        }
        for r in board.steps
    ]


def _tables(board: Dashboard) -> dict[str, list[dict[str, Any]]]:
    """The rows of the tables beside the charts, each count with its link."""
    whole = board.period
    return {
        "months": _month_rows(board),
        "overdue": [
            {
                "code": r.code,
                "name": r.name,
                "overdue": Link(r.overdue, behind_url("pending_overdue", whole, r.key)),
            }
            for r in board.overdue
        ],
        "procedures": [
            {
                "code": r.code,
                "name": r.name,
                "resolved": Link(r.resolved, behind_url("resolved", whole, r.key)),
                "late": Link(r.late, behind_url("resolved_late", whole, r.key)),
                "rate": r.late_rate,
            }
            for r in board.procedures
        ],
        "steps": _step_rows(board),
        "apologies": [
            {
                "month": r.month.label,
                "code": r.code,
                "name": r.name,
                "dossiers": Link(r.dossiers, behind_url("apologies", r.month.period, r.key)),
            }
            for r in board.apologies
        ],
        "channels": [
            {
                "label": c.label,
                "received": Link(c.received, behind_url("received", whole, c.key)),
                "share": c.share,
            }
            for c in board.channels
        ],
    }


def _extra_paper_rows(period: Period, scope: set[int] | None) -> list[dict[str, Any]]:
    """The papers-beyond-the-list table: each row's dossiers linked to their list."""
    report = extra_papers_report(
        period.start, period.end, agency_ids=scope, interagency=period.interagency
    )
    return [
        {
            "row": row,
            "dossiers": Link(
                row.dossiers,
                behind_url(
                    "extra_papers",
                    period,
                    Key("officer", row.agency_code, row.officer)
                    if row.officer
                    else Key("agency", row.agency_code),
                ),
            ),
        }
        for row in report.rows
    ]


@login_required
@require_GET
@reads_reports
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """Charts and tables of the period for the reader's agencies."""
    scope = _scope(request)
    form, period = _period_of(request)
    context: dict[str, Any] = {"form": form, "period": period}
    if period is not None:
        board = dashboard(period, scope)
        context.update(
            board=board,
            tables=_tables(board),
            charts=_chart_data(board),
            resolved_total=Link(board.resolved_total, behind_url("resolved", period)),
            extra_papers=_extra_paper_rows(period, scope),
        )
    return render(
        request, "workspace/reports/dashboard.html", context, status=200 if period else 400
    )


def _check_key_scope(key: Key, scope: set[int] | None) -> None:
    """404 for a key naming an agency outside the reader's scope (or no agency at all)."""
    if key.kind not in ("agency", "step", "officer"):
        return
    agency = Agency.objects.filter(code=key.value).values_list("pk", flat=True).first()
    if agency is None or (scope is not None and agency not in scope):
        raise Http404(key.value)


@login_required
@require_GET
@reads_reports
def dossiers_page(request: HttpRequest) -> HttpResponse:
    """``?metric=…&key=…&from=…&to=…``: exactly the dossiers a number of the dashboard counts,
    paginated, within the reader's scope."""
    scope = _scope(request)
    form = PeriodForm(request.GET)
    metric = request.GET.get("metric", "")
    try:
        key = parse_key(request.GET.get("key", ""))
    except UnknownMetric:
        raise Http404("key") from None
    if not form.is_valid():
        return render(
            request, "workspace/reports/dossiers.html", {"form": form, "metric": metric}, status=400
        )
    period = form.period()
    _check_key_scope(key, scope)
    try:
        found = dossiers_behind(metric, scope, period, key)
    except UnknownMetric:
        raise Http404(metric) from None
    found = found.select_related(
        "version__procedure", "receiving_agency", "current_agency"
    ).order_by("-received_at", "-pk")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page names each applicant: one log row for it (Decree 13/2023; ``access_log``).
    access_log.record_reads(request, AccessKind.LIST, page.object_list)
    dates = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    if period.interagency is not None:
        dates["interagency"] = "true" if period.interagency else "false"
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "workspace/reports/dossiers.html",
        {
            "form": form,
            "metric": metric,
            "metric_label": METRIC_LABELS.get(metric, metric),
            "key": key,
            "period": period,
            "page": page,
            "query": keep.urlencode(),
            "back": f"{reverse('workspace:reports')}?{urlencode(dates)}",
        },
    )
