"""``{% may_read_reports as flag %}``: whether the signed-in user may read reports, so the
workspace's top bar links to the dashboard only for them.

The answer is ``permissions.can_read_reports(user)`` (tested for every role) asked in one query,
since the top bar is on every workspace page: system administrators, reform officers (with or
without an agency), and heads of department or signing leaders of an agency."""

from typing import Any

from django import template
from django.db.models import Q

from motcua.accounts.models import Role
from motcua.accounts.permissions import active_assignments, remembered_roles

register = template.Library()


@register.simple_tag(takes_context=True)
def may_read_reports(context: dict[str, Any]) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    pairs = remembered_roles(user)
    if pairs is not None:
        return any(
            role in (Role.SYSTEM_ADMIN, Role.REFORM_OFFICER)
            or (role in (Role.HEAD_OF_DEPARTMENT, Role.SIGNING_LEADER) and agency is not None)
            for role, agency in pairs
        )
    readers = Q(role__in=[Role.SYSTEM_ADMIN, Role.REFORM_OFFICER]) | Q(
        role__in=[Role.HEAD_OF_DEPARTMENT, Role.SIGNING_LEADER], agency__isnull=False
    )
    return active_assignments(user).filter(readers).exists()
