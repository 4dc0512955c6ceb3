"""The inspections screens: the year's plan with its coverage (a warning below 30% of the
units), teams and schedule; one inspection with its checklist, findings, remediation report
and the minutes as PDF."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.models import Agency
from motcua.errors import REFUSALS, refusal_errors, refusal_status
from motcua.reform import history, inspections, minutes_pdf, permissions
from motcua.reform.forms import (
    FindingsForm,
    InspectionPlanForm,
    RemediationForm,
    ScheduleForm,
    TeamForm,
)
from motcua.reform.inspection_models import (
    Inspection,
    InspectionPlan,
    InspectionStatus,
    InspectionTeam,
)
from motcua.reform.screens import submitted, user_of, year_of
from motcua.reform.views import download


@login_required
@require_http_methods(["GET", "POST"])
def plan_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    year = year_of(request)
    office = permissions.is_reform_office(user)
    plan = InspectionPlan.objects.filter(year=year).first()
    units = Agency.objects.filter(valid_to__isnull=True).count()
    forms: dict[str, Any] = {
        "plan": InspectionPlanForm(
            request.POST or None, prefix="plan", initial={"year": year, "units_total": units}
        ),
        "team": TeamForm(request.POST or None, prefix="team"),
        "schedule": ScheduleForm(
            request.POST or None,
            prefix="schedule",
            teams=plan.teams.all() if plan else InspectionTeam.objects.none(),
        ),
    }
    status = 200
    if request.method == "POST":
        if not office:
            permissions.ensure_office(user)
        outcome = _post(request, year, plan, forms)
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    found = plan.inspections.select_related("agency", "team") if plan else []
    scope = permissions.visible_agency_ids(user)
    if scope is not None and plan is not None:
        found = plan.inspections.select_related("agency", "team").filter(
            agency_id__in=sorted(scope)
        )
    context = {
        "year": year,
        "plan": plan,
        "office": office,
        "forms": forms,
        "coverage": inspections.coverage(plan) if plan else None,
        "inspections": found,
        "today": timezone.localdate(),
    }
    return render(request, "reform/inspections.html", context, status=status)


def _post(
    request: HttpRequest, year: int, plan: InspectionPlan | None, forms: dict[str, Any]
) -> HttpResponse | int:
    user = user_of(request)
    then = f"{reverse('workspace:reform:inspections')}?year={year}"
    which = request.POST.get("form", "")
    if which == "plan":
        return submitted(
            request,
            forms["plan"],
            lambda d: inspections.create_inspection_plan(actor=user, **d),
            done=_("The inspection plan is recorded."),
            then=f"{reverse('workspace:reform:inspections')}"
            f"?year={forms['plan'].data.get('plan-year', year)}",
        )
    if plan is None:
        raise Http404("plan")
    if which == "team":
        return submitted(
            request,
            forms["team"],
            lambda d: inspections.form_team(plan, actor=user, **d),
            done=_("The team is formed."),
            then=then,
        )
    if which == "schedule":
        return submitted(
            request,
            forms["schedule"],
            lambda d: inspections.schedule_inspection(plan, actor=user, **d),
            done=_("The inspection is scheduled."),
            then=then,
        )
    raise Http404(which)


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    found = Inspection.objects.select_related("plan", "team", "agency").filter(pk=pk).first()
    if found is None or not permissions.may_read_agency(user_of(request), found.agency):
        raise Http404(str(pk))
    return found


@login_required
@require_http_methods(["GET", "POST"])
def inspection_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = _inspection(request, pk)
    items = list(found.items.all())
    forms: dict[str, Any] = {
        "findings": FindingsForm(request.POST or None, items=items, prefix="findings"),
        "remediation": RemediationForm(
            request.POST or None, request.FILES or None, prefix="remediation"
        ),
    }
    status = 200
    if request.method == "POST":
        outcome = _act(request, found, forms)
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    context = {
        "inspection": found,
        "items": items,
        "forms": forms,
        "statuses": InspectionStatus,
        "office": permissions.is_reform_office(user),
        "events": history.history_of(found),
    }
    return render(request, "reform/inspection.html", context, status=status)


def _act(request: HttpRequest, found: Inspection, forms: dict[str, Any]) -> HttpResponse | int:
    user = user_of(request)
    then = reverse("workspace:reform:inspection", args=[found.pk])
    which = request.POST.get("form", "")
    if which == "findings":
        form = forms["findings"]
        return submitted(
            request,
            form,
            lambda d: inspections.record_findings(
                found,
                actor=user,
                inspected_on=d["inspected_on"],
                findings=d["findings"],
                recommendations=d["recommendations"],
                results=form.results(),
            ),
            done=_("The findings are recorded."),
            then=then,
        )
    if which == "remediation":
        return submitted(
            request,
            forms["remediation"],
            lambda d: inspections.report_remediation(found, actor=user, **d),
            done=_("The remediation report is recorded."),
            then=then,
        )
    if which == "close":
        try:
            inspections.close_inspection(found, actor=user)
        except REFUSALS as refused:
            messages.error(request, " ".join(p["message"] for p in refusal_errors(refused)))
            return refusal_status(refused)
        messages.success(request, _("The inspection is closed."))
        return HttpResponseRedirect(then)
    raise Http404(which)


@login_required
@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspection's minutes (biên bản kiểm tra) as PDF."""
    found = _inspection(request, pk)
    if found.inspected_on is None:
        raise Http404(str(pk))
    response = HttpResponse(minutes_pdf.minutes_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-kiem-tra-{found.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def remediation_file(request: HttpRequest, pk: int) -> Any:
    found = _inspection(request, pk)
    if not found.remediation_file:
        raise Http404(str(pk))
    return download(found.remediation_file)
