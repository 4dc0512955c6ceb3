"""Electronic copies signed at the desk (issue #15): the desk signs the electronic copy of the
receipt (Form 01) and of the scanned papers it received (Circular 03/2025: the desk scans and
signs the electronic copy of what it receives — article to verify). One row per signed copy,
beside the dossier's ``sign`` event that records the same signature; a copy is signed once
(a second signature of the same paper is refused, ``already_signed``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SignedKind(models.TextChoices):
    RECEIPT = "receipt", _("receipt (Form 01)")
    SCAN = "scan", _("scanned paper")


def signed_copy_path(instance: "SignedCopy", filename: str) -> str:
    return f"dossiers/{instance.dossier.code}/ky-so/{instance.sha256[:16]}-{filename}"


class SignedCopy(models.Model):
    """A PDF signed by a desk officer with their key (a PKCS#11 token or a PKCS#12 file, the
    key never stored): what was signed, the signed file and its SHA-256, the unsigned one's,
    the certificate's SHA-256 fingerprint and the name in it, who signed and when. Never
    edited."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="signed_copies",
    )
    kind = models.CharField(_("what was signed"), max_length=12, choices=SignedKind.choices)
    # The scanned paper signed (none for the receipt).
    document = models.ForeignKey(
        "dossiers.DossierDocument",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_copies",
    )
    name = models.CharField(_("name"), max_length=500)
    file = models.FileField(_("file"), upload_to=signed_copy_path, max_length=300)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    unsigned_sha256 = models.CharField(_("SHA-256 before signing"), max_length=64)
    certificate_sha256 = models.CharField(_("certificate fingerprint (SHA-256)"), max_length=64)
    signer_name = models.CharField(_("name in the certificate"), max_length=300)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("signed electronic copy")
        verbose_name_plural = _("signed electronic copies")
        ordering = ["dossier", "pk"]
        constraints = [
            # Signed once: the receipt once per dossier, each scanned paper once.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(kind="receipt"), name="one_signed_receipt"
            ),
            models.UniqueConstraint(
                fields=["document"], condition=Q(kind="scan"), name="one_signed_copy_per_scan"
            ),
        ]

    def __str__(self) -> str:
        return self.name
