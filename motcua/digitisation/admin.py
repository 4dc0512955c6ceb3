"""The register and the re-use log, only read here: the register follows the engine's events
(``recording.py``) and re-uses are written by ``services.reuse_paper``."""

from django.contrib import admin

from motcua.admin import ReadOnlyAdmin
from motcua.digitisation.models import DigitisedPaper, PaperReuse


@admin.register(DigitisedPaper)
class DigitisedPaperAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "dossier", "owner_id_number", "scanned_at", "signed_at"]
    list_select_related = ("dossier",)
    list_filter = ["kind"]
    search_fields = ["dossier__code", "owner_id_number"]


@admin.register(PaperReuse)
class PaperReuseAdmin(ReadOnlyAdmin):
    list_display = ["paper", "dossier", "agency", "actor", "at"]
    list_select_related = ("paper__dossier", "dossier", "agency", "actor")
    search_fields = ["dossier__code", "owner_id_number"]
