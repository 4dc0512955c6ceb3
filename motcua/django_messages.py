# ruff: noqa: E501 - Django's msgids must match exactly, so long ones stay on one line
"""Django's own admin and password messages that its Vietnamese catalogue lacks (Django 6.0:
13 of contrib.auth, 35 of contrib.admin, the password-length validator among them). Listed here
only so ``make messages`` extracts them into ``motcua/locale/vi``, whose translations Django
prefers to its own (``LOCALE_PATHS``); nothing imports this module. When a Django upgrade adds
strings, ``motcua/tests/test_translations.py`` names the ones still in English."""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

DJANGO_MESSAGES = (
    _("Conflicting form data submitted. Please try again."),
    _("Password-based authentication was disabled."),
    _("Set password: %s"),
    _("Reset password"),
    _("Set password"),
    _(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    _("Password-based authentication"),
    _("Enabled"),
    _("Disabled"),
    _("Raw passwords are not stored, so there is no way to see the user’s password."),
    _("Enable password-based authentication for this user by setting a password."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    _(
        "Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z letters, numbers, and @/./+/-/_ characters."
    ),
    _("Select this object for an action - {}"),
    _("Run"),
    _("Breadcrumbs"),
    _("Model name"),
    _("Add link"),
    _("Change or view list link"),
    _("After you’ve created a user, you’ll be able to edit more user options."),
    _("Error:"),
    _("This action will <strong>enable</strong> password-based authentication for this user."),
    _("Disable password-based authentication"),
    _("Enable password-based authentication"),
    _("Skip to main content"),
    _("Hide counts"),
    _("Show counts"),
    _("Toggle theme (current theme: auto)"),
    _("Toggle theme (current theme: light)"),
    _("Toggle theme (current theme: dark)"),
    _(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related objects, but your account doesn't have permission to delete the following types of objects:"
    ),
    _(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following protected related objects:"
    ),
    _(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the following related items will be deleted:"
    ),
    _("Added:"),
    _("Changed:"),
    _("Deleted:"),
    _("Forgotten your login credentials?"),
    _("Toggle navigation"),
    _("Sidebar"),
    _("Filter navigation items"),
    _("Pagination %(name)s entries"),
    ngettext_lazy("entry", "entries"),
    _("Pagination %(name)s"),
    _("Search %(name)s"),
    _("View selected %(model)s"),
    _("In case you’ve forgotten, you are:"),
    _("Select all objects on this page for an action"),
)
