"""The public signature check (``/kiem-tra-chu-ky/``): anyone uploads a PDF and reads the
verdict, the signer, the chain and the time, in Vietnamese by default; nothing is kept; checks
count against the address's lookup rate."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.signing.keys import pkcs12_signer
from motcua.signing.pades import sign_pdf
from motcua.signing.tests.pki import PASSPHRASE, Pki, serve_test_pki
from motcua.signing.tests.test_signing import STAMP, a_pdf
from motcua.signing.trust import Trust

URL = "/kiem-tra-chu-ky/"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    with serve_test_pki(tmp_path_factory.mktemp("pki")) as served:
        yield served


@pytest.fixture
def trusted(pki: Pki, settings: Any) -> Pki:
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.roots_file())]
    settings.MOTCUA_TRACK_RATE = "100/minute"
    cache.clear()
    return pki


def signed(pki: Pki) -> bytes:
    trust = Trust.from_files([pki.roots_file()])
    signer = pkcs12_signer(pki.pkcs12("signer"), PASSPHRASE.decode())
    return sign_pdf(a_pdf(), signer, STAMP, trust).data


def post(data: bytes, name: str = "ket-qua.pdf") -> Any:
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return Client().post(URL, {"document": upload}, HTTP_ACCEPT_LANGUAGE="vi")


def test_every_portal_page_links_to_the_check() -> None:
    body = Client().get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert f'href="{URL}"' in body and "Kiểm tra chữ ký số" in body


def test_anyone_sees_the_form() -> None:
    response = Client().get(URL, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert "Kiểm tra chữ ký số" in response.content.decode()


def test_a_valid_signature_names_the_signer_and_the_chain(trusted: Pki) -> None:
    response = post(signed(trusted))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hợp lệ" in body
    assert "Nguyễn Văn Lãnh Đạo → MotCua Test Intermediate → MotCua Test Root" in body


def test_a_changed_byte_reads_modified(trusted: Pki) -> None:
    data = bytearray(signed(trusted))
    at = data.index(b"stream") + 20
    data[at] ^= 0x01
    body = post(bytes(data)).content.decode()
    assert "Đã bị sửa đổi sau khi ký" in body


def test_without_the_root_configured_the_signer_is_not_trusted(trusted: Pki, settings: Any) -> None:
    data = signed(trusted)
    settings.MOTCUA_SIGNING_TRUST_ROOTS = []
    assert "Người ký không được tin cậy" in post(data).content.decode()


def test_unsigned_and_foreign_files(trusted: Pki) -> None:
    assert "Chưa được ký" in post(a_pdf()).content.decode()
    assert "Không phải tệp PDF" in post(b"GIF89a", "anh.gif").content.decode()


def test_no_file_is_a_clear_error_and_nothing_is_checked() -> None:
    response = Client().post(URL, {}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "field-error" in response.content.decode()


def test_checks_count_against_the_lookup_rate(trusted: Pki, settings: Any) -> None:
    settings.MOTCUA_TRACK_RATE = "1/minute"
    cache.clear()
    assert post(a_pdf()).status_code == 200
    limited = post(a_pdf())
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1


def test_the_file_is_not_kept(trusted: Pki, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    post(signed(trusted))
    assert list(tmp_path.rglob("*")) == []
