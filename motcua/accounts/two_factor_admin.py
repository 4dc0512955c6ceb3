"""Two-factor devices in the admin: read-only, in place of django-otp's own admin pages.

Devices change only through ``accounts.two_factor`` (turned on or off by their owner in the
workspace, a recovery code used at sign-in), each change with an ``OrganisationEvent``. The
pages show who has which device and when it was last used, never a secret or a code."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.admin import ReadOnlyAdmin

DEVICE_FIELDS = ("user", "name", "confirmed", "created_at", "last_used_at")

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnlyAdmin):
    list_display = DEVICE_FIELDS
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user"]
    fields = DEVICE_FIELDS


@admin.register(StaticDevice)
class StaticDeviceAdmin(ReadOnlyAdmin):
    list_display = DEVICE_FIELDS
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user"]
    fields = DEVICE_FIELDS
