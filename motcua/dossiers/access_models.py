"""The access log of personal data (nhật ký truy cập dữ liệu cá nhân): one row per read of
dossiers' personal data by someone other than their applicant — the workspace's dossier page and
lists, a printed form, a document's file, the API's detail and list, an export.

Decree 13/2023/NĐ-CP on personal data protection asks the controller to record the processing
of personal data in a system log (art. 26, "to verify" the article; the decree is not in
/work/shared/domain/) and lets the data subject know who processed their data (art. 9, rights of
the data subject, "to verify"). The rows are written by ``access_log.record_reads`` and
reviewed by the agency's administrator (``workspace/access_review.py``).

Append-only like every history (``motcua.events``), with one exception: the retention purge
(``access_log.purge_expired``) deletes rows older than ``MOTCUA_ACCESS_LOG_RETENTION_DAYS``, and
records that it did as a row of its own."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency
from motcua.events import AppendOnlyEvent


class AccessKind(models.TextChoices):
    """What was read, and through what."""

    VIEW = "view", _("dossier page")
    LIST = "list", _("list of dossiers")
    PRINT = "print", _("printed form")
    DOWNLOAD = "download", _("document file")
    API = "api", _("API: dossier")
    API_LIST = "api_list", _("API: list of dossiers")
    EXPORT = "export", _("export")
    PURGE = "purge", _("retention purge")


class DossierAccess(AppendOnlyEvent):
    """One read of one or more dossiers' personal data: who (``actor``, on behalf of
    ``agency``), when (``at``), which dossiers (``codes``: space-separated, with a space at both
    ends so that ``" <code> "`` finds one), from where (``ip``, ``user_agent``) and what
    (``kind``, ``path``). A list or an export is one row with all its codes, not one per
    dossier (docs/privacy.md measures the cost)."""

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The agency whose officer read: the one whose administrator reviews the row.
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("what was read"), max_length=10, choices=AccessKind.choices)
    path = models.CharField(_("address"), max_length=500, blank=True)
    codes = models.TextField(_("dossiers"), blank=True)
    count = models.PositiveIntegerField(_("number of dossiers"), default=0)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["agency", "at"], name="dossier_access_agency_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.kind} {self.count}"

    @property
    def code_list(self) -> list[str]:
        return self.codes.split()
