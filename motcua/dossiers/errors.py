"""Why an action was refused, in words the officer or citizen can act on."""

from django.core.exceptions import PermissionDenied


class ActionRefused(PermissionDenied):
    """The user may not take this action on this dossier (role, agency or status)."""


class DossierConflict(Exception):
    """Someone else changed the dossier first; reload it and try again."""
