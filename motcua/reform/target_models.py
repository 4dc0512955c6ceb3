"""Yearly targets per agency and the commitment each agency signs (issue 16, item 2).

A target is either measured by the system (``metric`` names one of ``reform.measures``, and
the figure is read live from the reports, never stored) or reported by hand by the agency's
focal point with evidence (``metric`` empty)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency


class Metric(models.TextChoices):
    """What the system measures from the dossier reports (ONE-STOP.md §5, 2025 targets)."""

    ON_TIME = "on_time", _("dossiers resolved on time (%)")
    ONLINE_PAYMENT = "online_payment", _("fee-bearing dossiers paid online (%)")
    FULL_ONLINE = "full_online", _("procedures offered fully online (%)")
    APOLOGIES = "apologies", _("late dossiers with an apology letter (%)")
    DIGITISED = "digitised", _("dossiers digitised (%)")
    REUSE = "reuse", _("digitised components re-used (%)")


class Target(models.Model):
    """One target of an agency for a year: measured (``metric``) or reported by hand."""

    year = models.PositiveSmallIntegerField(_("year"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="reform_targets"
    )
    metric = models.CharField(
        _("measured by the system"), max_length=16, blank=True, choices=Metric.choices
    )
    name = models.CharField(_("target"), max_length=255)
    threshold = models.DecimalField(_("at least"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=32, default="%")
    # Reported by hand (metric empty): the figure reached, whether it is met, the evidence.
    actual = models.DecimalField(
        _("figure reached"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    evidence = models.FileField(_("evidence"), upload_to="reform/targets/%Y/", blank=True)
    note = models.TextField(_("note"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reform target")
        verbose_name_plural = _("reform targets")
        ordering = ["year", "agency__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "agency", "metric"],
                condition=~Q(metric=""),
                name="reform_target_metric_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Commitment(models.Model):
    """The commitment an agency's head signs with the province for a year's reform results."""

    year = models.PositiveSmallIntegerField(_("year"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("signed on"))
    signer = models.CharField(_("signed by"), max_length=150)
    content = models.TextField(_("content"), blank=True)
    document = models.FileField(
        _("signed document"), upload_to="reform/commitments/%Y/", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reform commitment")
        verbose_name_plural = _("reform commitments")
        ordering = ["year", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "agency"], name="reform_commitment_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.agency}"
