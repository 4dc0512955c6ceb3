"""Forms of the agency administration screens. They only parse; ``accounts``, ``catalogue`` and
``workdays`` services decide and write."""

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from motcua.accounts import validators
from motcua.accounts.models import Role
from motcua.catalogue.specs import StepSpec
from motcua.workdays.models import OverrideKind

# The roles an agency administrator grants in their agency, in the order of the workflow.
# Citizen, reform officer and system administrator are not held in an agency and are granted
# by system administrators only (``accounts.grants.check_may_grant``).
GRANTABLE_ROLES = (
    Role.DESK_OFFICER,
    Role.SPECIALIST,
    Role.HEAD_OF_DEPARTMENT,
    Role.SIGNING_LEADER,
    Role.AGENCY_ADMIN,
)
# Who may hold a step of an internal process (the dossier workflow's officer roles).
STEP_ROLES = GRANTABLE_ROLES[:4]


def _role_choices(roles: tuple[Role, ...]) -> list[tuple[str, Any]]:
    # Lazy labels: each request renders them in its own language.
    return [(role.value, role.label) for role in roles]


def temporary_password() -> str:
    """A random password to hand over once: 14 URL-safe characters (about 84 bits)."""
    return secrets.token_urlsafe(11)[:14]


class OfficerForm(forms.Form):
    """A new official's account and first role at the agency."""

    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices(GRANTABLE_ROLES))
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to generate a temporary password, shown once."),
    )

    def clean_full_name(self) -> str:
        # Composed, without invisible characters (accounts.validators, as for applicants).
        name = validators.clean_line(self.cleaned_data["full_name"])
        if not name:
            raise forms.ValidationError(_("This field is required."), code="required")
        return name

    def clean_phone(self) -> str:
        phone = validators.clean_phone(self.cleaned_data["phone"])
        if phone:
            validators.validate_phone(phone)  # SMS notices go to it
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Give an e-mail address or a phone number."))
        return cleaned


class GrantForm(forms.Form):
    """A role at the agency for an existing user."""

    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices(GRANTABLE_ROLES))


class DecisionForm(forms.Form):
    """Confirm or reject a pending role grant; a rejection says why."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("confirm", _("Confirm")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject; kept in the audit trail."),
    )
    back = forms.ChoiceField(
        choices=[("grants", "grants"), ("users", "users")],
        required=False,
        widget=forms.HiddenInput,
    )


class AllowanceField(forms.DecimalField):
    """A time allowance. The page uses a number input (the browser shows the user's decimal
    mark and sends a dot); a comma typed elsewhere is read as the decimal mark too. There are
    no thousands separators to strip: an allowance is a few days or hours."""

    widget = forms.NumberInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:  # a Decimal or None, as DecimalField gives
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["step"] = "0.01"
        return attrs


class StepForm(forms.Form):
    """One step of an internal process; its position is its row's order."""

    name = forms.CharField(label=_("Step"), max_length=300)
    role = forms.ChoiceField(label=_("Responsible role"), choices=_role_choices(STEP_ROLES))
    unit = forms.CharField(label=_("Responsible unit"), max_length=200)
    allowance = AllowanceField(label=_("Allowance"))
    agency = forms.CharField(
        label=_("Other agency (code)"),
        max_length=35,
        required=False,
        help_text=_("Only for a step done at another agency."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The rows are a table: each input says what it is to a screen reader.
        for form_field in self.fields.values():
            form_field.widget.attrs.setdefault("aria-label", str(form_field.label))

    def spec(self) -> StepSpec:
        data = self.cleaned_data
        return StepSpec(
            name=data["name"],
            role=data["role"],
            unit=data["unit"],
            allowance=data["allowance"],
            agency=data["agency"].strip().upper(),
        )


class BaseStepFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def specs(self) -> list[StepSpec]:
        """The rows kept (not removed, not left blank), in order."""
        return [
            form.spec()
            for form in self.forms
            if form.has_changed() and form not in self.deleted_forms and form.is_valid()
        ]

    def typed_total(self) -> Decimal:
        """The sum of the allowances typed in the kept rows, valid or not, for the page."""
        total = Decimal(0)
        for form in self.forms:
            if self.can_delete and form in self.deleted_forms:
                continue
            raw = form["allowance"].value()
            try:
                total += AllowanceField(required=False).clean(raw) or Decimal(0)
            except forms.ValidationError:
                continue
        return total


StepFormSet = forms.formset_factory(
    StepForm,
    formset=BaseStepFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


class OverrideForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OverrideKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    legal_basis = forms.CharField(
        label=_("Announced by"),
        max_length=300,
        required=False,
        help_text=_("The document that announced the change, e.g. Official Letter 123/UBND-VX."),
    )


class RemoveOverrideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for removing"), max_length=300, required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)

    @classmethod
    def year_of(cls, data: Any, today: dt.date) -> int:
        form = cls(data)
        return form.cleaned_data["year"] if form.is_valid() else today.year
