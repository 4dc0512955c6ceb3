"""Digitisation test data, built through the real services: dossiers received at the desk with
their papers scanned (``dossiers.reception.receive_with_scans``)."""

import dataclasses
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalogue.models import Case
from motcua.dossiers import reception
from motcua.dossiers.intake import Applicant
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake
from motcua.testing import Cast

# The citizen henry's ID number (motcua.testing.Cast).
HENRY_ID = "079123456789"


def pdf(text: str = "giay to") -> bytes:
    return f"%PDF-1.4\n% {text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


def scanned_dossier(
    cast: Cast,
    case: Case,
    *,
    id_number: str = HENRY_ID,
    now: dt.datetime | None = None,
    content: bytes | None = None,
) -> Dossier:
    """A dossier of the person ``id_number`` received by alice with each mandatory paper
    scanned (the same ``content`` for each when given)."""
    entered = complete_intake(case)
    entered = dataclasses.replace(
        entered,
        applicant=Applicant(name="Trần Văn Hải", id_number=id_number, phone="0912345678"),
    )
    scans = {
        item.required_id: SimpleUploadedFile(
            f"scan-{item.required_id}.pdf", content or pdf(f"tp {item.required_id}")
        )
        for item in entered.checklist
        if item.required_id is not None
    }
    return reception.receive_with_scans(
        entered, agency=cast.agency, actor=cast.alice, scans=scans, now=now
    )


def unscanned_dossier(
    cast: Cast, case: Case, *, id_number: str = HENRY_ID, now: dt.datetime | None = None
) -> Dossier:
    """A dossier of the person ``id_number`` received by alice without scans."""
    entered = complete_intake(case)
    entered = dataclasses.replace(
        entered,
        applicant=Applicant(name="Trần Văn Hải", id_number=id_number, phone="0912345678"),
    )
    return reception.receive_with_scans(
        entered, agency=cast.agency, actor=cast.alice, scans={}, now=now
    )
