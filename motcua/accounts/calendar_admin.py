"""Admin for working calendars. Every save goes through ``accounts.calendars`` so that each
change is checked against the actor's permissions and appended to the calendar's history.

It lives in ``accounts``, the layer that knows users and agencies, because the calendars
(``motcua.workdays``) know no users; ``accounts.admin`` imports it to register it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from motcua.accounts import calendars as services
from motcua.accounts import permissions
from motcua.accounts.models import User
from motcua.admin import ReadOnlyAdmin
from motcua.workdays.calendars import spec_for
from motcua.workdays.clock import notable_days
from motcua.workdays.models import Calendar, CalendarEvent, CalendarOverride


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 – the admin requires a signed-in staff user
    return user


class CalendarOverrideInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CalendarOverride
    extra = 1
    fields = ["date", "kind", "reason", "legal_basis"]
    ordering = ["-date"]


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "parent", "intake_cutoff", "time_zone"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    inlines = [CalendarOverrideInline]
    readonly_fields = ["upcoming_days"]
    fieldsets = [
        (None, {"fields": ["code", "name", "parent", "holiday_country", "time_zone"]}),
        (
            _("Office sessions"),
            {
                "fields": [
                    ("morning_start", "morning_end"),
                    ("afternoon_start", "afternoon_end"),
                    "intake_cutoff",
                ]
            },
        ),
        (_("The next twelve months"), {"fields": ["upcoming_days"]}),
    ]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Calendar | None = None
    ) -> list[str] | tuple[Any, ...]:
        # The code names the calendar in events and in other systems: fixed once created.
        return ["code", "upcoming_days"] if obj is not None else ["upcoming_days"]

    @admin.display(description=_("holidays, days off, half days and swapped working days"))
    def upcoming_days(self, obj: Calendar) -> SafeString | str:
        if obj.pk is None:
            return "-"
        today = timezone.localdate()
        days = notable_days(today, today + dt.timedelta(days=365), spec_for(obj))
        if not days:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} {}: {}</li>",
                ((d.date.strftime("%d/%m/%Y"), d.date.strftime("%a"), d.reason_vi) for d in days),
            ),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and permissions.is_system_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Calendar | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or permissions.can_manage_calendar(request.user, obj.pk, obj.parent_id)

    def has_delete_permission(self, request: HttpRequest, obj: Calendar | None = None) -> bool:
        # Calendars keep their history (events) and agencies point at them: never deleted.
        return False

    def save_model(
        self, request: HttpRequest, obj: Calendar, form: ModelForm[Calendar], change: bool
    ) -> None:
        values = {field: form.cleaned_data[field] for field in services.SETTING_FIELDS}
        if change:
            current = Calendar.objects.get(pk=obj.pk)
            changed = {f: v for f, v in values.items() if f in form.changed_data}
            saved = services.change_calendar(current, actor=_actor(request), **changed)
        else:
            saved = services.create_calendar(
                actor=_actor(request), code=form.cleaned_data["code"], **values
            )
        # The inline formsets save against ``obj``: make it the row the service wrote.
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Calendar) -> None:
        raise NotImplementedError("calendars are never deleted")  # has_delete_permission

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Calendar],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        if formset.model is not CalendarOverride:
            super().save_formset(request, form, formset, change)
            return
        actor = _actor(request)
        calendar = form.instance
        formset.save(commit=False)
        for override in formset.deleted_objects:
            services.remove_override(override, actor=actor)
        for override in formset.new_objects:
            services.add_override(
                calendar,
                actor=actor,
                date=override.date,
                kind=override.kind,
                reason=override.reason,
                legal_basis=override.legal_basis,
            )
        for override, _fields in formset.changed_objects:
            if override.date != CalendarOverride.objects.get(pk=override.pk).date:
                # The date is the override's identity: moving it is removing and adding.
                old = CalendarOverride.objects.get(pk=override.pk)
                services.remove_override(old, actor=actor)
                services.add_override(
                    calendar,
                    actor=actor,
                    date=override.date,
                    kind=override.kind,
                    reason=override.reason,
                    legal_basis=override.legal_basis,
                )
                continue
            services.change_override(
                override,
                actor=actor,
                kind=override.kind,
                reason=override.reason,
                legal_basis=override.legal_basis,
            )


@admin.register(CalendarEvent)
class CalendarEventAdmin(ReadOnlyAdmin):
    """History is read-only: events are appended by the services, never edited."""

    list_display = ["at", "calendar", "action", "actor", "reason"]
    list_filter = ["action", "calendar"]
    list_select_related = ["calendar", "actor"]
    date_hierarchy = "at"
    readonly_fields = ["calendar", "action", "actor", "at", "reason", "data"]
