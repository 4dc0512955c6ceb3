"""``{{ amount|vnd }}``: an amount of Vietnamese đồng as the reader's language prints it,
"1.500.000 đồng" in Vietnamese and "1,500,000 VND" in English (``catalogue.money``)."""

from django import template

from motcua.catalogue.money import format_vnd

__all__ = ["format_vnd", "vnd"]

register = template.Library()


@register.filter
def vnd(amount: object) -> str:
    return "" if amount is None or amount == "" else format_vnd(amount)
