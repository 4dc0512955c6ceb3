"""Satisfaction in the workspace: the desk's kiosk (``/workspace/kiosk/``), a tablet facing the
citizen, signed in as the desk officer, that offers the dossier this officer has just returned
in person for rating (its code and procedure only, nothing personal); and the results for
leaders (``/workspace/satisfaction/``): ratings per agency, procedure, officer and month over a
period, per question, and the latest comments without the dossier or the applicant.

Results are read by those who read reports (``permissions.can_read_reports``) over their
agencies (``report_agency_ids``); anyone else gets 403. The kiosk is for desk officers."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.models import Role, User
from motcua.accounts.permissions import agency_ids_with_role, can_read_reports, report_agency_ids
from motcua.errors import Conflict, Refused
from motcua.reports.dashboard import _period_of
from motcua.satisfaction import queries, services
from motcua.satisfaction.forms import RatingForm
from motcua.satisfaction.models import RatingChannel

# How often the kiosk's waiting screen looks for the next returned dossier (seconds).
KIOSK_REFRESH = 10


def _desk_officer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not agency_ids_with_role(user, [Role.DESK_OFFICER]):
        raise PermissionDenied(_("The kiosk is for desk officers."))
    return user


@login_required
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest) -> HttpResponse:
    """The dossier this desk returned in the last minutes, with the rating form; a waiting
    screen, refreshed every few seconds, when there is none or it is rated."""
    officer = _desk_officer(request)
    dossier = queries.kiosk_dossier(officer, timezone.now())
    context: dict[str, Any] = {"dossier": dossier, "refresh": KIOSK_REFRESH}
    if dossier is None or queries.rating_of(dossier) is not None:
        return render(request, "workspace/kiosk.html", context)
    questionnaire = queries.questionnaire_in_force()
    if request.method == "GET" or request.POST.get("dossier") != dossier.code:
        context["form"] = RatingForm(questionnaire)
        return render(request, "workspace/kiosk.html", context)
    form = RatingForm(questionnaire, request.POST)
    if form.is_valid():
        try:
            services.rate(
                dossier, actor=officer, channel=RatingChannel.KIOSK,
                level=form.cleaned_data["level"], answers=form.answers(),
                comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except (Refused, Conflict):
            return redirect("workspace:kiosk")
        except ValidationError as invalid:
            form.add_refusal(invalid)
        else:
            messages.success(request, _("Thank you for your rating!"))
            return redirect("workspace:kiosk")
    context["form"] = form
    return render(request, "workspace/kiosk.html", context, status=400)


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """The period's ratings of the reader's agencies, grouped four ways."""
    if not can_read_reports(request.user):
        raise PermissionDenied(_("You may not read reports."))
    scope = report_agency_ids(request.user)
    form, period = _period_of(request)
    context: dict[str, Any] = {"form": form, "period": period}
    if period is not None:
        start, end = period.start, period.end
        context["tables"] = [
            (_("By agency"), _("Agency"), queries.results(start, end, "agency", scope)),
            (_("By procedure"), _("Procedure"), queries.results(start, end, "procedure", scope)),
            (
                _("By officer who returned the result"),
                _("Officer"),
                queries.results(start, end, "officer", scope),
            ),
            (_("By month"), _("Month"), queries.results(start, end, "month", scope)),
        ]
        context["questions"] = queries.question_results(start, end, scope)
        context["comments"] = queries.comments(start, end, scope)
    status = 200 if period is not None else 400
    return render(request, "workspace/satisfaction.html", context, status=status)
