"""The rating form shown on the portal and on the desk's kiosk: the overall level, one input
per question of the questionnaire (``question_<id>``, as the service names its refusals) and an
optional comment. The form only reads input; ``services.rate`` and ``edit_rating`` check it."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from motcua.errors import refusal_errors
from motcua.satisfaction.models import Level, Question, Questionnaire, Rating
from motcua.satisfaction.services import MAX_COMMENT, answer_field


def _choices() -> list[tuple[str, str]]:
    """The three levels, capitalised as radio labels."""
    return [(value, capfirst(str(label))) for value, label in Level.choices]


def _text(question: Question) -> str:
    english = (translation.get_language() or "vi").startswith("en")
    return question.text_en if english and question.text_en else question.text


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Overall, how satisfied are you with the service?"),
        choices=_choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write personal information: the comment is read by the agency."),
    )

    def __init__(
        self,
        questionnaire: Questionnaire | None,
        *args: Any,
        rating: Rating | None = None,
        **kwargs: Any,
    ) -> None:
        if rating is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {"level": rating.level, "comment": rating.comment}
            initial |= {answer_field(a.question_id): a.level for a in rating.answers.all()}
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.questions = list(questionnaire.questions.all()) if questionnaire else []
        for question in self.questions:
            self.fields[answer_field(question.pk)] = forms.ChoiceField(
                label=f"{question.position}. {_text(question)}",
                choices=_choices,
                widget=forms.RadioSelect,
                required=question.required,
            )
        self.order_fields(["level", *(answer_field(q.pk) for q in self.questions), "comment"])

    def question_fields(self) -> list[forms.BoundField]:
        return [self[answer_field(q.pk)] for q in self.questions]

    def answers(self) -> dict[int, str]:
        data = self.cleaned_data
        return {q.pk: data.get(answer_field(q.pk)) or "" for q in self.questions}

    def add_refusal(self, refusal: ValidationError) -> None:
        """The service's refusal next to the inputs it names."""
        for problem in refusal_errors(refusal):
            name = problem.get("field")
            error = ValidationError(problem["message"], code=problem["code"])
            self.add_error(name if name in self.fields else None, error)
