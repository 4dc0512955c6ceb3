"""Re-use of a digitised paper for a later dossier of the same person (issue 15).

Decree 45/2020/NĐ-CP art. 26 and Decree 107/2021/NĐ-CP: an agency does not ask again for a paper
already digitised in an earlier procedure; it uses the electronic copy and records the re-use.
``reuse_paper`` copies the paper's file into the new dossier's checklist document through the
engine (``documents.attach``, which checks the file and appends the ``attach`` event) and
appends a ``PaperReuse`` row, all in one transaction."""

import datetime as dt
from pathlib import PurePosixPath

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.digitisation.models import DigitisedPaper, PaperReuse
from motcua.digitisation.queries import check_desk, reusable_papers
from motcua.dossiers import documents
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.errors import Refused, invalid

# The desk attaches a re-used paper while it receives the dossier: an online dossier waiting
# for reception (1) or one just received (2).
AT_RECEPTION = frozenset({Status.NEW, Status.RECEIVED})


def reuse_paper(
    dossier: Dossier,
    *,
    paper_id: int,
    document_id: int,
    actor: User,
    now: dt.datetime | None = None,
) -> PaperReuse:
    """Fill the checklist document ``document_id`` of ``dossier`` with the digitised paper
    ``paper_id`` of the same applicant, and log the re-use."""
    now = now or timezone.now()
    check_desk(actor, dossier.receiving_agency)
    if dossier.status not in AT_RECEPTION:
        raise Refused(
            _("A digitised paper is re-used while the desk receives the dossier."),
            code="reuse_not_at_reception",
        )
    paper = _offered(dossier, paper_id, timezone.localdate(now))
    document = dossier.documents.filter(pk=document_id, required__isnull=False).first()
    if document is None:
        raise invalid("reuse_no_such_document", _("No such document in this dossier."), "document")
    if document.file:
        raise invalid(
            "reuse_document_filled",
            _("This document already has a file: the paper is not needed."),
            "document",
        )
    with paper.document.file.open("rb") as source:
        content = source.read()
    upload = SimpleUploadedFile(
        PurePosixPath(paper.document.file.name or "tep.pdf").name, content, paper.content_type
    )
    with transaction.atomic():
        filled = documents.attach(
            dossier, actor=actor, upload=upload, document_id=document.pk, now=now
        )
        return PaperReuse.objects.create(
            paper=paper,
            owner_id_number=paper.owner_id_number,
            dossier=dossier,
            document=filled,
            agency=dossier.receiving_agency,
            actor=actor,
            at=now,
        )


def _offered(dossier: Dossier, paper_id: int, on: dt.date) -> DigitisedPaper:
    """The paper, if it is a re-usable paper of this dossier's applicant from another dossier."""
    paper = (
        reusable_papers(dossier.applicant_id_number, on)
        .exclude(dossier=dossier)
        .select_related("document")
        .filter(pk=paper_id)
        .first()
    )
    if paper is None:
        raise invalid(
            "reuse_paper_not_offered",
            _("This paper is not a digitised paper of the applicant that may be re-used."),
            "paper",
        )
    return paper
