"""Sign-in through an OpenID Connect identity provider (the national identity platform speaks
OIDC), with mozilla-django-oidc's code flow (PKCE, RS256 ID tokens checked against the
provider's keys). Configured by the ``MOTCUA_OIDC_*`` settings; off when no client is set.

Who the person is: the account the same provider subject created before; else the one portal
account whose e-mail address was verified with a code and equals the provider's verified
``email``; else a new citizen's account. Nothing happens for an unverified e-mail, an address
that belongs to an official, or an address shared by several accounts."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from motcua.accounts import registration
from motcua.accounts.models import User


class CitizenOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # untyped library
    """mozilla-django-oidc's backend, finding or creating citizens' accounts only."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return (
            bool(claims.get("sub"))
            and bool(claims.get("email"))
            and (claims.get("email_verified") is True)
        )

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims) or claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("claims not verified")
        issuer = str(payload.get("iss", ""))
        subject, email = str(claims["sub"]), str(claims["email"])
        known = User.objects.filter(
            username=registration.oidc_username(issuer, subject), is_active=True
        ).first()
        if known is not None:
            return known if registration.is_portal_account(known) else None
        if registration.email_of_official(email):
            raise SuspiciousOperation("an official's e-mail address")
        linked = registration.verified_email_accounts(email)
        if len(linked) == 1:
            return linked[0]
        if linked or User.objects.filter(email__iexact=email).exists():
            # Several accounts, or one whose address was never verified: do not guess.
            raise SuspiciousOperation("e-mail address not linkable")
        return registration.register_oidc_account(
            issuer=issuer, subject=subject, email=email, full_name=str(claims.get("name", ""))
        )


def _configured(view: Callable[..., HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """``view``, or 404 while no identity provider is configured (``MOTCUA_OIDC_CLIENT_ID``)."""

    def guarded(request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_RP_CLIENT_ID:
            raise Http404("no identity provider")
        return view(request)

    return guarded


# /oidc/authenticate/ (to the provider, with ?next=) and /oidc/callback/ (back from it).
start = _configured(OIDCAuthenticationRequestView.as_view())
callback = _configured(OIDCAuthenticationCallbackView.as_view())
