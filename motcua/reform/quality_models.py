"""ISO 9001 quality management systems per agency (issue 16, item 5): whether the agency
applies TCVN ISO 9001:2015 to its administrative work (Decision 19/2014/QĐ-TTg, as replaced by
Decision 101/QĐ-TTg of 2025 [I]), when it announced it, over which procedures, and the internal
audits since. The province's figures count the agencies that announced."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency
from motcua.catalogue.models import Procedure


class QualitySystem(models.Model):
    """One agency's quality management system (one row per agency, kept up to date)."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="quality_system"
    )
    applies = models.BooleanField(_("applies the standard"), default=False)
    standard = models.CharField(_("standard"), max_length=64, default="TCVN ISO 9001:2015")
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    certificate = models.CharField(
        _("announcement or certificate number"), max_length=64, blank=True
    )
    scope = models.TextField(_("scope"), blank=True)
    procedures = models.ManyToManyField(
        Procedure, verbose_name=_("procedures in scope"), blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("quality management system")
        verbose_name_plural = _("quality management systems")
        ordering = ["agency__code"]

    def __str__(self) -> str:
        return f"{self.agency} – {self.standard}"


class InternalAudit(models.Model):
    """An internal audit of an agency's quality management system."""

    system = models.ForeignKey(
        QualitySystem,
        verbose_name=_("quality system"),
        on_delete=models.CASCADE,
        related_name="audits",
    )
    audited_on = models.DateField(_("audited on"))
    nonconformities = models.PositiveSmallIntegerField(_("nonconformities found"), default=0)
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        ordering = ["system", "-audited_on"]

    def __str__(self) -> str:
        return f"{self.system.agency} {self.audited_on:%d/%m/%Y}"
