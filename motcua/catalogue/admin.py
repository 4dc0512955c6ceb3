"""Admin for the catalogue. Published texts are read-only here (they change by decision, through
import or the services); internal processes are edited here and saved through the service, which
checks that the allowances add up to the statutory time and records an event."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.accounts.models import User
from motcua.admin import ReadOnlyAdmin, ReadOnlyInline
from motcua.catalogue import document_templates, services
from motcua.catalogue.models import (
    Case,
    CatalogueEvent,
    Decision,
    Fee,
    Field,
    InternalProcess,
    Procedure,
    ProcedureAssignment,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from motcua.catalogue.rules import check_allowances
from motcua.catalogue.specs import StepSpec


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("number", "signed_on", "issuer", "effective_from", "title")
    search_fields = ("number", "issuer", "title")
    date_hierarchy = "signed_on"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(ReadOnlyInline):
    model = ProcedureVersion
    fk_name = "procedure"
    fields = ("number", "name", "status", "effective_from", "effective_to", "published_by")
    readonly_fields = fields


class AssignmentInline(ReadOnlyInline):
    model = ProcedureAssignment
    fields = ("agency", "role", "created_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = ("code", "__str__", "created_at")
    search_fields = ("code", "versions__name")
    inlines = (VersionInline, AssignmentInline)


@admin.register(ProcedureAssignment)
class ProcedureAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Assignments are added and removed through the services (each leaves an event)."""

    list_display = ("procedure", "agency", "role", "created_at")
    list_filter = ("role", "agency")
    search_fields = ("procedure__code", "agency__code", "agency__name")
    autocomplete_fields = ("agency",)
    raw_id_fields = ("procedure",)
    list_select_related = ("procedure", "agency")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = request.user if isinstance(request.user, User) else None
        saved = services.assign_procedure(obj.procedure, obj.agency, obj.role, actor=actor)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actor = request.user if isinstance(request.user, User) else None
        services.unassign_procedure(obj, actor=actor)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class CaseInline(ReadOnlyInline):
    model = Case
    fields = ("code", "name", "processing_time", "time_unit")
    readonly_fields = fields


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "procedure",
        "number",
        "name",
        "field",
        "online_level",
        "status",
        "effective_from",
        "effective_to",
    )
    list_filter = ("status", "online_level", "field", "at_province", "at_commune", "inter_agency")
    search_fields = ("procedure__code", "name", "name_search")
    list_select_related = ("procedure", "field")
    inlines = (CaseInline,)


class DocumentInline(ReadOnlyInline):
    model = RequiredDocument
    fields = ("position", "name", "form", "copies", "mandatory", "eform", "template")
    readonly_fields = fields
    show_change_link = True


class TemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    """Only the template file is edited; checked here so the page shows the refusal."""

    class Meta:
        model = RequiredDocument
        fields = ("template",)

    def clean_template(self) -> Any:
        upload = self.cleaned_data.get("template")
        if upload and upload is not self.instance.template:
            try:
                document_templates.check_template(upload)
            except ValidationError as refused:
                raise ValidationError(refused.messages, code="template_type") from None
        return upload


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The published text is read-only; the template (mẫu đơn, tờ khai) is uploaded here and
    saved through ``document_templates.set_document_template`` (checked, recorded)."""

    form = TemplateForm
    list_display = ("__str__", "case", "position", "eform", "template")
    search_fields = ("case__version__procedure__code", "name", "eform")
    list_select_related = ("case__version__procedure",)
    readonly_fields = ("case", "position", "name", "form", "copies", "mandatory", "eform")
    fields = (*readonly_fields, "template")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        upload = form.cleaned_data.get("template")
        if upload and "template" in form.changed_data and isinstance(request.user, User):
            fresh = RequiredDocument.objects.get(pk=obj.pk)
            document_templates.set_document_template(fresh, upload, actor=request.user)


class FeeInline(ReadOnlyInline):
    model = Fee
    fields = ("kind", "name", "amount", "note")
    readonly_fields = fields
    show_change_link = False


class ProcessInline(ReadOnlyInline):
    model = InternalProcess
    fields = ("agency", "name")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "processing_time", "time_unit")
    search_fields = ("version__procedure__code", "name")
    list_select_related = ("version__procedure",)
    inlines = (DocumentInline, FeeInline, ProcessInline)


class StepFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """Refuses steps whose allowances do not add up to the case's statutory time, keeping what
    the user typed on the page with the message."""

    def clean(self) -> None:
        super().clean()
        case: Case | None = getattr(self.instance, "case", None)
        if case is None:
            return
        allowances = [
            Decimal(form.cleaned_data["allowance"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("allowance") is not None
        ]
        try:
            check_allowances(case.processing_time, case.time_unit, allowances)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class StepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProcessStep
    formset = StepFormSet
    fields = ("position", "name", "role", "unit", "responsible_agency", "allowance")
    autocomplete_fields = ("responsible_agency",)
    extra = 1


@admin.register(InternalProcess)
class InternalProcessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "agency", "name")
    list_filter = ("agency",)
    search_fields = ("case__version__procedure__code", "case__name", "agency__code")
    raw_id_fields = ("case",)
    autocomplete_fields = ("agency",)
    inlines = (StepInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[InternalProcess]:
        return super().get_queryset(request).select_related("case__version__procedure", "agency")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Steps are written by ``set_internal_process`` (checked, recorded as an event)."""
        process: InternalProcess = form.instance
        rows = []
        for formset in formsets:
            for step_form in formset.forms:
                data = step_form.cleaned_data
                if not data or data.get("DELETE") or not data.get("name"):
                    continue
                rows.append(data)
        rows.sort(key=lambda d: d.get("position") or 0)
        steps = [
            StepSpec(
                name=d["name"],
                role=d["role"],
                unit=d["unit"],
                allowance=Decimal(d["allowance"]),
                agency=d["responsible_agency"].code if d.get("responsible_agency") else "",
            )
            for d in rows
        ]
        actor = request.user if isinstance(request.user, User) else None
        services.set_internal_process(process.case, steps, agency=process.agency, actor=actor)
        for formset in formsets:
            # The admin's change message reads what a formset saved; the service saved it.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CatalogueEvent)
class CatalogueEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "procedure", "action", "version", "decision", "actor")
    list_filter = ("action",)
    date_hierarchy = "at"
    list_select_related = ("procedure", "version__procedure", "decision", "actor")
