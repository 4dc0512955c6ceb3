from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitisationConfig(AppConfig):
    name = "motcua.digitisation"
    label = "digitisation"
    verbose_name = _("Digitised papers")

    def ready(self) -> None:
        # The engine announces every dossier event it appends (dossiers.event_hooks); the
        # register of digitised papers follows the scans, uploads, results and signatures in
        # that event's transaction. The engine never imports this app (pyproject.toml layers).
        from motcua.digitisation.recording import on_dossier_event
        from motcua.dossiers import event_hooks

        event_hooks.register(on_dossier_event)
