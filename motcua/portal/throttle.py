"""One request rate for public tracking, per client address (``MOTCUA_TRACK_RATE``), shared by
the tracking pages and the tracking API: dossier codes are sequential, so without a rate anyone
could walk through them. The count lives in Django's cache (see ``motcua.throttling``)."""

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class TrackRateThrottle(SimpleRateThrottle):
    """Lookups by code per client address, signed in or not (scope ``track``)."""

    scope = "track"

    def get_rate(self) -> str | None:
        # Read for each request, so a changed setting (a test's override) takes effect.
        rate = getattr(settings, "MOTCUA_TRACK_RATE", "")
        return str(rate) if rate else None

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def allow_lookup(request: Any) -> tuple[bool, int]:
    """Count one lookup by ``request``'s address: whether it is allowed, and if not, how many
    seconds to wait. Works on Django's request as well as DRF's (it reads only ``META``)."""
    throttle = TrackRateThrottle()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]  # the view is unused
        return True, 0
    return False, max(1, int(throttle.wait() or 1))


class AccountRateThrottle(TrackRateThrottle):
    """Registrations, codes and sign-ins posted per client address (scope ``account``,
    ``MOTCUA_ACCOUNT_RATE``): each sends a message or checks a secret. Wrong passwords are
    also held by the lock-out (django-axes), wrong codes by the code's own attempt limit."""

    scope = "account"

    def get_rate(self) -> str | None:
        rate = getattr(settings, "MOTCUA_ACCOUNT_RATE", "")
        return str(rate) if rate else None


def allow_account_post(request: Any) -> tuple[bool, int]:
    """Count one posted account form by ``request``'s address (see ``allow_lookup``)."""
    throttle = AccountRateThrottle()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]  # the view is unused
        return True, 0
    return False, max(1, int(throttle.wait() or 1))
