"""Refusals of the organisation services that say why with a stable machine code."""

from django.core.exceptions import PermissionDenied


class GrantRefused(PermissionDenied):
    """The actor may not grant, revoke, confirm or reject this role; ``code`` says why
    (e.g. ``own_role``, ``not_agency_administrator``, ``not_grant_confirmer``)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code
