from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "motcua.workspace"
    label = "workspace"
    verbose_name = _("Officer workspace")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from motcua.workspace.twofactor_guard import note_sign_in

        # Every sign-in (workspace, admin, tests) notes what second factor the session owes.
        user_logged_in.connect(note_sign_in, dispatch_uid="workspace-second-factor")
