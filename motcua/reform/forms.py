"""The reform screens' forms: they parse the input; the services decide and refuse."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency
from motcua.errors import refusal_errors
from motcua.reform.inspection_models import InspectionItem, InspectionTeam, ItemResult
from motcua.reform.models import Area


def errors_into(form: forms.Form, refused: BaseException) -> None:
    """A service's refusal on ``form``: each message next to the field it names (the rest
    above the form), keeping its code."""
    for problem in refusal_errors(refused):
        field = problem.get("field")
        if field == "file":  # an evidence file's checks name ``file``
            field = next(
                (f for f in form.fields if isinstance(form.fields[f], forms.FileField)), None
            )
        error = ValidationError(problem["message"], code=problem["code"])
        form.add_error(field if field in form.fields else None, error)


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _agencies() -> Any:
    return Agency.objects.filter(valid_to__isnull=True).order_by("code")


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label=_("Agency"),
        empty_label=_("The province (reform office)"),
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    decision_date = _date(_("Decision date"))
    signer = forms.CharField(label=_("Signed by"), max_length=150)

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = _agencies() if agencies is None else agencies


class TaskForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices)
    title = forms.CharField(label=_("Task"), max_length=500)
    lead_agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Lead agency"))
    coordinating = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), required=False, label=_("Coordinating agencies")
    )
    deadline = _date(_("Deadline"))
    expected_output = forms.CharField(label=_("Expected output"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_agency", "coordinating"):
            self.fields[name].queryset = _agencies()  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence file (PDF or image)"), required=False)


class TargetForm(forms.Form):
    name = forms.CharField(label=_("Target"), max_length=255)
    threshold = forms.DecimalField(label=_("At least"), max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=32, initial="%")


class TargetReportForm(forms.Form):
    actual = forms.DecimalField(label=_("Figure reached"), max_digits=12, decimal_places=2)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("Evidence file (PDF or image)"), required=False)


class CommitmentForm(forms.Form):
    signed_on = _date(_("Signed on"))
    signer = forms.CharField(label=_("Signed by"), max_length=150)
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(label=_("Signed document (PDF or image)"), required=False)


class InspectionPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    decision_date = _date(_("Decision date"))
    signer = forms.CharField(label=_("Signed by"), max_length=150)
    units_total = forms.IntegerField(label=_("Units subject to inspection"), min_value=1)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team"), max_length=150)
    leader = forms.CharField(label=_("Team leader"), max_length=150)
    members = forms.CharField(
        label=_("Members"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScheduleForm(forms.Form):
    team = forms.ModelChoiceField(queryset=InspectionTeam.objects.none(), label=_("Team"))
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Unit inspected"))
    scheduled_on = _date(_("Scheduled on"))

    def __init__(self, *args: Any, teams: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["agency"].queryset = _agencies()  # type: ignore[attr-defined]


class FindingsForm(forms.Form):
    """The findings, the recommendations and one result (and note) per checklist point."""

    inspected_on = _date(_("Inspected on"))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, items: Iterable[InspectionItem] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"result_{item.number}"] = forms.ChoiceField(
                label=f"{item.number}. {item.text}", choices=ItemResult.choices, required=False
            )
            self.fields[f"note_{item.number}"] = forms.CharField(
                label=_("Note"), max_length=500, required=False
            )

    def results(self) -> dict[int, tuple[str, str]]:
        return {
            item.number: (
                self.cleaned_data.get(f"result_{item.number}") or "",
                self.cleaned_data.get(f"note_{item.number}") or "",
            )
            for item in self.items
        }


class RemediationForm(forms.Form):
    report = forms.CharField(
        label=_("Remediation report"), widget=forms.Textarea(attrs={"rows": 4})
    )
    document = forms.FileField(label=_("Report file (PDF or image)"), required=False)


class QualityForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Agency"))
    applies = forms.BooleanField(label=_("Applies TCVN ISO 9001:2015"), required=False)
    announced_on = _date(_("Announced on"), required=False)
    certificate = forms.CharField(
        label=_("Announcement or certificate number"), max_length=64, required=False
    )
    scope = forms.CharField(
        label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class AuditForm(forms.Form):
    audited_on = _date(_("Audited on"))
    nonconformities = forms.IntegerField(label=_("Nonconformities found"), min_value=0, initial=0)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
