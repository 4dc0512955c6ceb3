"""The register of digitised papers and the log of their re-use (issue 15).

Decree 45/2020/NĐ-CP art. 25–26 and Decree 107/2021/NĐ-CP: a paper received and digitised once
(its electronic copy kept with its metadata) is not asked for again; a later procedure of the
same person re-uses it, and each re-use is recorded so that the person can see who used what.
Circular 03/2025 has the desk scan the papers it receives. ``recording.py`` fills the register
from the engine's events; ``services.reuse_paper`` writes the log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency
from motcua.catalogue.models import RequiredDocument
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.events import AppendOnlyEvent


class PaperKind(models.TextChoices):
    SCAN = "scan", _("scanned at the desk")
    UPLOAD = "upload", _("uploaded by the applicant")
    RESULT = "result", _("result issued")


class DigitisedPaper(models.Model):
    """One dossier document with a file: what it is (the catalogue's required document, its
    name), whose paper (the applicant's ID number), from which dossier, who scanned or uploaded
    it and when, who signed it and when, and how long it is valid. One row per document; a
    document filled by re-use has its row too, and its ``PaperReuse`` names the original."""

    owner_id_number = models.CharField(_("owner's ID number"), max_length=20, blank=True)
    owner_name = models.CharField(_("owner"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=PaperKind.choices)
    required = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("required document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=500)
    # Lower case without diacritics (``catalogue.text.search_key``): the same paper asked for
    # by another procedure (or another version of this one) is matched on it.
    name_key = models.CharField(_("search key"), max_length=500, editable=False, default="")
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="digitised_papers",
    )
    document = models.OneToOneField(
        DossierDocument,
        verbose_name=_("dossier document"),
        on_delete=models.PROTECT,
        related_name="digitised",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("digitised by agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scanned or uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scanned_at = models.DateTimeField(_("digitised at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("name in the certificate"), max_length=255, blank=True)
    certificate_sha256 = models.CharField(_("certificate SHA-256"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # Empty: no known end (most papers: birth certificates, diplomas). A result with a term
    # (a licence valid for five years) ends then; an expired paper is never offered again.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("digitised paper")
        verbose_name_plural = _("digitised papers")
        ordering = ["-scanned_at", "-pk"]
        indexes = [
            models.Index(fields=["owner_id_number", "scanned_at"], name="digitised_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.dossier.code})"


class PaperReuse(AppendOnlyEvent):
    """One re-use of a digitised paper for a later dossier of the same person: which paper, by
    which agency and officer, for which dossier (and the document it filled there), when. The
    person reads these in "Hồ sơ của tôi" (Decree 45/2020 art. 26: re-use is recorded)."""

    paper = models.ForeignKey(
        DigitisedPaper,
        verbose_name=_("digitised paper"),
        on_delete=models.PROTECT,
        related_name="reuses",
    )
    owner_id_number = models.CharField(_("owner's ID number"), max_length=20)
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("for dossier"), on_delete=models.PROTECT, related_name="reuses"
    )
    document = models.OneToOneField(
        DossierDocument,
        verbose_name=_("document filled"),
        on_delete=models.PROTECT,
        related_name="reused_from",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("by agency"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("re-use of a digitised paper")
        verbose_name_plural = _("re-uses of digitised papers")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["owner_id_number", "at"], name="paper_reuse_owner")]

    def __str__(self) -> str:
        return f"{self.paper.name} → {self.dossier.code}"
