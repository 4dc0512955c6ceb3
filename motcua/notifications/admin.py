"""The outbox in the admin: read-only. Notifications are written by ``services.queue`` and
marked sent by delivery, never by hand."""

from django.contrib import admin

from motcua.admin import ReadOnlyAdmin
from motcua.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind",
        "channel",
        "address",
        "dossier_code",
        "sent_at",
        "attempts",
    ]
    list_filter = ["kind", "channel", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["dedupe_key", "address", "dossier_code", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "channel",
        "recipient",
        "address",
        "dossier_code",
        "subject",
        "body",
        "dedupe_key",
        "created_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
