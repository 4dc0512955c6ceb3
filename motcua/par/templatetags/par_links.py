"""The workspace's top bar shows the PAR self-assessment to the reform office and focal points
(loaded by name in ``workspace/base.html``; the workspace imports nothing of ``par``)."""

from typing import Any

from django import template

from motcua.accounts.models import User
from motcua.par.permissions import focal_agency_ids, is_reform_office

register = template.Library()


@register.simple_tag(takes_context=True)
def may_use_par(context: dict[str, Any]) -> bool:
    user = context["request"].user
    if not isinstance(user, User):
        return False
    return is_reform_office(user) or bool(focal_agency_ids(user))
