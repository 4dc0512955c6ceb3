from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "motcua.integration"
    label = "integration"
    verbose_name = _("National portal")

    def ready(self) -> None:
        # Every dossier event the national portal must know writes an outbox message in the
        # event's transaction: this app registers with the engine, which never imports it.
        # So do ratings (in their dossier's stream) and feedback answers (in their own).
        from motcua.dossiers import event_hooks
        from motcua.feedback import event_hooks as feedback_hooks
        from motcua.integration.outbox import on_dossier_event, on_feedback_event, on_rating_event
        from motcua.satisfaction import event_hooks as rating_hooks

        event_hooks.register(on_dossier_event)
        rating_hooks.register(on_rating_event)
        feedback_hooks.register(on_feedback_event)
