"""Validators for official identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
