"""Papers demanded beyond the procedure's published list (giấy tờ ngoài danh mục): one row per
paper an officer named at the desk's checklist or in a supplement request (Form 02) that the
case's published list of documents does not hold, with the legal basis the officer typed.

Demanding papers the published list does not require is a prohibited act (Decree 61/2018 art. 5,
carried by Decree 118/2025; see ``extra_papers.py``). The rows are written in the transaction of
the intake or the supplement request, beside its event; the reform office's report counts them
per agency and officer without reading events or dossiers (``reports/extra_papers.py``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency


class ExtraPaperSource(models.TextChoices):
    CHECKLIST = "checklist", _("desk checklist")
    SUPPLEMENT = "supplement", _("supplement request")


class ExtraPaperDemand(models.Model):
    """One paper outside the case's published list that an officer demanded, with its legal
    basis; never edited (the dossier's event holds the same paper)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="extra_paper_demands",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    source = models.CharField(_("source"), max_length=12, choices=ExtraPaperSource.choices)
    name = models.CharField(_("paper"), max_length=1000)
    legal_basis = models.CharField(_("legal basis"), max_length=1000)

    class Meta:
        verbose_name = _("paper beyond the published list")
        verbose_name_plural = _("papers beyond the published list")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["at", "agency"], name="extra_paper_at_agency")]

    def __str__(self) -> str:
        return self.name
