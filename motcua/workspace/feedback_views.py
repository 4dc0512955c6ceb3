"""The workspace's feedback pages (phản ánh, kiến nghị; Decree 20/2008/NĐ-CP): the queue, one
feedback with the actions the user may take now, its attachments, and the report per agency.
Thin: reads in ``motcua.feedback.queries``, writes in ``motcua.feedback.services``."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.models import Agency, User
from motcua.errors import REFUSALS, refusal_status
from motcua.feedback import queries, services
from motcua.feedback.models import Feedback
from motcua.feedback.permissions import is_reform_officer, may_take
from motcua.feedback.workflow import Action, actions_from

# What each action asks for besides the click: the form's fields.
FIELDS: dict[Action, tuple[str, ...]] = {
    Action.ASSIGN: ("agency",),
    Action.TRANSFER: ("agency", "reason"),
    Action.DRAFT: ("answer",),
    Action.RETURN: ("reason",),
    Action.APPROVE: (),
    Action.PUBLISH: (),
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    return user


def _feedback(request: HttpRequest, code: str) -> Feedback:
    found = queries.feedback_for_officer(_user(request), code)
    if found is None:
        raise Http404(code)
    return found


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """``/workspace/feedback/``: open and answered feedback of the user's agencies (and, for
    a reform officer, what waits for routing)."""
    user = _user(request)
    rows = list(queries.officer_queue(user)[:200])
    return render(
        request,
        "workspace/feedback_queue.html",
        {"rows": rows, "reform_officer": is_reform_officer(user), "now": timezone.now()},
    )


def _page(
    request: HttpRequest, feedback: Feedback, *, error: str = "", status: int = 200
) -> HttpResponse:
    user = _user(request)
    allowed = [a for a in actions_from(feedback.status) if may_take(user, a, feedback)]
    context: dict[str, Any] = {
        "feedback": feedback,
        "actions": [(a, a.label, FIELDS[a]) for a in allowed],
        "agencies": Agency.objects.filter(valid_to__isnull=True).order_by("code")
        if {Action.ASSIGN, Action.TRANSFER} & set(allowed)
        else [],
        "events": feedback.events.select_related("actor", "agency").order_by("at", "pk"),
        "attachments": feedback.attachments.all(),
        "error": error,
    }
    return render(request, "workspace/feedback.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _feedback(request, code))


SERVICES: dict[Action, Callable[..., Feedback]] = {
    Action.ASSIGN: lambda f, u, p: services.assign_feedback(
        f, agency_code=p.get("agency", ""), actor=u
    ),
    Action.TRANSFER: lambda f, u, p: services.transfer_feedback(
        f, agency_code=p.get("agency", ""), reason=p.get("reason", ""), actor=u
    ),
    Action.DRAFT: lambda f, u, p: services.draft_answer(f, answer=p.get("answer", ""), actor=u),
    Action.RETURN: lambda f, u, p: services.return_draft(f, reason=p.get("reason", ""), actor=u),
    Action.APPROVE: lambda f, u, p: services.approve_answer(f, actor=u),
    Action.PUBLISH: lambda f, u, p: services.publish_answer(f, actor=u),
}


@login_required
@require_POST
def act(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """Take action ``name`` on the feedback through its service; a refusal comes back on the
    page with its status (403 not allowed now, 400 a wrong input)."""
    if name not in Action.values or Action(name) not in SERVICES:
        raise Http404(name)
    feedback = _feedback(request, code)
    action = Action(name)
    try:
        SERVICES[action](feedback, _user(request), request.POST)
    except REFUSALS as refused:
        message = " ".join(str(m) for m in getattr(refused, "messages", [str(refused)]))
        fresh = _feedback(request, code)
        return _page(request, fresh, error=message, status=refusal_status(refused))
    messages.success(
        request, _("Done: %(action)s (%(code)s).") % {"action": action.label, "code": code}
    )
    if queries.feedback_for_officer(_user(request), code) is None:  # transferred away
        return HttpResponseRedirect(reverse("workspace:feedback_queue"))
    return HttpResponseRedirect(reverse("workspace:feedback", args=[code]))


@login_required
@require_GET
def attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    """An attachment, downloaded, for the officers who may read the feedback."""
    feedback = _feedback(request, code)
    found = feedback.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise Http404(str(attachment_id))
    response = FileResponse(
        found.file.open("rb"),
        content_type="application/octet-stream",
        as_attachment=True,
        filename=(found.file.name or "").rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Received / answered on time / late / pending per agency: a reform officer sees every
    agency, an officer only the agencies they work in."""
    user = _user(request)
    rows = queries.report_by_agency(now=timezone.now())
    if not is_reform_officer(user):
        mine = set(user.role_assignments.values_list("agency_id", flat=True))
        rows = [row for row in rows if row.agency.pk in mine]
    return render(request, "workspace/feedback_report.html", {"rows": rows})
