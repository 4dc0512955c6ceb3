"""``{% may_oversee_payments as flag %}``: whether the top bar links to ``/workspace/payments/``
(the agencies' leaders and system administrators, ``permissions.can_oversee_payments``)."""

from typing import Any

from django import template

from motcua.accounts.permissions import can_oversee_payments

register = template.Library()


@register.simple_tag(takes_context=True)
def may_oversee_payments(context: Any) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user is not None and can_oversee_payments(user)
