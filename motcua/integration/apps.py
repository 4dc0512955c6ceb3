from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "motcua.integration"
    label = "integration"
    verbose_name = _("National portal")

    def ready(self) -> None:
        # Every dossier event the national portal must know writes an outbox message in the
        # event's transaction: this app registers with the engine, which never imports it.
        from motcua.dossiers import event_hooks
        from motcua.integration.outbox import on_dossier_event

        event_hooks.register(on_dossier_event)
