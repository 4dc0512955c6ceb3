"""Request rates for the API (Django REST framework's throttles, configured in
``settings.REST_FRAMEWORK``): an anonymous client is counted by address, a signed-in user by
account, and a client over the rate gets 429 with ``Retry-After``.

DRF's own classes read the rates once, when they are imported; these read them for each
request, so a changed setting (a test's ``override_settings``) takes effect. The counts live in
Django's cache (``CACHE_URL``): with ``DEBUG`` off it is a table of the database by default, so
every worker of every machine counts together (docs/deployment.md). The count is read and
written back, not incremented atomically: requests from one address at the very same moment
may each pass before either is counted."""

from rest_framework import throttling
from rest_framework.settings import api_settings


class AnonRateThrottle(throttling.AnonRateThrottle):
    """Requests without a signed-in user, per client address (scope ``anon``)."""

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return str(rate) if rate else None


class UserRateThrottle(throttling.UserRateThrottle):
    """Requests of a signed-in user, per account (scope ``user``)."""

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return str(rate) if rate else None
