"""Why an action was refused, in words the officer or citizen can act on, with a stable code."""

from motcua.errors import Conflict, Refused


class ActionRefused(Refused):
    """The user may not take this action on this dossier (role, agency or status)."""


class DossierConflict(Conflict):
    """Someone else changed the dossier first; reload it and try again."""
