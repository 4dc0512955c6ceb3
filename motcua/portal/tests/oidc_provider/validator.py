"""The provider's claims: the e-mail address (verified, as the national platform vouches) and
the name."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):  # type: ignore[misc]  # untyped library
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": f"{user.last_name} {user.first_name}".strip(),
        }
