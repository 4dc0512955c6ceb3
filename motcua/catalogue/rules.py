"""Statutory checks on the catalogue that need no database."""

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.catalogue.models import TimeUnit


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def check_allowances(
    processing_time: Decimal | None, time_unit: str, allowances: Sequence[Decimal]
) -> None:
    """The steps of an internal process must share out exactly the statutory time (Decree
    118/2025/NĐ-CP art. 23; earlier Decree 61/2018/NĐ-CP art. 25 and Circular 01/2018/TT-VPCP:
    the internal process states each step's time, and together they make the procedure's time).

    A case without a fixed return date may have any allowances."""
    if time_unit == TimeUnit.NONE or processing_time is None or not allowances:
        return
    total = sum(allowances, Decimal(0))
    if total == processing_time:
        return
    unit_label = TimeUnit(time_unit).label
    difference = processing_time - total
    raise ValidationError(
        _(
            "The steps add up to %(total)s %(unit)s but the statutory time is %(time)s %(unit)s: "
            "%(difference)s %(unit)s %(direction)s."
        )
        % {
            "total": _fmt(total),
            "time": _fmt(processing_time),
            "unit": unit_label,
            "difference": _fmt(abs(difference)),
            "direction": _("missing") if difference > 0 else _("too many"),
        },
        code="allowances_do_not_add_up",
    )
