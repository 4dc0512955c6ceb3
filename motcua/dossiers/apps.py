from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        # A calendar change moves the open dossiers' deadlines in its transaction: the engine
        # registers its handler with the calendars, which never import the engine.
        from motcua.dossiers.reschedule import on_calendar_change
        from motcua.workdays import calendar_changes

        calendar_changes.register(on_calendar_change)
