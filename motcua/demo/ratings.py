"""Satisfaction ratings for the demo, made through ``satisfaction.services.rate`` as the desk's
kiosk takes them a few minutes after the result is handed over (or, for the citizen's own
online dossiers, as the portal does), so the leaders' results, the public page and the
Decision 766 index's satisfaction group read real numbers.

Levels follow a seeded generator of their own (not the history's, whose dossiers stay the same
with or without ratings): about three in five very satisfied, one in three satisfied, the rest
not satisfied; about half the returned dossiers are rated, as on the National Portal where
rating is optional."""

import datetime as dt
import random

from django.core.exceptions import PermissionDenied

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.errors import Conflict
from motcua.satisfaction import queries, services
from motcua.satisfaction.models import Level, RatingChannel

SEED = 1766
COMMENTS = {
    Level.VERY_SATISFIED: ["Cán bộ hướng dẫn tận tình, trả kết quả sớm.", ""],
    Level.SATISFIED: ["", "Thủ tục rõ ràng."],
    Level.NOT_SATISFIED: ["Phải chờ lâu tại quầy.", "Trả kết quả trễ hẹn."],
}


class Rater:
    """Rates returned dossiers at back-dated instants with its own seeded generator."""

    def __init__(self, seed: int = SEED) -> None:
        self.random = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
        questionnaire = queries.questionnaire_in_force()
        self.questions = list(questionnaire.questions.all()) if questionnaire else []

    def level(self) -> str:
        return self.random.choices(list(Level.values), [60, 32, 8])[0]

    def rate(
        self, dossier: Dossier, *, actor: User, at: dt.datetime, level: str | None = None
    ) -> bool:
        """Rate ``dossier`` at ``at`` (kiosk unless ``actor`` owns it); whether it was rated.
        A kiosk that no longer offers the dossier (another return came in between) skips it."""
        level = level or self.level()
        answers = {
            q.pk: level if self.random.random() < 0.8 else self.level() for q in self.questions
        }
        channel = RatingChannel.PORTAL if dossier.owner_id == actor.pk else RatingChannel.KIOSK
        try:
            services.rate(dossier, actor=actor, level=level, answers=answers, channel=channel,
                          comment=self.random.choice(COMMENTS[Level(level)]), now=at)  # fmt: skip
        except (PermissionDenied, Conflict):
            return False
        return True

    def maybe_rate(self, dossier: Dossier, *, actor: User, at: dt.datetime) -> bool:
        """About half of the returned dossiers are rated."""
        if self.random.random() >= 0.5:
            return False
        return self.rate(dossier, actor=actor, at=at)
