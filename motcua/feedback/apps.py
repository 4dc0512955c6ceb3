from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = _("Feedback and complaints")

    def ready(self) -> None:
        # A calendar change moves open feedback deadlines in its transaction: this app
        # registers its handler with the calendars, which never import it.
        from motcua.feedback.reschedule import on_calendar_change
        from motcua.workdays import calendar_changes

        calendar_changes.register(on_calendar_change)
