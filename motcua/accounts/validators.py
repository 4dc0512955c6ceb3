"""Validators for official identifiers and for text as people type it (names, ID numbers, tax
codes, phone numbers, lists of reasons): the one place serializers, forms and imports use."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.errors import on_field

# Decision 20/2020/QĐ-TTg on electronic identification codes of agencies: at most 35 characters of
# capital letters, digits and dots; the level-1 group is M X1 X2 (a capital letter and two digits,
# e.g. H56 for a province's People's Committee), and each lower level adds a dot-separated group
# (e.g. H56.22, H56.22.10). Lower-level groups are two or three capitals or digits. [domain §2]
AGENCY_CODE_RE = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{2,3}){0,4}$")
AGENCY_CODE_MAX_LENGTH = 35


def validate_agency_code(value: str) -> None:
    """Raise ValidationError unless ``value`` is an agency electronic ID of Decision 20/2020."""
    if len(value) > AGENCY_CODE_MAX_LENGTH or not AGENCY_CODE_RE.fullmatch(value):
        raise ValidationError(
            _(
                "“%(value)s” is not an electronic ID code under Decision 20/2020/QĐ-TTg: "
                "expected a capital letter and two digits (e.g. H56), then dot-separated groups "
                "of 2–3 capitals or digits (e.g. H56.22), at most 35 characters."
            ),
            code="invalid_agency_code",
            params={"value": value},
        )


# Personal identification number (CCCD, 12 digits) or the older 9-digit identity card number;
# organisations use their tax/enterprise code (10 or 13 with a dash). Checked loosely: the
# authoritative check is against the national population database, which is out of scope here.
ID_NUMBER_RE = re.compile(r"^([0-9]{9}|[0-9]{12}|[0-9]{10}(-[0-9]{3})?)$")


def validate_id_number(value: str) -> None:
    if not ID_NUMBER_RE.fullmatch(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid identification number: expected a 12-digit personal "
                "ID, a 9-digit identity card number or a 10/13-digit tax code."
            ),
            code="invalid_id_number",
            params={"value": value},
        )


# --- text as people type it ------------------------------------------------------------------
#
# Names and numbers arrive from keyboards, copy-and-paste and old files. Vietnamese text may come
# decomposed (a letter and its combining tone mark: "Nguyễn" typed on a Mac is 8 code points, on
# Windows 6), which makes two equal-looking names compare, sort and search as different; so text
# is stored composed (NFC). Zero-width and bidirectional control characters are invisible: they
# make "079123456789" and "0791234567\u200b89" different numbers, and a bidi override shows a
# name or number reversed on screen and on printed forms. They have no place in a name or a
# number and are removed.

INVISIBLE_RE = re.compile(
    "[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\u3164\ufeff\uffa0\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
WHITESPACE_RE = re.compile(r"\s+")


def clean_line(value: str) -> str:
    """``value`` composed (NFC), without invisible characters, on one line with single spaces:
    for names (of applicants, proxies, users) and other one-line text."""
    text = INVISIBLE_RE.sub("", unicodedata.normalize("NFC", value))
    return WHITESPACE_RE.sub(" ", text).strip()


def clean_number(value: str) -> str:
    """An identifier as typed, made comparable: compatibility-normalised (NFKC turns full-width
    digits into ASCII ones), without invisible characters or spaces."""
    text = INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", value))
    return WHITESPACE_RE.sub("", text)


# Law on Identification 2023 (No. 26/2023/QH15) art. 12 (earlier Decree 137/2015/NĐ-CP art. 13):
# a citizen's personal identification number, printed on the citizen identity card (CCCD), is a
# sequence of 12 digits.
PERSONAL_ID_RE = re.compile(r"^[0-9]{12}$")
# Circular 105/2020/TT-BTC art. 5: a tax code has 10 digits (an enterprise or organisation), or
# 13 written as the 10 digits of the parent, a dash and 3 digits (a dependent unit or branch).
TAX_CODE_RE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")
# The national numbering plan (Circular 22/2014/TT-BTTTT as amended; the 2018 conversion of
# 11-digit mobile numbers): mobile numbers are 0 and 9 digits with the network prefix 3, 5, 7,
# 8 or 9; fixed lines are 0, a two-digit province code starting with 2, and 8 digits. The
# international form +84 (or 0084) stands for the leading 0.
PHONE_RE = re.compile(r"^0([35789][0-9]{8}|2[0-9]{9})$")
PHONE_SEPARATORS_RE = re.compile(r"[\s.\-()]")


def validate_personal_id(value: str) -> None:
    """Raise ValidationError unless ``value`` is a 12-digit personal identification number."""
    if not PERSONAL_ID_RE.fullmatch(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a personal identification number: it has 12 digits, as on "
                "the citizen identity card (CCCD)."
            ),
            code="invalid_personal_id",
            params={"value": value},
        )


def validate_tax_code(value: str) -> None:
    """Raise ValidationError unless ``value`` is a 10-digit tax code or a 13-digit one written
    as 10 digits, a dash and 3 digits."""
    if not TAX_CODE_RE.fullmatch(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a tax code: it has 10 digits, or 10 digits, a dash and "
                "3 digits for a branch or dependent unit (e.g. 0312345678-001)."
            ),
            code="invalid_tax_code",
            params={"value": value},
        )


def clean_phone(value: str) -> str:
    """A phone number as typed, without spaces, dots, dashes or brackets, in the national form
    (0…): ``+84 91 234 5678`` becomes ``0912345678``."""
    text = PHONE_SEPARATORS_RE.sub("", clean_number(value))
    for prefix in ("+84", "0084"):
        if text.startswith(prefix):
            return "0" + text[len(prefix) :]
    return text


def validate_phone(value: str) -> None:
    """Raise ValidationError unless ``value`` (as ``clean_phone`` leaves it) is a Vietnamese
    mobile (10 digits) or fixed-line (11 digits) number."""
    if not PHONE_RE.fullmatch(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a Vietnamese phone number: a mobile number has 10 digits "
                "(e.g. 0912345678), a fixed line 11 (e.g. 02773123456); +84 may stand for the "
                "first 0."
            ),
            code="invalid_phone",
            params={"value": value},
        )


def validate_applicant_id(value: str, kind: str) -> None:
    """A person is identified by a 12-digit personal ID number, an organisation by its tax
    code (``kind`` is a dossier's applicant kind: ``person`` or ``organisation``)."""
    if kind == "organisation":
        validate_tax_code(value)
    else:
        validate_personal_id(value)


# Reasons for a refusal (Form 03) and missing items (Form 02) are printed one per line: a list
# longer than a printed page or two, or a line longer than a paragraph, is a mistake (or an
# attack: 50,000 reasons take seconds to print) and is refused.
MAX_LINES = 50
MAX_LINE_LENGTH = 1000


def validate_lines(lines: list[str], field: str | None = None) -> None:
    """Raise ValidationError (on ``field`` when given) when there are more than ``MAX_LINES``
    lines or one is longer than ``MAX_LINE_LENGTH`` characters."""
    problem: ValidationError | None = None
    if len(lines) > MAX_LINES:
        problem = ValidationError(
            _("At most %(max)s lines, not %(count)s."),
            code="too_many_lines",
            params={"max": MAX_LINES, "count": len(lines)},
        )
    else:
        number = next((n for n, line in enumerate(lines, 1) if len(line) > MAX_LINE_LENGTH), 0)
        if number:
            problem = ValidationError(
                _("Line %(number)s is longer than %(max)s characters."),
                code="line_too_long",
                params={"number": number, "max": MAX_LINE_LENGTH},
            )
    if problem is not None:
        raise on_field(problem, field) if field else problem
