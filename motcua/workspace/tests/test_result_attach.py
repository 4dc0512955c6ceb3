"""The officer processing a dossier attaches the signed result as its electronic copy (the
file the applicant downloads on the portal once it is returned electronically): the box is
offered only while the dossier is processed, and ticking it marks the document."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.testing import Cast

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_the_result_box_is_offered_only_while_processing(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.alice)
    page = client.get(f"/workspace/dossiers/{received.code}/")
    assert "result" not in page.context["attach_form"].fields
    services.forward(received, actor=cast.alice)
    client.force_login(cast.bob)
    page = client.get(f"/workspace/dossiers/{received.code}/")
    assert "result" in page.context["attach_form"].fields
    received.refresh_from_db()
    response = client.post(
        f"/workspace/dossiers/{received.code}/attach/",
        {
            "revision": received.revision,
            "uploads": [SimpleUploadedFile("giay-phep.pdf", PDF)],
            "name": "Giấy chứng nhận",
            "result": "on",
        },
    )
    assert response.status_code == 302
    assert received.documents.get(name="Giấy chứng nhận").result
