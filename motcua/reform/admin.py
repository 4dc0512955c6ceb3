from django.contrib import admin

from motcua.admin import ReadOnlyAdmin
from motcua.reform.models import ReformEvent


@admin.register(ReformEvent)
class ReformEventAdmin(ReadOnlyAdmin):
    """The reform records' history; the records themselves change only on the reform screens,
    through their services."""

    list_display = ["at", "action", "subject", "agency", "actor"]
    list_filter = ["action"]
    search_fields = ["subject"]
