"""The portal's forms: procedure search and tracking by code."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.filters import LEVEL_FLAGS
from motcua.portal import procedures

LEVELS = {
    "central": _("Central level"),
    "province": _("Provincial level"),
    "district": _("District level (before 1 July 2025)"),
    "commune": _("Commune level"),
}


class SearchForm(forms.Form):
    """Words (accents optional) or a national code, and the field, level and agency."""

    q = forms.CharField(label=_("Procedure name or code"), max_length=200, required=False)
    field = forms.ChoiceField(label=_("Field"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    agency = forms.ChoiceField(label=_("Receiving agency"), required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything: list[tuple[str, object]] = [("", _("All"))]
        choices: dict[str, list[tuple[str, object]]] = {
            "field": [(f.code, f.name) for f in procedures.fields_in_force(today)],
            "level": [(k, LEVELS[k]) for k in LEVEL_FLAGS],
            "agency": [(a.code, a.name) for a in procedures.receiving_agencies(today)],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
            field.choices = everything + options


class TrackForm(forms.Form):
    """A dossier's code, and optionally the PIN printed on its receipt (Form 01)."""

    code = forms.CharField(
        label=_("Dossier code"),
        max_length=64,
        help_text=_("As printed on the receipt, e.g. H56.22-260302-0001."),
    )
    pin = forms.CharField(
        label=_("PIN (optional)"),
        max_length=32,
        required=False,
        help_text=_("The PIN printed on the receipt shows the applicant's name and documents."),
    )
