"""The officer workspace: thin views that parse, call the shared queries and services, render.

Access: every page needs a signed-in user; dossiers come from ``queries.dossier_for`` (404 for
a dossier the user may not read) and the actions offered are exactly ``actions_for``; the
service checks the workflow table again when the form is posted."""

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import ValidationError as ApiValidationError

from motcua.accounts import permissions
from motcua.accounts.models import Agency, Role, User
from motcua.dossiers import queries
from motcua.dossiers.api import ACTIONS
from motcua.dossiers.errors import ActionRefused, DossierConflict
from motcua.dossiers.filters import DossierFilter
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.permissions import actions_for
from motcua.dossiers.serializers import timeliness
from motcua.dossiers.workflow import OPEN_STATUSES, Action
from motcua.workdays.calendars import spec_for
from motcua.workspace import queues
from motcua.workspace.forms import ACTION_FORMS, ActionForm, AgencyForm, SignInForm, action_form

AGENCY_SESSION_KEY = "workspace_agency"
PRINT_FORMS = (
    (1, gettext_lazy("Form 01: receipt and appointment")),
    (2, gettext_lazy("Form 02: supplement request")),
    (3, gettext_lazy("Form 03: refusal")),
    (4, gettext_lazy("Form 04: apology and new date")),
    (5, gettext_lazy("Form 05: process control sheet")),
)


class SignInView(LoginView):
    template_name = "workspace/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    return user


def _current_agency(request: HttpRequest, agencies: list[Agency]) -> Agency:
    """The agency chosen in this session among the user's, or the first."""
    chosen = request.session.get(AGENCY_SESSION_KEY)
    for agency in agencies:
        if agency.pk == chosen:
            return agency
    return agencies[0]


@login_required
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    """``/workspace/``: counts of every queue at the chosen agency and the rows of one; with
    search parameters, the dossiers matching ``DossierFilter`` (the API's filters) instead."""
    user = _user(request)
    agencies = queues.officer_agencies(user)
    if not agencies:
        raise Http404("not an officer")
    agency = _current_agency(request, agencies)
    now = timezone.now()
    key = request.GET.get("queue", "my_steps")
    if key not in queues.QUEUE_KEYS:
        key = "my_steps"
    counts = queues.counts(user, agency, now)
    search = DossierFilter(request.GET or None, queryset=queries.visible_dossiers(user))
    searching = bool(request.GET.get("q", "").strip())
    if searching and search.is_valid():
        spec = spec_for(agency.calendar)
        found = search.qs.select_related(
            "version__procedure", "case", "current_agency", "current_step"
        ).order_by("-received_at", "-pk")[: queues.ROW_LIMIT]
        rows = [
            queues.Row(
                d,
                queues.overdue_working_days(d.due_at, now, spec)
                if d.status in OPEN_STATUSES
                else 0,
                False,
            )
            for d in found
        ]
    else:
        rows = queues.rows(user, agency, key, now)
    tabs = [(q.key, q.label, counts[q.key]) for q in queues.QUEUES]
    return render(
        request,
        "workspace/queues.html",
        {
            "agency": agency,
            "agencies": agencies,
            "tabs": tabs,
            "current": key,
            "rows": rows,
            "searching": searching,
            "q": request.GET.get("q", ""),
            "desk": Role.DESK_OFFICER in permissions.roles_in(user, agency),
        },
    )


@login_required
@require_POST
def choose_agency(request: HttpRequest) -> HttpResponse:
    """Remember which of the user's agencies the queues show."""
    form = AgencyForm(request.POST)
    agencies = queues.officer_agencies(_user(request))
    if form.is_valid() and any(a.pk == form.cleaned_data["agency"] for a in agencies):
        request.session[AGENCY_SESSION_KEY] = form.cleaned_data["agency"]
    return redirect("workspace:queues")


def _detail(request: HttpRequest, code: str) -> Dossier:
    dossier = queries.dossier_for(request.user, code)
    steps = DossierStep.objects.select_related("agency", "assignee", "handed_to")
    events = DossierEvent.objects.select_related("actor", "agency").order_by("at", "pk")
    return (
        Dossier.objects.filter(pk=dossier.pk)
        .select_related(
            "version__procedure",
            "case",
            "receiving_agency",
            "lead_agency",
            "current_agency__calendar",
            "current_step__agency",
            "owner",
        )
        .prefetch_related(
            Prefetch("steps", queryset=steps.order_by("position")),
            Prefetch("events", queryset=events),
            "documents",
        )
        .get()
    )


def _render_dossier(
    request: HttpRequest,
    dossier: Dossier,
    bound: Mapping[str, ActionForm] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    bound = bound or {}
    allowed = [a for a in actions_for(user, dossier) if a in ACTIONS and a in ACTION_FORMS]
    forms = [
        (name, Action(name).label, bound.get(name) or action_form(name, dossier.revision))
        for name in allowed
    ]
    late = 0
    if dossier.status in OPEN_STATUSES:
        spec = spec_for(dossier.current_agency.calendar)
        late = queues.overdue_working_days(dossier.due_at, timezone.now(), spec)
    context: dict[str, Any] = {
        "dossier": dossier,
        "steps": list(dossier.steps.all()),
        "events": list(dossier.events.all()),
        "documents": list(dossier.documents.all()),
        "timeliness": timeliness(dossier),
        "overdue_days": late,
        "action_forms": forms,
        "print_forms": PRINT_FORMS,
        "error": error,
    }
    return render(request, "workspace/dossier.html", context, status=status)


@login_required
@require_GET
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    return _render_dossier(request, _detail(request, code))


def _errors_into(form: ActionForm, errors: Any) -> None:
    """Put a service's field errors next to the form's fields, the rest above the form."""
    if isinstance(errors, Mapping):
        for field, messages_ in errors.items():
            target = field if field in form.fields else None
            texts = messages_ if isinstance(messages_, list) else [messages_]
            form.add_error(target, [str(m) for m in texts])
    else:
        form.add_error(None, [str(m) for m in errors])


@login_required
@require_POST
def act(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """Take action ``name`` through the same service call as the API."""
    dossier = _detail(request, code)
    if name not in ACTIONS or name not in ACTION_FORMS:
        raise Http404(name)
    user = _user(request)
    form = action_form(name, dossier.revision, request.POST)
    if not form.is_valid():
        return _render_dossier(request, dossier, {name: form}, status=400)
    call = ACTIONS[name][1]
    try:
        call(dossier, user, {**form.cleaned_data})
    except ActionRefused as refused:
        return _render_dossier(request, dossier, error=str(refused), status=403)
    except DossierConflict:
        message = _("Someone changed this dossier while you were reading it. Reload the page.")
        return _render_dossier(request, _detail(request, code), error=message, status=409)
    except DjangoValidationError as invalid:
        _errors_into(
            form, invalid.message_dict if hasattr(invalid, "error_dict") else invalid.messages
        )
        return _render_dossier(request, dossier, {name: form}, status=400)
    except ApiValidationError as invalid:
        _errors_into(form, invalid.detail)
        return _render_dossier(request, dossier, {name: form}, status=400)
    messages.success(
        request, _("Done: %(action)s (%(code)s).") % {"action": Action(name).label, "code": code}
    )
    return HttpResponseRedirect(reverse("workspace:dossier", args=[code]))
