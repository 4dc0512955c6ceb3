"""``{% agency_admin_link %}``: whether the top bar offers "Agency administration";
``locks|lock_of:user``: when the sign-in lock of a user listed on the users page ends."""

import datetime as dt
from typing import Any

from django import template

from motcua.workspace import lockout
from motcua.workspace.agency_admin import shows_admin_link

register = template.Library()

_CACHE_ATTRIBUTE = "_motcua_shows_admin_link"


@register.simple_tag(takes_context=True)
def agency_admin_link(context: dict[str, Any]) -> bool:
    """Asked once per request (the answer is kept on the request)."""
    request = context.get("request")
    if request is None:
        return False
    if not hasattr(request, _CACHE_ATTRIBUTE):
        setattr(request, _CACHE_ATTRIBUTE, shows_admin_link(getattr(request, "user", None)))
    return bool(getattr(request, _CACHE_ATTRIBUTE))


@register.filter
def lock_of(locks: dict[str, dt.datetime], user: Any) -> dt.datetime | None:
    """``locks`` from ``lockout.locked_usernames``: the end of ``user``'s lock, if locked."""
    return locks.get(lockout.normalise(user.get_username()) or "")
