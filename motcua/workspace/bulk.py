"""Bulk actions from the list page: forward, or return to the previous step, several dossiers
at once.

Each selected dossier arrives as ``code:revision`` (the revision the officer saw). One shared
form takes the action's input (a note, the next holder, a reason) and is validated before
anything happens. Then the engine's ``actions.take_many`` (as ``POST /api/v1/dossiers/bulk/``)
takes the action on every dossier, each in its own transaction with its own revision check: a
dossier changed meanwhile is a conflict, one the workflow does not let this user act on is
refused without being touched, and neither stops the others. The outcome per dossier is kept
in the session and shown on a result page (post, redirect, get: a reload acts on nothing)."""

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.models import User
from motcua.dossiers import access_log, actions, queries, recipients
from motcua.dossiers.access_models import AccessKind
from motcua.dossiers.actions import CONFLICT, DONE, REFUSED, Outcome
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Action
from motcua.workspace import queues
from motcua.workspace.forms import ACTION_FORMS, ActionForm, use_picker

# The actions offered for several dossiers at once, with the button's text.
BULK_ACTIONS = (
    (Action.FORWARD.value, gettext_lazy("Forward to the next step")),
    (Action.SEND_BACK.value, gettext_lazy("Return to the previous step")),
)
BULK_NAMES = frozenset(name for name, _label in BULK_ACTIONS)
MAX_SELECTED = min(queues.PAGE_SIZE, actions.MAX_MANY)
RESULT_SESSION_KEY = "workspace_bulk_result"


def parse_selection(values: Iterable[str]) -> list[tuple[str, int]]:
    """``code:revision`` values from the row boxes, in order, each code once; malformed ones
    are dropped (a box's value is written by the page, not typed)."""
    selected: dict[str, int] = {}
    for value in values:
        code, _sep, revision = value.rpartition(":")
        if code and revision.isdigit() and code not in selected:
            selected[code] = int(revision)
    return list(selected.items())


def shared_form(name: str, rows: Sequence[Dossier], data: Any = None) -> ActionForm:
    """The single action's form without its revision field: one input for every dossier.
    Forward picks its next holder among the officers every selected dossier may go to
    (``recipients.forward_recipients``): nobody types a username."""
    form = ACTION_FORMS[name](data, auto_id="id_bulk_%s")
    del form.fields["revision"]
    if name == Action.FORWARD:
        use_picker(form, name, _common_recipients(rows))
    return form


def _common_recipients(rows: Sequence[Dossier]) -> list[tuple[str, str]]:
    """(username, label) of the officers eligible for every one of ``rows``, in the first
    row's order."""
    if not rows:
        return []
    eligible = [recipients.forward_recipients(d) for d in rows]
    shared = set.intersection(*({u.pk for u in users} for users in eligible))
    return [(u.username, f"{u} ({u.username})") for u in eligible[0] if u.pk in shared]


def act_on_many(
    user: User, name: str, selected: list[tuple[str, int]], values: dict[str, Any]
) -> list[Outcome]:
    """Take action ``name`` on each selected dossier with the shared ``values``
    (``actions.take_many``); one outcome per dossier, in the order selected."""
    if name not in BULK_NAMES:
        raise ValueError(name)
    return actions.take_many(user, name, selected, values)


# --- views -----------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    return user


def _back(request: HttpRequest) -> str:
    """The list page the officer came from (kept through the form), or the queues."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("workspace:queues")


def _selected_rows(user: User, selected: list[tuple[str, int]]) -> list[Dossier]:
    codes = [code for code, _revision in selected]
    found = {
        d.code: d
        for d in queries.visible_dossiers(user)
        .filter(code__in=codes)
        .select_related("version", "current_step")
    }
    return [found[code] for code in codes if code in found]


@login_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    """``POST /workspace/bulk/``: from the list, the selected rows and the action → the shared
    form; with ``confirm``, validate it and act on each dossier → the result page."""
    user = _user(request)
    if not queues.officer_agencies(user):
        raise Http404("not an officer")
    name = request.POST.get("action", "")
    if name not in BULK_NAMES:
        raise Http404(name)
    selected = parse_selection(request.POST.getlist("dossier"))
    if not selected:
        messages.error(request, _("Select at least one dossier."))
        return HttpResponseRedirect(_back(request))
    status = 200
    rows = _selected_rows(user, selected[:MAX_SELECTED])
    if len(selected) > MAX_SELECTED:
        form = shared_form(name, [])
        form.add_error(None, _("At most %(n)d dossiers at once.") % {"n": MAX_SELECTED})
        status = 400
    elif request.POST.get("confirm"):
        form = shared_form(name, rows, request.POST)
        if form.is_valid():
            outcomes = act_on_many(user, name, selected, dict(form.cleaned_data))
            request.session[RESULT_SESSION_KEY] = {
                "action": name,
                "outcomes": [asdict(o) for o in outcomes],
                "next": _back(request),
            }
            return redirect("workspace:bulk_result")
        status = 400
    else:
        form = shared_form(name, rows)
    return render(
        request,
        "workspace/bulk_result.html",
        {
            "action": name,
            "action_label": dict(BULK_ACTIONS)[name],
            "form": form,
            "selected": [f"{code}:{revision}" for code, revision in selected],
            "rows": rows,
            "next": _back(request),
            "outcomes": None,
        },
        status=status,
    )


@login_required
@require_GET
def bulk_result(request: HttpRequest) -> HttpResponse:
    """``GET /workspace/bulk/result/``: what the last bulk action did to each dossier; one
    query for the dossiers whatever their number."""
    user = _user(request)
    kept = request.session.get(RESULT_SESSION_KEY)
    if not kept:
        return redirect("workspace:queues")
    outcomes = [Outcome(**o) for o in kept["outcomes"]]
    rows = {d.code: d for d in _selected_rows(user, [(o.code, 0) for o in outcomes])}
    results = [(o, rows.get(o.code)) for o in outcomes]
    # The page names each applicant: one log row for it (Decree 13/2023; ``access_log``).
    access_log.record_reads(request, AccessKind.LIST, rows.values())
    counts = {key: sum(1 for o in outcomes if o.result == key) for key in (DONE, REFUSED, CONFLICT)}
    return render(
        request,
        "workspace/bulk_result.html",
        {
            "action": kept["action"],
            "action_label": dict(BULK_ACTIONS).get(kept["action"], kept["action"]),
            "outcomes": results,
            "counts": counts,
            "next": kept.get("next") or reverse("workspace:queues"),
        },
    )
