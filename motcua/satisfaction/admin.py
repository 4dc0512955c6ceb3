"""The questionnaire is configured here (its questions inline); ratings and their events are
only read: they change through ``services.py``."""

from django.contrib import admin

from motcua.admin import ReadOnlyAdmin, ReadOnlyInline
from motcua.satisfaction.models import Question, Questionnaire, Rating, RatingAnswer, RatingEvent


class QuestionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Question
    extra = 1
    fields = ["position", "text", "text_en", "required"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "active", "updated_at"]
    list_filter = ["active"]
    inlines = [QuestionInline]


class AnswerInline(ReadOnlyInline):
    model = RatingAnswer
    fields = ["question", "level"]
    show_change_link = False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "level", "channel", "created_at"]
    list_filter = ["level", "channel"]
    search_fields = ["dossier__code"]
    inlines = [AnswerInline]


@admin.register(RatingEvent)
class RatingEventAdmin(ReadOnlyAdmin):
    list_display = ["rating", "action", "channel", "at"]
    list_filter = ["action", "channel"]
