"""Admin for units, agencies, users and roles. Role grants go through the services so that each
leaves an event; events themselves are read-only."""

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# The working calendars' admin: here because it checks users' permissions, which the calendars
# (``motcua.workdays``) do not know. The two-factor devices' admin is read-only.
import motcua.accounts.calendar_admin
import motcua.accounts.two_factor_admin  # noqa: F401
from motcua.accounts import grants, services
from motcua.accounts.models import (
    AdministrativeUnit,
    Agency,
    ApiToken,
    OrganisationEvent,
    RoleAssignment,
    RoleGrantRequest,
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


class _GrantFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Checks every new role and every removal with the services' own rules before saving,
    so that a refusal shows above the roles instead of failing the save."""

    actor: User | None = None

    def clean(self) -> None:
        super().clean()
        refusals: list[str] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            try:
                if data.get("DELETE") and form.instance.pk is not None:
                    grants.check_revoke(form.instance, actor=self.actor)
                elif form.instance.pk is None and data.get("role"):
                    role, agency = data["role"], data.get("agency")
                    grants.check_grant(self.instance, role, agency, actor=self.actor)
            except ValidationError as invalid:
                refusals.extend(invalid.messages)
            except PermissionDenied as denied:
                refusals.append(str(denied))
        if refusals:
            # On the formset, not the row: Django ignores the errors of a row marked deleted.
            raise ValidationError(refusals)


class _ServiceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    formset = _GrantFormSet

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = cast(type[_GrantFormSet], super().get_formset(request, obj, **kwargs))
        formset.actor = request.user if isinstance(request.user, User) else None
        return formset


class RoleAssignmentInline(_ServiceInline):
    """The roles the user holds, read-only: a row can only be removed (through
    ``services.revoke_role``, which refuses one's own role)."""

    fields = readonly_fields = ("role", "agency", "valid_from", "valid_to")
    verbose_name_plural = _("roles held")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NewRoleAssignmentInline(_ServiceInline):
    """New roles only, granted through ``services.grant_role`` (a head of department or
    signing leader is requested and waits for a second person's confirmation)."""

    fields = ("role", "agency", "valid_from", "valid_to")
    autocomplete_fields = ("agency",)
    can_delete = False
    verbose_name_plural = _("grant a role")

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleAssignment]:
        return super().get_queryset(request).none()


@admin.register(RoleGrantRequest)
class RoleGrantRequestAdmin(ReadOnlyAdmin):
    """Pending and decided grants; confirmed or rejected in the workspace's agency
    administration (``grants.confirm_role_request``), never edited here."""

    list_display = ("user", "role", "agency", "status", "requested_by", "decided_by")
    list_filter = ("status", "role")
    search_fields = ("user__username", "user__full_name", "agency__code")


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
    inlines = (RoleAssignmentInline, NewRoleAssignmentInline)

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        # Roles are given once the account exists (the checks read the account).
        return self.inlines if obj is not None else ()

    # The powers that make a system administrator: never one's own to change.
    PRIVILEGE_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            return (*readonly, *self.PRIVILEGE_FIELDS)
        if not request.user.is_superuser:
            return (*readonly, "is_superuser", "groups", "user_permissions")
        return readonly

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        actor = request.user if isinstance(request.user, User) else None
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.revoke_role(obj, actor=actor)
        for obj in instances:
            if obj.pk is not None:
                continue  # existing rows are read-only
            if grants.needs_confirmation(obj.role, actor):
                assert actor is not None  # noqa: S101 - needs_confirmation says so
                grants.request_role(
                    obj.user,
                    obj.role,
                    obj.agency,
                    actor=actor,
                    valid_from=obj.valid_from,
                    valid_to=obj.valid_to,
                )
            else:
                services.grant_role(
                    obj.user,
                    obj.role,
                    obj.agency,
                    actor=actor,
                    valid_from=obj.valid_from,
                    valid_to=obj.valid_to,
                )


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


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """API tokens, never their secrets (only a keyed hash is kept): made on the workspace's
    token page or by ``motcua api-token``, revoked there (each an event)."""

    list_display = ("prefix", "name", "user", "kind", "scopes", "expires_at", "last_used_at")
    list_filter = ("kind",)
    search_fields = ("prefix", "name", "user__username")
    exclude = ("key_hash",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return super().get_queryset(request).select_related("user")
