"""``{% remember_roles %}``: one read of the roles for the top bar's links;
``{% agency_admin_link %}`` and ``{% role_grants_link %}``: whether the top bar offers
"Agency administration" and "Role grants to confirm"; ``locks|lock_of:user``: when the
sign-in lock of a user listed on the users page ends."""

import datetime as dt
from typing import Any

from django import template

from motcua.accounts import permissions
from motcua.workspace import lockout
from motcua.workspace.agency_admin import admin_links

register = template.Library()

_CACHE_ATTRIBUTE = "_motcua_admin_links"


def _links(context: dict[str, Any]) -> tuple[bool, bool]:
    """Asked once per request (the answer is kept on the request)."""
    request = context.get("request")
    if request is None:
        return False, False
    if not hasattr(request, _CACHE_ATTRIBUTE):
        setattr(request, _CACHE_ATTRIBUTE, admin_links(getattr(request, "user", None)))
    links: tuple[bool, bool] = getattr(request, _CACHE_ATTRIBUTE)
    return links


@register.simple_tag(takes_context=True)
def remember_roles(context: dict[str, Any]) -> str:
    """Read the signed-in user's roles once for the top bar (``permissions.remember_roles``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None:
        permissions.remember_roles(user)
    return ""


@register.simple_tag(takes_context=True)
def agency_admin_link(context: dict[str, Any]) -> bool:
    return _links(context)[0]


@register.simple_tag(takes_context=True)
def role_grants_link(context: dict[str, Any]) -> bool:
    return _links(context)[1]


@register.filter
def lock_of(locks: dict[str, dt.datetime], user: Any) -> dt.datetime | None:
    """``locks`` from ``lockout.locked_usernames``: the end of ``user``'s lock, if locked."""
    return locks.get(lockout.normalise(user.get_username()) or "")
