"""Satisfaction test data, built through the real intake, workflow and rating services."""

import datetime as dt
import importlib

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.steps import approval_refusal
from motcua.dossiers.tests.factories import complete_intake
from motcua.satisfaction.models import Question, Questionnaire
from motcua.testing import Cast


def questionnaire() -> Questionnaire:
    """The questionnaire in force: the one the data migration made (when the database still
    holds it), else the same four questions made here."""
    found = Questionnaire.objects.filter(active=True).first()
    if found is not None and found.questions.exists():
        return found
    default = importlib.import_module("motcua.satisfaction.migrations.0002_default_questionnaire")
    found = found or Questionnaire.objects.create(name=default.NAME, active=True)
    for position, (text, text_en) in enumerate(default.QUESTIONS, start=1):
        Question.objects.create(questionnaire=found, position=position, text=text, text_en=text_en)
    return found


def answers(level: str = "very_satisfied") -> dict[int, str]:
    """Every question of the questionnaire in force answered with ``level``."""
    return {q.pk: level for q in questionnaire().questions.all()}


def _holder(dossier: Dossier, cast: Cast) -> User:
    holders: dict[str, User] = {Role.SPECIALIST: cast.bob, Role.HEAD_OF_DEPARTMENT: cast.carol}
    return holders.get(dossier.current_step.role if dossier.current_step else "", cast.dave)


def returned_dossier(
    cast: Cast,
    case: Case,
    *,
    owner: User | None = None,
    method: str = "in_person",
    now: dt.datetime | None = None,
) -> Dossier:
    """A dossier of ``case`` received at ``cast.agency`` (online by ``owner`` when given, else
    at the desk), processed, signed and returned by alice at ``now`` (or now)."""
    if owner is not None:
        dossier = intake.submit_online(
            complete_intake(case, channel="online"), agency=cast.agency, actor=owner
        )
        services.receive(dossier, actor=cast.alice)
    else:
        dossier = intake.receive_new_dossier(
            complete_intake(case), agency=cast.agency, actor=cast.alice
        )
    services.forward(dossier, actor=cast.alice)
    while approval_refusal(d := Dossier.objects.get(pk=dossier.pk)) is not None:
        services.forward(d, actor=_holder(d, cast))
    services.approve(d, actor=_holder(d, cast), result="Giấy khai sinh số 12")
    return services.return_result(d, actor=cast.alice, method=method, now=now)
