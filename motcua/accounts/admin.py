"""Admin for units, agencies, users and roles. Role grants go through the services so that each
leaves an event; events themselves are read-only."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# The working calendars' admin: here because it checks users' permissions, which the calendars
# (``motcua.workdays``) do not know.
import motcua.accounts.calendar_admin  # noqa: F401
from motcua.accounts import services
from motcua.accounts.models import (
    AdministrativeUnit,
    Agency,
    OrganisationEvent,
    RoleAssignment,
    User,
)
from motcua.admin import ReadOnlyAdmin


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "full_name", "level", "parent", "valid_from", "valid_to", "successor")
    list_filter = ("level", "source")
    search_fields = ("code", "name", "full_name", "code_name")
    raw_id_fields = ("parent", "successor")
    list_select_related = ("parent", "successor")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # History is never rewritten: close a unit and name its successor instead.
        return False


class RoleAssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ("role", "agency", "valid_from", "valid_to")
    autocomplete_fields = ("agency",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "unit", "calendar", "valid_to", "successor")
    list_filter = ("kind", "calendar")
    search_fields = ("code", "name", "short_name")
    raw_id_fields = ("unit",)
    autocomplete_fields = ("parent", "successor")
    list_select_related = ("unit", "calendar", "successor")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
