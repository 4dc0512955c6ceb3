"""Admin for units, agencies, users and roles. Role grants go through the services so that each
leaves an event; events themselves are read-only."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# The working calendars' admin: here because it checks users' permissions, which the calendars
# (``motcua.workdays``) do not know. The two-factor devices' admin is read-only.
import motcua.accounts.calendar_admin
import motcua.accounts.two_factor_admin  # noqa: F401
from motcua.accounts import services
from motcua.accounts.models import (
    AdministrativeUnit,
    Agency,
    OrganisationEvent,
    RoleAssignment,
    User,
)
from motcua.admin import ReadOnlyAdmin


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Units come from ``load_units``; here an open unit is only closed, through
    ``services.close_unit`` (last day, successor, legal basis), which records the event."""

    list_display = ("code", "full_name", "level", "parent", "valid_from", "valid_to", "successor")
    list_filter = ("level", "source")
    search_fields = ("code", "name", "full_name", "code_name")
    raw_id_fields = ("parent", "successor")
    list_select_related = ("parent", "successor")
    closing_fields = ("valid_to", "successor", "legal_basis")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = [f.name for f in AdministrativeUnit._meta.concrete_fields if f.editable]
        if obj is not None and obj.valid_to is None:
            return [f for f in fields if f not in self.closing_fields]
        return fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # History is never rewritten: close a unit and name its successor instead.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not form.changed_data:
            return
        last_day = form.cleaned_data.get("valid_to")
        if last_day is None:
            raise PermissionDenied(_("Give the last day to close an administrative unit."))
        services.close_unit(
            AdministrativeUnit.objects.get(pk=obj.pk),
            last_day=last_day,
            successor=form.cleaned_data.get("successor"),
            legal_basis=form.cleaned_data.get("legal_basis", ""),
            actor=_actor(request),
        )
        obj.refresh_from_db()


class RoleAssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ("role", "agency", "valid_from", "valid_to")
    autocomplete_fields = ("agency",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every save goes through the services, which record the event: ``create_agency``,
    ``change_agency`` for the details, ``close_agency`` for the last day and successor."""

    list_display = ("code", "name", "kind", "unit", "calendar", "valid_to", "successor")
    list_filter = ("kind", "calendar")
    search_fields = ("code", "name", "short_name")
    raw_id_fields = ("unit",)
    autocomplete_fields = ("parent", "successor")
    list_select_related = ("unit", "calendar", "successor")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        # The code is the agency's identity; a closed agency keeps its last day and successor.
        return ["code", "valid_to", "successor"] if obj.valid_to else ["code"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = _actor(request)
        data = form.cleaned_data
        if not change:
            fields = {name: data[name] for name in form.fields if name in data}
            saved = services.create_agency(actor=actor, **fields)
            obj.pk = saved.pk
            obj.refresh_from_db()
            return
        current = Agency.objects.get(pk=obj.pk)
        details = {f: data[f] for f in services.AGENCY_FIELDS if f in form.changed_data}
        if details:
            services.change_agency(current, actor=actor, **details)
        if "valid_to" in form.changed_data and data.get("valid_to") is not None:
            services.close_agency(
                current,
                last_day=data["valid_to"],
                successor=data.get("successor"),
                actor=actor,
                reason="",
            )
        obj.refresh_from_db()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Identity"), {"fields": ("full_name", "id_number", "phone")}),
    )
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email", "id_number")
    inlines = (RoleAssignmentInline,)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        actor = request.user if isinstance(request.user, User) else None
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.revoke_role(obj, actor=actor)
        for obj in instances:
            if obj.pk is None:
                services.grant_role(
                    obj.user,
                    obj.role,
                    obj.agency,
                    actor=actor,
                    valid_from=obj.valid_from,
                    valid_to=obj.valid_to,
                )
            else:
                obj.save(update_fields=["valid_from", "valid_to"])


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "agency", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "agency__code", "agency__name")


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "agency", "unit", "subject", "actor")
    list_filter = ("action",)
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrganisationEvent]:
        return super().get_queryset(request).select_related("agency", "unit", "subject", "actor")
