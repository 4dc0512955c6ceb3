"""The targets screens: the ranking of the year, and one agency's targets judged with the
forms to set (the office), report (the focal point) and record the commitment."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.models import Agency
from motcua.reform import permissions, targets
from motcua.reform.forms import CommitmentForm, TargetForm, TargetReportForm
from motcua.reform.screens import submitted, user_of, year_of
from motcua.reform.target_models import Commitment, Target
from motcua.reform.views import download


@login_required
@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    """Each agency's "met/judged = percent" for the year, best first (a focal point sees its
    own agency's line only)."""
    user = user_of(request)
    year = year_of(request)
    rows = targets.ranking(year, permissions.visible_agency_ids(user))
    agencies = Agency.objects.filter(valid_to__isnull=True).order_by("code")
    scope = permissions.visible_agency_ids(user)
    if scope is not None:
        agencies = agencies.filter(pk__in=sorted(scope))
    return render(
        request, "reform/ranking.html", {"year": year, "rows": rows, "agencies": agencies}
    )


def _agency(request: HttpRequest, code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None or not permissions.may_read_agency(user_of(request), agency):
        raise Http404(code)
    return agency


@login_required
@require_http_methods(["GET", "POST"])
def agency_targets(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = user_of(request)
    agency = _agency(request, code)
    office = permissions.is_reform_office(user)
    forms: dict[str, Any] = {
        "target": TargetForm(request.POST or None, prefix="target") if office else None,
        "report": TargetReportForm(request.POST or None, request.FILES or None, prefix="report"),
        "commitment": CommitmentForm(
            request.POST or None, request.FILES or None, prefix="commitment"
        ),
    }
    status = 200
    if request.method == "POST":
        outcome = _post(request, agency, year, forms)
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
    context = {
        "agency": agency,
        "year": year,
        "office": office,
        "forms": forms,
        "result": targets.achievement(agency, year),
        "posted": request.POST.get("form", ""),
        "posted_target": request.POST.get("target", ""),
    }
    return render(request, "reform/agency_targets.html", context, status=status)


def _post(
    request: HttpRequest, agency: Agency, year: int, forms: dict[str, Any]
) -> HttpResponse | int:
    user = user_of(request)
    then = reverse("workspace:reform:agency_targets", args=[agency.code, year])
    which = request.POST.get("form", "")
    if which == "standard":
        # Only the office may: a refusal is the 403 page.
        targets.set_standard_targets(actor=user, year=year, agency=agency)
        messages.success(request, _("The province's measured targets are set."))
        return HttpResponseRedirect(then)
    if which == "target" and forms["target"] is not None:
        return submitted(
            request,
            forms["target"],
            lambda d: targets.set_target(actor=user, year=year, agency=agency, **d),
            done=_("The target is set."),
            then=then,
        )
    if which == "report":
        target = Target.objects.filter(
            pk=request.POST.get("target", ""), agency=agency, year=year
        ).first()
        if target is None:
            raise Http404("target")
        return submitted(
            request,
            forms["report"],
            lambda d: targets.report_target(target, actor=user, **d),
            done=_("The result is reported."),
            then=then,
        )
    if which == "commitment":
        return submitted(
            request,
            forms["commitment"],
            lambda d: targets.sign_commitment(actor=user, year=year, agency=agency, **d),
            done=_("The commitment is recorded."),
            then=then,
        )
    raise Http404(which)


@login_required
@require_GET
def target_file(request: HttpRequest, code: str, year: int, kind: str, pk: int) -> FileResponse:
    """A target's evidence or a commitment's signed document."""
    agency = _agency(request, code)
    if kind == "target":
        target = Target.objects.filter(pk=pk, agency=agency, year=year).first()
        field = target.evidence if target else None
    else:
        commitment = Commitment.objects.filter(pk=pk, agency=agency, year=year).first()
        field = commitment.document if commitment else None
    if not field:
        raise Http404(str(pk))
    return download(field)
