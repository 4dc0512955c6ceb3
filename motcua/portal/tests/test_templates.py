"""Templates and e-forms of required documents: uploaded by a catalogue keeper through the
service (checked by content, recorded as an event), linked from the procedure's page and
downloaded by anyone as an attachment with ``nosniff``; none for others or unknown codes."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue import document_templates
from motcua.catalogue.models import Case, CatalogueEvent
from motcua.testing import Cast, make_user

DOCX = b"PK\x03\x04" + b"\x00" * 40
URL = "/thu-tuc/2.000720/mau/1/TP01/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def keeper(db: None) -> Any:
    return make_user("kim", is_staff=True, is_superuser=True)


def test_a_keeper_sets_a_template_and_anyone_downloads_it(
    client: Client, cast: Cast, business: Case, keeper: Any
) -> None:
    document = business.documents.get(position=1)
    upload = SimpleUploadedFile("Mẫu TK1.docx", DOCX)
    document_templates.set_document_template(document, upload, actor=keeper)
    assert CatalogueEvent.objects.filter(action="template_set").count() == 1
    page = client.get("/thu-tuc/2.000720/").content.decode()
    assert f'href="{URL}"' in page
    for who in (None, cast.henry, cast.alice):
        visitor = Client()
        if who is not None:
            visitor.force_login(who)
        response = visitor.get(URL)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert b"".join(response.streaming_content) == DOCX  # type: ignore[attr-defined]
    api = client.get("/api/v1/procedures/2.000720/").json()
    assert api["cases"][0]["documents"][0]["template_url"] == URL


def test_no_template_or_an_unknown_code_is_404(client: Client, business: Case) -> None:
    for url in (URL, "/thu-tuc/2.000720/mau/1/TP99/", "/thu-tuc/2.000720/mau/1/XX/"):
        assert client.get(url).status_code == 404


def test_a_template_is_checked_by_its_content_and_only_a_keeper_sets_it(
    cast: Cast, business: Case, keeper: Any
) -> None:
    document = business.documents.get(position=1)
    with pytest.raises(ValidationError) as refused:
        document_templates.set_document_template(
            document, SimpleUploadedFile("tk.docx", b"%PDF-1.4 pretending"), actor=keeper
        )
    assert refused.value.code == "template_type"
    with pytest.raises(PermissionDenied):
        document_templates.set_document_template(
            document, SimpleUploadedFile("tk.docx", DOCX), actor=cast.henry
        )
    document.refresh_from_db()
    assert not document.template


def test_the_admin_uploads_the_template(client: Client, business: Case, keeper: Any) -> None:
    document = business.documents.get(position=2)
    client.force_login(keeper)
    url = f"/admin/catalogue/requireddocument/{document.pk}/change/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"template": SimpleUploadedFile("x.docx", b"MZ nope")})
    assert bad.status_code == 200 and not type(document).objects.get(pk=document.pk).template
    response = client.post(url, {"template": SimpleUploadedFile("tk2.docx", DOCX)})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.template.name or "").endswith(".docx")
