from django.contrib import admin

from motcua.admin import ReadOnlyAdmin
from motcua.feedback.models import AnswerTime, FeedbackEvent


@admin.register(AnswerTime)
class AnswerTimeAdmin(admin.ModelAdmin[AnswerTime]):
    """Each province's time to answer feedback, in working days (10 when none is set)."""

    list_display = ["province", "working_days"]
    autocomplete_fields = ["province"]


@admin.register(FeedbackEvent)
class FeedbackEventAdmin(ReadOnlyAdmin):
    list_display = ["feedback", "action", "old_status", "new_status", "actor", "at"]
    list_filter = ["action"]
