"""Online submissions in the making: a citizen's draft (one per procedure and person, resumed
rather than duplicated), the files uploaded against its checklist, and resumable uploads sent
in pieces by the API (``drafts.py`` and ``uploads.py`` write them; docs/uploads.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency
from motcua.catalogue.models import Case, Procedure, RequiredDocument


class Draft(models.Model):
    """A citizen's unfinished online dossier for one procedure: the case and the desk chosen,
    what was typed (kept as typed, even when invalid, so nothing is lost), the files uploaded.
    Submitting it makes the dossier (status 1) and deletes the draft."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        on_delete=models.CASCADE,
        related_name="drafts",
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    agency = models.ForeignKey(
        Agency, verbose_name=_("receiving agency"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    # The applicant's fields, the return method and the postal address, as typed.
    data = models.JSONField(_("entered data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("online draft")
        verbose_name_plural = _("online drafts")
        constraints = [
            models.UniqueConstraint(fields=["owner", "procedure"], name="one_draft_per_procedure"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}/{self.procedure_id}"


class DraftDocument(models.Model):
    """A file uploaded into a draft for one required document of its case (checked as the
    desk checks scans: type from the content, size)."""

    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="documents"
    )
    required = models.ForeignKey(
        RequiredDocument, verbose_name=_("required document"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    file = models.FileField(_("file"), upload_to="drafts/%Y/%m/", max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("draft document")
        verbose_name_plural = _("draft documents")
        constraints = [
            models.UniqueConstraint(fields=["draft", "required"], name="one_file_per_document"),
        ]

    def __str__(self) -> str:
        return self.name


class Upload(models.Model):
    """A resumable upload: the client declares the length, sends the bytes in pieces at the
    offset the server confirms, and after a broken connection asks the offset and goes on.
    Complete and checked, it is referenced by its token in a submission."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    name = models.CharField(_("file name"), max_length=255)
    length = models.PositiveBigIntegerField(_("declared length"))
    offset = models.PositiveBigIntegerField(_("bytes received"), default=0)
    file = models.FileField(_("file"), upload_to="uploads/%Y/%m/", max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("resumable upload")
        verbose_name_plural = _("resumable uploads")

    def __str__(self) -> str:
        return self.token

    @property
    def complete(self) -> bool:
        return self.offset == self.length and bool(self.content_type)


class UploadPart(models.Model):
    """One piece of a resumable upload, stored as received at its offset."""

    upload = models.ForeignKey(
        Upload, verbose_name=_("upload"), on_delete=models.CASCADE, related_name="parts"
    )
    offset = models.PositiveBigIntegerField(_("offset"))
    file = models.FileField(_("file"), upload_to="uploads/parts/", max_length=255)
    size = models.PositiveBigIntegerField(_("size"))

    class Meta:
        verbose_name = _("upload part")
        verbose_name_plural = _("upload parts")
        ordering = ["upload", "offset"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "offset"], name="one_part_per_offset"),
        ]

    def __str__(self) -> str:
        return f"{self.upload_id}@{self.offset}"
