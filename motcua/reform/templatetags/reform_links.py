"""``{% may_use_reform as flag %}``: whether the workspace's top bar links to the reform
screens (the reform office and the agencies' focal points)."""

from typing import Any

from django import template

from motcua.accounts.models import User
from motcua.reform.permissions import may_use

register = template.Library()


@register.simple_tag(takes_context=True)
def may_use_reform(context: dict[str, Any]) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return isinstance(user, User) and may_use(user)
