"""Why an action was refused, in words the officer or citizen can act on."""

from django.core.exceptions import PermissionDenied


class ActionRefused(PermissionDenied):
    """The user may not take this action on this dossier (role, agency or status)."""

    def __init__(self, message: str = "", code: str = "action_refused") -> None:
        super().__init__(message)
        self.code = code


class DossierConflict(Exception):
    """Someone else changed the dossier first; reload it and try again."""
