"""The national outbox and its code mappings in the admin.

Messages are written by the engine's events and moved by delivery: here an administrator sees
them (dead letters and blocked ones filtered by state, with their problem), re-queues the
stuck ones (``outbox.requeue``) and writes a note (``outbox.annotate``); nothing else of a
message can be changed. The mappings are plain data the administrator keeps."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.accounts.models import User
from motcua.admin import ReadOnlyInline
from motcua.integration import outbox
from motcua.integration.models import CodeMapping, MessageEvent, OutboxMessage


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(CodeMapping)
class CodeMappingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["kind", "ours", "national", "note", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["ours", "national", "note"]


class MessageEventInline(ReadOnlyInline):
    model = MessageEvent
    fields = ("at", "kind", "actor", "detail")
    readonly_fields = fields
    show_change_link = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "created_at",
        "dossier_code",
        "sequence",
        "operation",
        "state",
        "attempts",
        "next_attempt_at",
        "ack_id",
        "problem",
    ]
    list_filter = ["state", "operation"]
    search_fields = ["stream", "ack_id", "problem", "note"]
    date_hierarchy = "created_at"
    fields = (
        "stream",
        "sequence",
        "operation",
        "state",
        "problem",
        "attempts",
        "next_attempt_at",
        "ack_id",
        "acked_at",
        "created_at",
        "facts",
        "sent",
        "note",
    )
    readonly_fields = tuple(f for f in fields if f != "note")
    inlines = [MessageEventInline]
    actions = ["requeue"]

    @admin.display(description=_("dossier or feedback"), ordering="stream")
    def dossier_code(self, message: OutboxMessage) -> str:
        return message.stream

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if "note" in form.changed_data:
            outbox.annotate(obj, note=obj.note, actor=_user(request))

    @admin.action(description=_("Re-queue the selected blocked or dead messages"))
    def requeue(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        done = 0
        for message in queryset.order_by("stream", "sequence"):
            try:
                outbox.requeue(message, actor=_user(request))
            except ValidationError as refused:
                self.message_user(request, f"{message}: {refused.messages[0]}", messages.WARNING)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d message re-queued.", "%(count)d messages re-queued.", done)
            % {"count": done},
        )
