"""Amounts of Vietnamese đồng as the reader's language prints them: "1.500.000 đồng" in
Vietnamese and "1,500,000 VND" in English (fees are the catalogue's; the dossier engine's
messages and the workspace's ``vnd`` filter print them the same way).

The separator comes from Django's localisation (the active language's ``THOUSAND_SEPARATOR``);
the grouping by three is forced, since Django's Vietnamese formats set no ``NUMBER_GROUPING``
and amounts of đồng are always grouped. The unit is a translated string."""

from decimal import Decimal, InvalidOperation

from django.utils import formats, numberformat
from django.utils.translation import gettext as _


def format_vnd(amount: object) -> str:
    """``amount`` (a number of đồng, no decimals) grouped by thousands, with its unit."""
    try:
        value = Decimal(str(amount)).quantize(Decimal(1))
    except (InvalidOperation, ValueError):
        return ""
    grouped = numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=0,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )
    return _("%(amount)s VND") % {"amount": grouped}
