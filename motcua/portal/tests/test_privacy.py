"""The portal's privacy notice (Decree 13/2023/NĐ-CP): public, in Vietnamese by default and in
English on request, saying what is collected, why, for how long (the access log's retention
from the setting), the rights and whom to ask; linked from every page's footer and from the
registration form."""

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

URL = "/quyen-rieng-tu/"

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_notice_in_vietnamese_by_default(settings: Any) -> None:
    settings.MOTCUA_ACCESS_LOG_RETENTION_DAYS = 365
    settings.MOTCUA_PRIVACY_CONTACT = "Văn phòng UBND tỉnh, dulieucanhan@example.gov.vn"
    with translation.override("vi"):
        response = Client().get(URL, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Thông báo về quyền riêng tư" in body  # the title, translated
    for section in ("collected", "purpose", "retention", "rights", "contact"):
        assert f'id="{section}"' in body
    assert "365" in body and "dulieucanhan@example.gov.vn" in body
    assert "Nghị định 13/2023/NĐ-CP" in body


def test_the_notice_reads_in_english_and_says_when_the_log_is_kept_forever(
    settings: Any,
) -> None:
    settings.MOTCUA_ACCESS_LOG_RETENTION_DAYS = 0
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(URL).content.decode()
    assert "Privacy notice" in body and "Your rights" in body
    assert "kept without a time limit" in body


def test_the_footer_and_the_registration_form_link_to_the_notice() -> None:
    client = Client()
    assert f'href="{URL}"' in client.get("/").content.decode()
    assert f'href="{URL}"' in client.get("/dang-ky/").content.decode()
