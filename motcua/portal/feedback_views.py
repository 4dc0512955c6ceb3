"""The portal's feedback pages (phản ánh, kiến nghị; Decree 20/2008/NĐ-CP): send, follow by code
and PIN, and the public list of published answers. Thin: the reads are in
``motcua.feedback.queries``, the write in ``motcua.feedback.services``."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.models import User
from motcua.errors import REFUSALS, refusal_errors, refusal_status
from motcua.feedback import queries, services
from motcua.portal.feedback_forms import AnswerSearchForm, FeedbackForm, FollowForm
from motcua.portal.throttle import allow_lookup

PAGE_SIZE = 20
SENT_SESSION_KEY = "feedback_sent"


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """``/phan-anh-kien-nghi/gui/``: the form; the code and PIN are shown once after it."""
    user = request.user if isinstance(request.user, User) else None
    if request.method == "GET":
        return render(request, "portal/feedback_submit.html", {"form": FeedbackForm()})
    form = FeedbackForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        submission = services.Submission(
            subject=data["subject"],
            title=data["title"],
            content=data["content"],
            procedure_code=data["procedure_code"],
            name=data["name"],
            address=data["address"],
            phone=data["phone"],
            email=data["email"],
            consent_to_publish=data["consent_to_publish"],
            files=data["attachments"],
        )
        try:
            feedback = services.submit_feedback(submission, actor=user)
        except REFUSALS as refused:
            status = refusal_status(refused)
            for problem in refusal_errors(refused):
                field = problem.get("field", "")
                field = "attachments" if field in {"file", "files"} else field
                form.add_error(field if field in form.fields else None, problem["message"])
        else:
            request.session[SENT_SESSION_KEY] = {
                "code": feedback.code,
                "pin": feedback.tracking_pin,
                "anonymous": feedback.anonymous,
            }
            return redirect("portal:feedback_sent")
    else:
        status = 400
    return render(request, "portal/feedback_submit.html", {"form": form}, status=status)


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    """The code and PIN of the feedback just sent, once (a reload shows the follow form)."""
    sent = request.session.pop(SENT_SESSION_KEY, None)
    if not sent:
        return redirect("portal:feedback_follow")
    return render(request, "portal/feedback_sent.html", {"sent": sent})


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """``/phan-anh-kien-nghi/theo-doi/``: the feedback's status and answer, for its code and PIN
    (posted, so the PIN stays out of addresses and logs) or for its signed-in sender. Counted
    against the tracking rate; an unknown code and a wrong PIN answer alike."""
    if request.method == "GET":
        return render(request, "portal/feedback_follow.html", {"form": FollowForm()})
    form = FollowForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/feedback_follow.html", {"form": form}, status=400)
    allowed, wait = allow_lookup(request)
    if not allowed:
        response = render(request, "portal/track_limited.html", {"wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    found = queries.followed(
        form.cleaned_data["code"], pin=form.cleaned_data["pin"], user=request.user
    )
    if found is None:
        context = {"form": form, "missing": True}
        return render(request, "portal/feedback_follow.html", context, status=404)
    return render(request, "portal/feedback_follow.html", {"form": form, "feedback": found})


@require_GET
def answers(request: HttpRequest) -> HttpResponse:
    """``/phan-anh-kien-nghi/``: published answers, searched without regard to accents."""
    form = AnswerSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(queries.published_answers(query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/feedback_answers.html", {"form": form, "page": page, "q": query})


@require_GET
def answer(request: HttpRequest, code: str) -> HttpResponse:
    """One published question and its answer (never the sender's name or contact)."""
    found = queries.published_answer(code)
    if found is None:
        raise Http404(code)
    return render(request, "portal/feedback_answer.html", {"feedback": found})
