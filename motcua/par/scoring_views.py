"""One self-assessment's screen (``/workspace/par/assessments/<id>/``): its agency's focal
point scores every sub-criterion with an explanation and evidence files and submits; the
reform office appraises (a reason beside every changed score), sends it back or finishes.
Thin: each row that changed is one service call; the refusals come back beside their rows."""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.models import User
from motcua.errors import REFUSALS, refusal_status
from motcua.par import queries, services
from motcua.par.models import Assessment, Evidence, Score
from motcua.par.permissions import is_focal_point, is_reform_office
from motcua.par.views import _message, _user
from motcua.par.workflow import Status


def _points(text: str) -> Decimal | None:
    """A number written with a comma or a point; ``None`` for an empty field."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return Decimal(-1)  # refused by the service as out of range


def _page(
    request: HttpRequest,
    assessment: Assessment,
    *,
    errors: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    reform_office = is_reform_office(user)
    draft = assessment.status == Status.DRAFT
    areas = queries.scores_by_area(assessment)
    for row in areas:
        for score in row.scores:
            score.error = (errors or {}).get(score.sub.code, "")  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "assessment": assessment,
        "areas": areas,
        "reform_office": reform_office,
        "may_score": draft and is_focal_point(user, assessment.agency),
        "may_appraise": reform_office and assessment.status == Status.SUBMITTED,
        "show_final": reform_office or assessment.status == Status.PUBLISHED,
        "events": assessment.events.select_related("actor").order_by("-at", "-pk")[:30],
        "error": error,
    }
    return render(request, "par/assessment.html", context, status=status)


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    return queries.assessment_for(_user(request), pk)


@login_required
@require_GET
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _assessment(request, pk))


def _each(
    request: HttpRequest, found: Assessment, step: Callable[[Score, User], bool]
) -> HttpResponse:
    """Apply ``step`` to every row; back to the page with the refusals beside their rows, or
    on to it with a message."""
    user = _user(request)
    errors: dict[str, str] = {}
    status = 200
    changed = 0
    for score in found.scores.select_related("sub").order_by("sub__id"):
        try:
            changed += step(score, user)
        except REFUSALS as refused:
            errors[score.sub.code] = _message(refused)
            status = max(status, refusal_status(refused))
    if errors:
        fresh = queries.assessment_for(user, found.pk)
        return _page(request, fresh, errors=errors, error=_("Some rows were not saved."),
                     status=status)  # fmt: skip
    messages.success(request, _("Saved: %(n)s rows.") % {"n": changed})
    return HttpResponseRedirect(reverse("par:assessment", args=[found.pk]))


@login_required
@require_POST
def save_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """The focal point's points, explanations and evidence files, every row that changed."""
    found = _assessment(request, pk)

    def step(score: Score, user: User) -> bool:
        code = score.sub.code
        done = False
        points = _points(request.POST.get(f"points_{code}", ""))
        explanation = request.POST.get(f"explanation_{code}", "").strip()
        if (
            points is not None
            and score.measured_figure is None
            and (points != score.self_points or explanation != score.explanation)
        ):
            services.self_score(found, code, points=points, explanation=explanation, actor=user)
            done = True
        for upload in request.FILES.getlist(f"file_{code}"):
            services.attach_evidence(found, code, upload, actor=user)
            done = True
        return done

    return _each(request, found, step)


@login_required
@require_POST
def save_appraisal(request: HttpRequest, pk: int) -> HttpResponse:
    """The reform office's points for every row it changed, each with its reason."""
    found = _assessment(request, pk)

    def step(score: Score, user: User) -> bool:
        code = score.sub.code
        points = _points(request.POST.get(f"final_{code}", ""))
        reason = request.POST.get(f"reason_{code}", "").strip()
        current = score.final_points if score.final_points is not None else score.self_points
        if points is None or (points == current and reason == score.appraisal_reason):
            return False
        services.appraise(found, code, points=points, reason=reason, actor=user)
        return True

    return _each(request, found, step)


ACTIONS: dict[str, Callable[[Assessment, User, HttpRequest], object]] = {
    "submit": lambda a, u, r: services.submit(a, actor=u),
    "measure": lambda a, u, r: services.remeasure(a, actor=u),
    "return": lambda a, u, r: services.return_assessment(
        a, reason=r.POST.get("reason", ""), actor=u
    ),
    "finish": lambda a, u, r: services.finish_appraisal(a, actor=u),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Submit, fill the measured rows again, send back or finish the appraisal."""
    if name not in ACTIONS:
        raise Http404(name)
    found = _assessment(request, pk)
    try:
        ACTIONS[name](found, _user(request), request)
    except REFUSALS as refused:
        fresh = queries.assessment_for(_user(request), pk)
        return _page(request, fresh, error=_message(refused), status=refusal_status(refused))
    messages.success(request, _("Done."))
    return HttpResponseRedirect(reverse("par:assessment", args=[pk]))


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    found = _assessment(request, pk)
    evidence = Evidence.objects.filter(pk=evidence_id, score__assessment=found).first()
    if evidence is None:
        raise Http404(str(evidence_id))
    try:
        services.remove_evidence(evidence, actor=_user(request))
    except REFUSALS as refused:
        return _page(request, found, error=_message(refused), status=refusal_status(refused))
    return HttpResponseRedirect(reverse("par:assessment", args=[pk]))


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    """An evidence file, downloaded, for those who may read the self-assessment."""
    found = _assessment(request, pk)
    file = Evidence.objects.filter(pk=evidence_id, score__assessment=found).first()
    if file is None:
        raise Http404(str(evidence_id))
    response = FileResponse(
        file.file.open("rb"), content_type="application/octet-stream", as_attachment=True,
        filename=(file.file.name or "").rsplit("/", 1)[-1],
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response
