"""The workspace's own state: each user's saved list filters. (Failed sign-ins are counted by
django-axes, see ``lockout.py``.)"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """A user's named list filter: the query string of ``DossierFilter`` parameters as typed on
    the list page (``page`` and the queue tab left out). Private to its owner; written only
    through ``motcua.workspace.saved_filters``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query string"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_once"),
        ]

    def __str__(self) -> str:
        return self.name
