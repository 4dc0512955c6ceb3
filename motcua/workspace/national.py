"""The national portal's screens for system administrators (``/workspace/national/``): the
outbox's figures (queue depth, oldest undelivered message, failures by reason) with its dead
letters and blocked messages to re-queue or annotate (``integration.outbox``, which checks the
permission again and records a ``MessageEvent``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts import permissions
from motcua.accounts.models import User
from motcua.integration import outbox
from motcua.integration.figures import outbox_figures, stuck_messages
from motcua.integration.models import OutboxMessage


class NoteForm(forms.Form):
    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def system_admin(request: HttpRequest) -> User:
    """The signed-in system administrator; 403 for anyone else."""
    user = request.user
    if not isinstance(user, User) or not permissions.is_system_admin(user):
        raise PermissionDenied(_("Only a system administrator may manage the national outbox."))
    return user


def _message(message_id: int) -> OutboxMessage:
    found = OutboxMessage.objects.filter(pk=message_id).first()
    if found is None:
        raise Http404("no such message")
    return found


@login_required
@require_GET
def outbox_page(request: HttpRequest) -> HttpResponse:
    """The figures and the stuck messages, each with its re-queue button and note."""
    system_admin(request)
    return render(
        request,
        "workspace/national/outbox.html",
        {"figures": outbox_figures(), "stuck": list(stuck_messages())},
    )


@login_required
@require_POST
def requeue_message(request: HttpRequest, message_id: int) -> HttpResponse:
    user = system_admin(request)
    message = _message(message_id)
    try:
        outbox.requeue(message, actor=user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("Message %(message)s re-queued: it is sent again at once.") % {"message": message},
        )
    return redirect("workspace:national_outbox")


@login_required
@require_POST
def annotate_message(request: HttpRequest, message_id: int) -> HttpResponse:
    user = system_admin(request)
    message = _message(message_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
    else:
        outbox.annotate(message, note=form.cleaned_data["note"], actor=user)
        messages.success(request, _("Note saved on message %(message)s.") % {"message": message})
    return redirect("workspace:national_outbox")
