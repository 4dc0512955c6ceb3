from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "motcua.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # Infrastructure, not a business rule: the cache table follows the schema. post_migrate
        # is sent once per migrate for each app with models (this one has none): the sessions'
        # app, another piece of shared state, stands for them.
        from motcua.ops.cache import create_cache_tables_after_migrate

        post_migrate.connect(
            create_cache_tables_after_migrate,
            sender=apps.get_app_config("sessions"),
            dispatch_uid="motcua-cache-table",
        )
