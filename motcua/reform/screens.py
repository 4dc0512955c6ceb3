"""What the reform screens share: the user, the year asked for, the access gate, and one
way to run a form through a service (a refusal comes back on the form with its status)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.errors import REFUSALS, Refused, refusal_status
from motcua.reform import permissions
from motcua.reform.forms import errors_into


def user_of(request: HttpRequest) -> User:
    """The signed-in user who may use the reform screens (403 for anyone else)."""
    user = request.user
    if not isinstance(user, User) or not permissions.may_use(user):
        raise Refused(_("The reform screens are for reform officers."), code="reform_not_allowed")
    return user


def year_of(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def submitted(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    *,
    done: str,
    then: str,
) -> HttpResponse | int:
    """Run ``act`` with the form's cleaned data: on success a message and a redirect to
    ``then``; otherwise the status to render the page with (the form carrying the errors)."""
    if not form.is_valid():
        return 400
    try:
        act(form.cleaned_data)
    except REFUSALS as refused:
        errors_into(form, refused)
        return refusal_status(refused)
    messages.success(request, done)
    return HttpResponseRedirect(then)
