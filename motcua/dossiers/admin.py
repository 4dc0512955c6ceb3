"""Dossiers in the admin: read-only. Every change goes through the workflow's actions (API or
officer workspace), so that it is checked and recorded as an event."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.admin import ReadOnlyAdmin, ReadOnlyInline
from motcua.dossiers.access_models import DossierAccess
from motcua.dossiers.extra_paper_models import ExtraPaperDemand
from motcua.dossiers.models import (
    Dossier,
    DossierCounter,
    DossierDocument,
    DossierEvent,
    DossierStep,
    ReceiptCounter,
)
from motcua.dossiers.signed_models import SignedCopy


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = (
        "position",
        "name",
        "agency",
        "role",
        "status",
        "started_at",
        "due_at",
        "finished_at",
        "assignee",
        "handed_to",
        "timeliness",
    )
    readonly_fields = fields
    show_change_link = False


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ("name", "form", "copies", "provided", "file", "content_type", "size", "sha256")
    readonly_fields = fields
    show_change_link = False


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ("at", "action", "old_status", "new_status", "actor", "agency", "reason", "data")
    readonly_fields = fields
    show_change_link = False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "applicant_name",
        "version",
        "status",
        "channel",
        "current_agency",
        "received_at",
        "due_at",
        "finished_at",
    )
    list_filter = ("status", "channel", "imported", "receiving_agency")
    search_fields = ("code", "applicant_name", "applicant_id_number")
    date_hierarchy = "received_at"
    inlines = (StepInline, DocumentInline, EventInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Dossier]:
        return (
            super()
            .get_queryset(request)
            .select_related("version__procedure", "current_agency", "receiving_agency")
        )


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "dossier", "action", "old_status", "new_status", "actor", "agency")
    list_filter = ("action",)
    search_fields = ("dossier__code",)
    date_hierarchy = "at"
    list_select_related = ("dossier", "actor", "agency")


@admin.register(DossierAccess)
class DossierAccessAdmin(ReadOnlyAdmin):
    """The access log of personal data, for the system administrators (agency administrators
    review their agency's rows in the workspace)."""

    list_display = ("at", "actor", "agency", "kind", "count", "ip")
    list_filter = ("kind",)
    search_fields = ("codes", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor", "agency")


@admin.register(DossierCounter)
class DossierCounterAdmin(ReadOnlyAdmin):
    list_display = ("agency", "day", "last")
    list_select_related = ("agency",)


@admin.register(ReceiptCounter)
class ReceiptCounterAdmin(ReadOnlyAdmin):
    list_display = ("agency", "year", "last")
    list_select_related = ("agency",)


@admin.register(ExtraPaperDemand)
class ExtraPaperDemandAdmin(ReadOnlyAdmin):
    """Papers beyond the published list, as the engine recorded them (read only)."""

    list_display = ("at", "dossier", "agency", "officer", "source", "name", "legal_basis")
    list_filter = ("source", "agency")
    search_fields = ("dossier__code", "name", "legal_basis")
    date_hierarchy = "at"
    list_select_related = ("dossier", "agency", "officer")


@admin.register(SignedCopy)
class SignedCopyAdmin(ReadOnlyAdmin):
    """Electronic copies signed at the desk, as the engine kept them (read only)."""

    list_display = ("signed_at", "dossier", "kind", "name", "signed_by", "signer_name")
    list_filter = ("kind",)
    search_fields = ("dossier__code", "sha256", "certificate_sha256")
    date_hierarchy = "signed_at"
    list_select_related = ("dossier", "signed_by")
