"""Text as people type it: names composed (NFC) without invisible characters, and the checks of
personal ID numbers, tax codes, phone numbers and lists of reasons."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts import validators

DECOMPOSED = unicodedata.normalize("NFD", "Nguyễn Văn Bình")


def _code(check: object, *args: object) -> str | None:
    try:
        check(*args)  # type: ignore[operator]
    except ValidationError as invalid:
        return invalid.code
    return None


def test_a_name_is_composed_and_loses_invisible_characters() -> None:
    """NFD input, a zero-width space, a right-to-left override, tabs and a line break give the
    one-line composed name."""
    typed = f"  {DECOMPOSED[:3]}\u200b{DECOMPOSED[3:]}\u202e \t\n"
    assert DECOMPOSED != "Nguyễn Văn Bình"
    assert validators.clean_line(typed) == "Nguyễn Văn Bình"
    assert validators.clean_line("Lê\u2066 Thị\u2069\u00a0\ufeffHoa") == "Lê Thị Hoa"


def test_an_id_number_loses_invisible_characters_spaces_and_full_width_digits() -> None:
    assert validators.clean_number("079 123\u200d456\u200f789") == "079123456789"
    assert validators.clean_number("０７９１２３４５６７８９") == "079123456789"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("079123456789", None),
        ("07912345678", "invalid_personal_id"),  # 11 digits
        ("0791234567890", "invalid_personal_id"),  # 13 digits
        ("079123456 89", "invalid_personal_id"),
        ("123456789", "invalid_personal_id"),  # the old 9-digit card is not a personal ID
        ("07912345678a", "invalid_personal_id"),
    ],
)
def test_a_personal_id_number_has_12_digits(value: str, code: str | None) -> None:
    assert _code(validators.validate_personal_id, value) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0312345678", None),
        ("0312345678-001", None),
        ("0312345678001", "invalid_tax_code"),  # 13 digits without the dash
        ("031234567", "invalid_tax_code"),
        ("0312345678-01", "invalid_tax_code"),
        ("0312345678_001", "invalid_tax_code"),
    ],
)
def test_a_tax_code_has_10_digits_or_10_a_dash_and_3(value: str, code: str | None) -> None:
    assert _code(validators.validate_tax_code, value) == code


@pytest.mark.parametrize(
    ("typed", "cleaned", "code"),
    [
        ("0912345678", "0912345678", None),
        ("+84 91 234 5678", "0912345678", None),
        ("0084-912.345.678", "0912345678", None),
        ("(0277) 3123 456", "02773123456", None),
        ("091234567", "091234567", "invalid_phone"),  # 9 digits
        ("0112345678", "0112345678", "invalid_phone"),  # no such network prefix
        ("0912345678x", "0912345678x", "invalid_phone"),
        ("1900 1234", "19001234", "invalid_phone"),
    ],
)
def test_a_phone_number_is_vietnamese(typed: str, cleaned: str, code: str | None) -> None:
    assert validators.clean_phone(typed) == cleaned
    assert _code(validators.validate_phone, cleaned) == code


def test_an_applicants_id_follows_the_kind_of_applicant() -> None:
    assert _code(validators.validate_applicant_id, "079123456789", "person") is None
    assert _code(validators.validate_applicant_id, "0312345678", "person") == (
        "invalid_personal_id"
    )
    assert _code(validators.validate_applicant_id, "0312345678-001", "organisation") is None
    assert _code(validators.validate_applicant_id, "079123456789", "organisation") == (
        "invalid_tax_code"
    )


def test_lists_of_reasons_are_bounded_in_number_and_length() -> None:
    fine = ["x" * validators.MAX_LINE_LENGTH] * validators.MAX_LINES
    assert _code(validators.validate_lines, fine) is None
    assert _code(validators.validate_lines, [*fine, "one more"]) == "too_many_lines"
    long = ["ok", "x" * (validators.MAX_LINE_LENGTH + 1)]
    assert _code(validators.validate_lines, long) == "line_too_long"
    with pytest.raises(ValidationError) as on_field:
        validators.validate_lines(long, "reasons")
    assert on_field.value.error_dict["reasons"][0].code == "line_too_long"
    assert "Line 2 is longer than 1000 characters." in on_field.value.messages
