"""``{% may_manage_replies as flag %}``: whether the top bar links to ``/workspace/replies/``
(heads of department and agency administrators, ``replies.managed_agencies``)."""

from typing import Any

from django import template

from motcua.dossiers import replies

register = template.Library()


@register.simple_tag(takes_context=True)
def may_manage_replies(context: Any) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user is not None and bool(replies.managed_agencies(user))
