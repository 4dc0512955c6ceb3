"""Refusals of the organisation services that say why with a stable machine code."""

from motcua.errors import Refused


class GrantRefused(Refused):
    """The actor may not grant, revoke, confirm or reject this role; ``code`` says why
    (e.g. ``own_role``, ``not_agency_administrator``, ``not_grant_confirmer``)."""
