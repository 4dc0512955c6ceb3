"""The API's token authentication (``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``).

``Authorization: Bearer <token>`` (or ``Token <token>``, as DRF's own scheme writes it) acts as
the token's user, when ``accounts.tokens.check_token`` accepts it for the request's method:
``read`` for GET, HEAD and OPTIONS, ``write`` for any other. A token refused answers 401 with
``WWW-Authenticate: Bearer error="invalid_token"`` and its code (``token_invalid``,
``token_expired``, ``token_revoked``, ``token_user_inactive``); a token without the scope
answers 403 ``token_scope`` with ``error="insufficient_scope"`` (RFC 6750, section 3.1). A
request without such a header is left to the other classes (the session, HTTP Basic)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from motcua.accounts import tokens
from motcua.accounts.models import ApiTokenScope

SCHEMES = (b"bearer", b"token")
MESSAGES = {
    tokens.WRONG_SECRET: _("The API token is not valid."),
    tokens.EXPIRED: _("The API token has expired."),
    tokens.REVOKED: _("The API token was revoked."),
    tokens.INACTIVE: _("The API token's account is inactive."),
    tokens.OUT_OF_SCOPE: _(
        "The API token does not allow this: its scopes do not include %(scope)s."
    ),
}


class TokenInvalid(exceptions.APIException):
    """A token was sent and is not valid (401). Not DRF's ``AuthenticationFailed``: DRF turns
    that into a 403 when the first authentication class (the session) has no header to offer."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = tokens.WRONG_SECRET

    def __init__(self, code: str) -> None:
        super().__init__(MESSAGES[code], code=code)
        self.auth_header = 'Bearer realm="api", error="invalid_token"'


class TokenOutOfScope(exceptions.APIException):
    """A valid token without the scope the method needs (403)."""

    status_code = status.HTTP_403_FORBIDDEN
    default_code = tokens.OUT_OF_SCOPE

    def __init__(self, scope: str) -> None:
        super().__init__(MESSAGES[tokens.OUT_OF_SCOPE] % {"scope": scope}, code=tokens.OUT_OF_SCOPE)
        self.auth_header = f'Bearer realm="api", error="insufficient_scope", scope="{scope}"'


def scope_for(method: str) -> str:
    return ApiTokenScope.READ if method in SAFE_METHODS else ApiTokenScope.WRITE


class TokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer mct_…`` acting as the token's user (docs/api.md)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in SCHEMES:
            return None
        if len(parts) != 2:
            raise TokenInvalid(tokens.WRONG_SECRET)
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise TokenInvalid(tokens.WRONG_SECRET) from None
        scope = scope_for(request.method or "GET")
        try:
            token = tokens.check_token(raw, method_scope=scope, path=request.path)
        except tokens.TokenRefused as refused:
            if refused.code == tokens.OUT_OF_SCOPE:
                raise TokenOutOfScope(scope) from None
            raise TokenInvalid(refused.code) from None
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The OpenAPI schema's ``bearerAuth``: an API token (docs/api.md)."""

    target_class = "motcua.accounts.authentication.TokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (mct_…) made on /workspace/security/tokens/ or "
            "with `motcua api-token create`; scope read for GET, write for the rest.",
        }
