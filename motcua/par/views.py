"""The PAR self-assessment's screens under ``/workspace/par/``: the years and the criteria
import (reform office), a year's tree, self-assessments, focal points and publication, one
self-assessment (scored by its agency's focal point, appraised by the reform office), the
evidence files and the ranking. Thin: reads in ``queries``, writes in ``services`` and
``importing``; a refusal comes back on the page with its status."""

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.models import Agency, User
from motcua.errors import REFUSALS, refusal_status
from motcua.par import queries, services
from motcua.par.example import example_workbook
from motcua.par.importing import ImportRefused, import_criteria
from motcua.par.models import Assessment
from motcua.par.permissions import focal_agency_ids, is_reform_office

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    if not is_reform_office(user) and not focal_agency_ids(user):
        raise PermissionDenied(
            _("The PAR self-assessment is for the reform office and focal points.")
        )
    return user


def _message(refused: BaseException) -> str:
    return " ".join(str(m) for m in getattr(refused, "messages", [str(refused)]))


def _year_url(year: int) -> str:
    return reverse("par:year", args=[year])


def _assessment_url(assessment: Assessment) -> str:
    return reverse("par:assessment", args=[assessment.pk])


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The years imported; the import form for the reform office."""
    user = _user(request)
    return _index(request, user)


def _index(
    request: HttpRequest, user: User, *, problems: Any = None, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "sets": queries.criteria_sets(),
        "reform_office": is_reform_office(user),
        "next_year": timezone.localdate().year,
        "problems": problems,
        "error": error,
    }
    return render(request, "par/index.html", context, status=status)


@login_required
@require_POST
def import_set(request: HttpRequest) -> HttpResponse:
    """Import a year's criteria from the uploaded XLSX (the reform office)."""
    user = _user(request)
    upload = request.FILES.get("file")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return _index(request, user, error=_("Give the year."), status=400)
    if upload is None or not 2000 <= year <= 2100:
        return _index(request, user, error=_("Choose the year and the file."), status=400)
    try:
        criteria_set = import_criteria(upload, year=year, name=upload.name or "", actor=user)
    except ImportRefused as refused:
        return _index(request, user, error=_message(refused), problems=refused.problems, status=400)
    except REFUSALS as refused:
        return _index(request, user, error=_message(refused), status=refusal_status(refused))
    messages.success(request, _("The criteria of %(year)s were imported.") % {"year": year})
    return HttpResponseRedirect(_year_url(criteria_set.year))


@login_required
@require_GET
def example(request: HttpRequest) -> FileResponse:
    """The example criteria set as the province's XLSX, for the year asked."""
    _user(request)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError as wrong:
        raise Http404("year") from wrong
    name = f"chi-so-cchc-vi-du-{year}.xlsx"
    response = FileResponse(
        io.BytesIO(example_workbook(year)), content_type=XLSX, as_attachment=True, filename=name
    )
    return response


@login_required
@require_GET
def year(request: HttpRequest, year: int) -> HttpResponse:
    """The year's criteria tree; the self-assessments the user may see; for the reform office
    the focal points' designation and publication."""
    user = _user(request)
    criteria_set = queries.criteria_set(year)
    reform_office = is_reform_office(user)
    mine = focal_agency_ids(user)
    opened = {a.agency_id for a in queries.visible_assessments(user, criteria_set)}
    context = {
        "set": criteria_set,
        "counts": queries.counts(criteria_set),
        "areas": queries.tree(criteria_set),
        "assessments": queries.visible_assessments(user, criteria_set),
        "reform_office": reform_office,
        "to_open": Agency.objects.filter(pk__in=sorted(mine - opened)).order_by("code"),
        "may_see_ranking": queries.may_see_ranking(user, criteria_set),
    }
    return render(request, "par/year.html", context)


@login_required
@require_POST
def designate(request: HttpRequest, year: int) -> HttpResponse:
    """Designate an agency's focal point by the agency's code and the officer's user name."""
    user = _user(request)
    queries.criteria_set(year)
    agency = Agency.objects.filter(code=request.POST.get("agency", "").strip()).first()
    officer = User.objects.filter(username=request.POST.get("username", "").strip()).first()
    if agency is None or officer is None:
        messages.error(request, _("No agency or user with that code or name."))
        return HttpResponseRedirect(_year_url(year))
    try:
        services.designate_focal_point(agency, officer, actor=user)
    except REFUSALS as refused:
        messages.error(request, _message(refused))
    else:
        messages.success(
            request,
            _("%(user)s is the focal point of %(agency)s.")
            % {"user": officer.full_name or officer.username, "agency": agency.name},
        )
    return HttpResponseRedirect(_year_url(year))


@login_required
@require_POST
def open_assessment(request: HttpRequest, year: int) -> HttpResponse:
    """Open the focal point's agency's self-assessment of the year."""
    user = _user(request)
    criteria_set = queries.criteria_set(year)
    agency = Agency.objects.filter(code=request.POST.get("agency", "")).first()
    if agency is None:
        raise Http404("agency")
    try:
        assessment = services.open_assessment(criteria_set, agency, actor=user)
    except REFUSALS as refused:
        messages.error(request, _message(refused))
        return HttpResponseRedirect(_year_url(year))
    return HttpResponseRedirect(_assessment_url(assessment))


@login_required
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    """Publish the year's final scores and ranking (the reform office)."""
    user = _user(request)
    try:
        services.publish(queries.criteria_set(year), actor=user)
    except REFUSALS as refused:
        messages.error(request, _message(refused))
        return HttpResponseRedirect(_year_url(year))
    messages.success(request, _("The results of %(year)s are published.") % {"year": year})
    return HttpResponseRedirect(reverse("par:ranking", args=[year]))


@login_required
@require_GET
def ranking(request: HttpRequest, year: int) -> HttpResponse:
    """The ranking of departments and of communes, beside last year's."""
    user = _user(request)
    criteria_set = queries.criteria_set(year)
    if not queries.may_see_ranking(user, criteria_set):
        raise PermissionDenied(_("The ranking is shown once published."))
    groups = [(group.label, queries.ranking(criteria_set, group)) for group in queries.GROUPS]
    context = {"set": criteria_set, "groups": groups}
    return render(request, "par/ranking.html", context)
