"""The Django admin and the password checks speak Vietnamese where Django's own catalogue has no
translation (issue #10, item 16): ``motcua/django_messages.py`` lists those strings and our
catalogue translates them."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from motcua.testing import Cast

MESSAGES = Path(__file__).resolve().parents[1] / "django_messages.py"


def listed() -> list[str]:
    tree = ast.parse(MESSAGES.read_text())
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def test_every_listed_django_message_has_a_vietnamese_translation() -> None:
    messages = listed()
    assert len(messages) >= 47
    with translation.override("vi"):
        untranslated = [m for m in messages if translation.gettext(m) == m]
    assert untranslated == []


def test_a_short_password_is_refused_in_vietnamese() -> None:
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        MinimumLengthValidator(min_length=12).validate("ngắn")
    assert refused.value.messages == ["Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 12 ký tự."]


def test_the_admin_speaks_vietnamese(client: Client, cast: Cast) -> None:
    client.force_login(cast.grace)
    cast.grace.is_staff = cast.grace.is_superuser = True
    cast.grace.save(update_fields=["is_staff", "is_superuser"])
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Chuyển đến nội dung chính" in page
    assert "Skip to main content" not in page
