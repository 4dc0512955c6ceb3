"""``/workspace/security/password/``: a signed-in user changes their own password (an officer
given a temporary password by the agency administrator, for one). Django's
``PasswordChangeForm`` checks the old password and the configured validators; the write goes
through ``accounts.services.change_password``, which records it in the audit trail; the
session stays signed in (``update_session_auth_hash``)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from motcua.accounts import services
from motcua.accounts.models import User


@sensitive_post_parameters()
@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.change_password(user=user, new_password=form.cleaned_data["new_password1"])
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return redirect("workspace:security")
        return render(request, "workspace/password_change.html", {"form": form}, status=400)
    return render(request, "workspace/password_change.html", {"form": form})
