"""The workspace's own state: failed sign-ins per username, for the lock-out."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInLock(models.Model):
    """Failed sign-ins counted per username (lower-cased) in the current window. Five failures
    within the window lock the username until ``locked_until``; a success clears the row.
    Kept in the database, not a per-process cache, so every worker sees the same count."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    first_failed_at = models.DateTimeField(_("first failure in the window"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")

    def __str__(self) -> str:
        return f"{self.username}: {self.failures}"
