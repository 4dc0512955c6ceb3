"""The reform screens under ``/workspace/reform/``: the overview, the plans and their tasks,
and the ISO 9001 records. Thin: reads in ``queries``, writes in the services, access in
``permissions`` (the targets and inspections screens are beside this module)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.models import Agency
from motcua.reform import history, permissions, quality, queries, services
from motcua.reform.forms import AuditForm, PlanForm, ProgressForm, QualityForm, TaskForm
from motcua.reform.models import OPEN_TASK, Plan
from motcua.reform.quality_models import QualitySystem
from motcua.reform.screens import submitted, user_of, year_of


def _plan_agencies(request: HttpRequest) -> Any:
    user = user_of(request)
    agencies = Agency.objects.filter(valid_to__isnull=True).order_by("code")
    if permissions.is_reform_office(user):
        return agencies
    return agencies.filter(pk__in=sorted(permissions.focal_agency_ids(user)))


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The year's plans with their totals, and a form for a new plan."""
    user = user_of(request)
    year = year_of(request)
    today = timezone.localdate()
    form = PlanForm(request.POST or None, agencies=_plan_agencies(request), initial={"year": year})
    status = 200
    if request.method == "POST":
        outcome = submitted(
            request,
            form,
            lambda d: services.create_plan(actor=user, **d),
            done=_("The plan is recorded."),
            then=f"{reverse('workspace:reform:index')}?year={form.data.get('year', year)}",
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    plans = [
        (p, queries.plan_table(p, today).total)
        for p in queries.visible_plans(user).filter(year=year)
    ]
    scope = permissions.visible_agency_ids(user)
    context = {
        "year": year,
        "plans": plans,
        "form": form,
        "office": permissions.is_reform_office(user),
        "iso": quality.quality_figures(year, scope),
    }
    return render(request, "reform/index.html", context, status=status)


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    found = queries.plan_for(user_of(request), plan_id)
    if found is None:
        raise Http404(str(plan_id))
    return found


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan: the plan-versus-done table per area, its tasks, and a form to add one."""
    user = user_of(request)
    found = _plan(request, plan_id)
    editable = permissions.may_edit_plan(user, found)
    form = TaskForm(request.POST or None) if editable else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404("read only")
        outcome = submitted(
            request,
            form,
            lambda d: services.add_task(found, actor=user, **d),
            done=_("The task is added."),
            then=reverse("workspace:reform:plan", args=[found.pk]),
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    today = timezone.localdate()
    context = {
        "plan": found,
        "table": queries.plan_table(found, today),
        "tasks": queries.plan_tasks(found),
        "form": form,
        "today": today,
    }
    return render(request, "reform/plan.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    """A task: its progress reports with their evidence, its history, and the lead agency's
    form to report progress."""
    user = user_of(request)
    found = queries.task_for(user, task_id)
    if found is None:
        raise Http404(str(task_id))
    form = (
        ProgressForm(request.POST or None, request.FILES or None)
        if permissions.may_report(user, found) and found.status in OPEN_TASK
        else None
    )
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404("read only")
        outcome = submitted(
            request,
            form,
            lambda d: services.report_progress(found, actor=user, **d),
            done=_("The progress report is recorded."),
            then=reverse("workspace:reform:task", args=[found.pk]),
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    context = {
        "task": found,
        "reports": found.reports.select_related("author"),
        "events": history.history_of(found),
        "form": form,
    }
    return render(request, "reform/task.html", context, status=status)


@login_required
@require_GET
def evidence(request: HttpRequest, task_id: int, report_id: int) -> FileResponse:
    """A progress report's evidence file, for those who see the task."""
    found = queries.task_for(user_of(request), task_id)
    report = found.reports.filter(pk=report_id).first() if found else None
    if report is None or not report.evidence:
        raise Http404(str(report_id))
    return download(report.evidence)


def download(field: Any) -> FileResponse:
    response = FileResponse(
        field.open("rb"), as_attachment=True, filename=(field.name or "").rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def quality_page(request: HttpRequest) -> HttpResponse:
    """ISO 9001 per agency, the province's figures, and the forms to record a system and an
    internal audit (the focal point for its own agency, the office for any)."""
    user = user_of(request)
    year = year_of(request)
    scope = permissions.visible_agency_ids(user)
    agencies = _plan_agencies(request)
    auditing = "audit-audited_on" in request.POST
    form = QualityForm(None if auditing else request.POST or None, agencies=agencies, prefix="iso")
    audit = AuditForm(request.POST if auditing else None, prefix="audit")
    status = 200
    if request.method == "POST":
        outcome = _quality_post(request, form, audit)
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    systems = QualitySystem.objects.select_related("agency").prefetch_related("audits")
    if scope is not None:
        systems = systems.filter(agency_id__in=sorted(scope))
    context = {
        "year": year,
        "figures": quality.quality_figures(year, scope),
        "systems": systems,
        "form": form,
        "audit": audit,
    }
    return render(request, "reform/quality.html", context, status=status)


def _quality_post(request: HttpRequest, form: QualityForm, audit: AuditForm) -> HttpResponse | int:
    user = user_of(request)
    then = reverse("workspace:reform:quality")
    if "audit-audited_on" in request.POST:
        system = QualitySystem.objects.filter(pk=request.POST.get("system", "")).first()
        if system is None:
            raise Http404("system")
        return submitted(
            request,
            audit,
            lambda d: quality.record_audit(system, actor=user, **d),
            done=_("The internal audit is recorded."),
            then=then,
        )

    def record(d: dict[str, Any]) -> object:
        agency = d.pop("agency")
        return quality.record_quality_system(agency, actor=user, **d)

    return submitted(request, form, record, done=_("The quality system is recorded."), then=then)
