"""``/workspace/security/tokens/``: a signed-in officer makes, lists and revokes their own API
tokens (docs/api.md). Thin: the writes and the rules are ``accounts.tokens``'s. A new token's
secret is shown in the answer to the form that made it, once: it is kept nowhere, not even in
the session."""

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts import tokens
from motcua.accounts.models import ApiTokenScope, User
from motcua.workspace.forms import errors_into


class TokenForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("API token", "Name"),
        max_length=100,
        help_text=gettext_lazy("What will use the token, e.g. “Excel report script”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Allowed"),
        choices=[
            (ApiTokenScope.READ, gettext_lazy("read (GET: lists, dossiers, reports)")),
            (ApiTokenScope.WRITE, gettext_lazy("write (POST: intake, actions, uploads)")),
        ],
        initial=[ApiTokenScope.READ],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The longest life is a setting: read when the form is made, not when it is imported.
        self.fields["days"] = forms.IntegerField(
            label=gettext_lazy("Expires after (days)"),
            min_value=1,
            max_value=settings.MOTCUA_API_TOKEN_MAX_DAYS,
            initial=30,
        )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    return user


def _page(
    request: HttpRequest, form: TokenForm, new: tokens.NewToken | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    context = {
        "form": form,
        "new": new,
        "tokens": tokens.tokens_of(user),
        "may_create": tokens.is_official(user),
        "now": timezone.now(),
        "max_days": settings.MOTCUA_API_TOKEN_MAX_DAYS,
    }
    response = render(request, "workspace/api_tokens.html", context, status=status)
    if new is not None:
        response["Cache-Control"] = "no-store"  # the secret stays in no cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request: HttpRequest) -> HttpResponse:
    """The officer's tokens, and the form that makes one (its secret shown once)."""
    form = TokenForm(request.POST or None)
    if request.method == "GET":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=400)
    now = timezone.now()
    data = form.cleaned_data
    try:
        made = tokens.create_token(
            user=_user(request),
            actor=_user(request),
            name=data["name"],
            scopes=data["scopes"],
            expires_at=now + dt.timedelta(days=data["days"]),
            now=now,
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return _page(request, TokenForm(), status=403)
    except ValidationError as exc:
        errors_into(form, exc)
        return _page(request, form, status=400)
    return _page(request, TokenForm(), new=made, status=201)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the officer's own tokens (anyone else's: 404, as if it did not exist)."""
    user = _user(request)
    token = get_object_or_404(tokens.tokens_of(user), pk=token_id)
    tokens.revoke_token(token, actor=user)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("workspace:api_tokens")
