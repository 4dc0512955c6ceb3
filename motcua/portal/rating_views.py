"""Satisfaction on the portal: ``/ho-so-cua-toi/<code>/danh-gia/``, where the owner of a
returned dossier rates the service (and changes the rating while ``editable_until`` allows),
and ``/cong-khai/hai-long/``, the month's ratings per agency and procedure for everyone, groups
with fewer than ``MOTCUA_RATING_PUBLIC_MINIMUM`` ratings left out, no comment and no person
shown. Thin views over ``satisfaction.services`` and ``satisfaction.queries``."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.dossiers.queries import own_dossier
from motcua.dossiers.workflow import Status
from motcua.errors import Conflict, Refused, refusal_status
from motcua.portal import publicity
from motcua.portal.mine_views import _refused, _user, citizen_required
from motcua.portal.views import _month
from motcua.satisfaction import queries, services
from motcua.satisfaction.forms import RatingForm
from motcua.satisfaction.models import Rating, RatingChannel


def _may_change(rating: Rating | None) -> bool:
    return rating is not None and timezone.now() <= rating.editable_until


@require_http_methods(["GET", "POST"])
@citizen_required
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """The rating form of the owner's returned dossier: empty the first time, filled with the
    rating while it may still be changed, read only afterwards."""
    user = _user(request)
    dossier = own_dossier(user, code)
    if dossier.status != Status.RETURNED:
        message = _("A dossier is rated once its result is returned.")
        return _refused(request, dossier, message, 403)
    rating = queries.rating_of(dossier)
    questionnaire = rating.questionnaire if rating else queries.questionnaire_in_force()
    context = {"dossier": dossier, "rating": rating, "may_change": _may_change(rating)}
    if rating is not None and not context["may_change"]:
        return render(request, "portal/rating.html", context)
    if request.method == "GET":
        form = RatingForm(questionnaire, rating=rating)
        return render(request, "portal/rating.html", {**context, "form": form})
    form = RatingForm(questionnaire, request.POST)
    if form.is_valid():
        fields = {
            "actor": user,
            "level": form.cleaned_data["level"],
            "answers": form.answers(),
            "comment": form.cleaned_data["comment"],
        }
        try:
            if rating is None:
                services.rate(dossier, channel=RatingChannel.PORTAL, **fields)
            else:
                services.edit_rating(rating, **fields)
        except (Refused, Conflict) as refused:
            return _refused(request, dossier, str(refused), refusal_status(refused))
        except ValidationError as invalid:
            form.add_refusal(invalid)
        else:
            messages.success(request, _("Thank you: your rating was recorded."))
            return redirect("portal:mine_dossier", code=dossier.code)
    return render(request, "portal/rating.html", {**context, "form": form}, status=400)


@require_GET
def satisfaction_results(request: HttpRequest) -> HttpResponse:
    """The month's ratings per agency and per procedure, large groups only."""
    month = _month(request)
    agencies, hidden_agencies = queries.public_results(month.first, month.last, "agency")
    procedures, hidden_procedures = queries.public_results(month.first, month.last, "procedure")
    return render(
        request,
        "portal/satisfaction.html",
        {
            "figures": {"month": month},
            "months": publicity.recent_months(timezone.localdate()),
            "agencies": agencies,
            "procedures": procedures,
            "hidden": hidden_agencies + hidden_procedures,
            "minimum": settings.MOTCUA_RATING_PUBLIC_MINIMUM,
        },
    )
