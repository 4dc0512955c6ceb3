"""Who the portal's pages treat as signed in.

The portal and the officers' workspace share Django's session, but they are two doors: the
portal's sign-in is for citizens' and organisations' accounts only (``is_portal_account``), and
officials sign in on the workspace. An official who opens a portal page (the tracking link on
Form 01, a procedure's page) is therefore a visitor there, as on a separate public site: the
header shows neither their name nor "My dossiers" nor "Sign out" (which would end their
workspace session from a public page), only the way back to the workspace."""

from django import template
from django.template.context import Context

from motcua.accounts.models import Role, User
from motcua.accounts.registration import is_portal_account

register = template.Library()

CITIZEN = "citizen"
OFFICIAL = "official"


def visitor_kind(user: object) -> str:
    """``"citizen"`` for a signed-in portal account, ``"official"`` for an official signed in
    to the workspace (staff, or any role besides the citizen's), ``""`` for anyone else."""
    if not isinstance(user, User) or not user.is_authenticated:
        return ""
    if is_portal_account(user):
        return CITIZEN
    if user.is_staff or user.role_assignments.exclude(role=Role.CITIZEN).exists():
        return OFFICIAL
    return ""


@register.simple_tag(takes_context=True)
def portal_visitor(context: Context) -> str:
    """``{% portal_visitor as visitor %}`` in the portal's header."""
    request = context.get("request")
    return visitor_kind(getattr(request, "user", None))
