"""Writes of the satisfaction ratings: ``rate`` (once per returned dossier, by its owner on the
portal or at the desk's kiosk) and ``edit_rating`` (by the owner, within
``MOTCUA_RATING_EDIT_HOURS``). Each runs in a transaction, locks the dossier, checks, writes and
appends a ``RatingEvent``. Refusals carry the codes of docs/errors.md ("Satisfaction")."""

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.errors import Conflict, Refused, invalid, together
from motcua.satisfaction import event_hooks, queries
from motcua.satisfaction.models import (
    Level,
    Questionnaire,
    Rating,
    RatingAction,
    RatingAnswer,
    RatingChannel,
    RatingEvent,
)

MAX_COMMENT = 2000


def answer_field(question_id: int) -> str:
    """The name of a question's input, in forms and in refusals."""
    return f"question_{question_id}"


def _checked(
    questionnaire: Questionnaire | None,
    level: str,
    answers: Mapping[int, str],
    comment: str,
) -> tuple[str, dict[int, str], str]:
    """The level, the answers (by question id, unknown ones dropped) and the comment; every
    problem refused at once, each on its input."""
    problems = []
    if level not in Level.values:
        problems.append(invalid("rating_level", _("Choose how satisfied you are."), "level"))
    kept: dict[int, str] = {}
    for question in questionnaire.questions.all() if questionnaire else []:
        given = answers.get(question.pk, "")
        if given in Level.values:
            kept[question.pk] = given
        elif given or question.required:
            problems.append(
                invalid("rating_answer", _("Choose an answer."), answer_field(question.pk))
            )
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        problems.append(
            invalid(
                "rating_comment_too_long",
                _("The comment has at most %(n)s characters.") % {"n": MAX_COMMENT},
                "comment",
            )
        )
    if problems:
        raise together(problems)
    return level, kept, comment


def _check_rater(dossier: Dossier, actor: User, channel: str, now: dt.datetime) -> None:
    """Portal: only the dossier's owner. Kiosk: only the officer who just handed the result
    over at the desk, within the kiosk's window, for that dossier."""
    if channel == RatingChannel.PORTAL:
        if dossier.owner_id is None or dossier.owner_id != actor.pk:
            raise Refused(_("Only the applicant may rate this dossier."), code="rating_not_owner")
        return
    if channel != RatingChannel.KIOSK:
        raise invalid("rating_channel", _("Unknown rating channel."), "channel")
    offered = queries.kiosk_dossier(actor, now)
    if offered is None or offered.pk != dossier.pk:
        raise Refused(
            _("The kiosk offers only the dossier this desk has just returned."),
            code="rating_not_at_desk",
        )


def _write_answers(rating: Rating, answers: dict[int, str]) -> None:
    RatingAnswer.objects.filter(rating=rating).delete()
    RatingAnswer.objects.bulk_create(
        RatingAnswer(rating=rating, question_id=question, level=level)
        for question, level in answers.items()
    )


def _snapshot(level: str, answers: Mapping[int, str], comment: str) -> dict[str, object]:
    return {
        "level": level,
        "answers": {str(k): v for k, v in sorted(answers.items())},
        "comment": comment,
    }


def rate(
    dossier: Dossier,
    *,
    actor: User,
    level: str,
    answers: Mapping[int, str] | None = None,
    comment: str = "",
    channel: str = RatingChannel.PORTAL,
    now: dt.datetime | None = None,
) -> Rating:
    """Record the applicant's rating of ``dossier``, whose result was returned: once per
    dossier, with the questionnaire in force and the officer who returned the result."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status != Status.RETURNED:
            raise Refused(
                _("A dossier is rated once its result is returned."), code="rating_not_returned"
            )
        _check_rater(locked, actor, channel, now)
        if Rating.objects.filter(dossier=locked).exists():
            raise Conflict(_("This dossier has already been rated."), code="already_rated")
        questionnaire = queries.questionnaire_in_force()
        level, kept, comment = _checked(questionnaire, level, answers or {}, comment)
        returned = queries.returning_event(locked)
        rating = Rating.objects.create(
            dossier=locked,
            questionnaire=questionnaire,
            level=level,
            comment=comment,
            channel=channel,
            officer=returned.actor if returned else None,
            created_at=now,
            updated_at=now,
            editable_until=now + dt.timedelta(hours=settings.MOTCUA_RATING_EDIT_HOURS),
        )
        _write_answers(rating, kept)
        event = RatingEvent.objects.create(
            rating=rating,
            action=RatingAction.RATED,
            actor=actor,
            channel=channel,
            at=now,
            data={"new": _snapshot(level, kept, comment)},
        )
        event_hooks.announce(event)
    return rating


def edit_rating(
    rating: Rating,
    *,
    actor: User,
    level: str,
    answers: Mapping[int, str] | None = None,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Rating:
    """Change a rating: only the dossier's owner, on the portal, until ``editable_until``."""
    now = now or timezone.now()
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=rating.dossier_id).first()
        locked = Rating.objects.select_related("dossier", "questionnaire").get(pk=rating.pk)
        if locked.dossier.owner_id is None or locked.dossier.owner_id != actor.pk:
            raise Refused(_("Only the applicant may rate this dossier."), code="rating_not_owner")
        if now > locked.editable_until:
            raise Refused(_("The time to change this rating is over."), code="rating_edit_closed")
        level, kept, comment = _checked(locked.questionnaire, level, answers or {}, comment)
        old = {a.question_id: a.level for a in locked.answers.all()}
        before = _snapshot(locked.level, old, locked.comment)
        locked.level, locked.comment, locked.updated_at = level, comment, now
        locked.save(update_fields=["level", "comment", "updated_at"])
        _write_answers(locked, kept)
        event = RatingEvent.objects.create(
            rating=locked,
            action=RatingAction.EDITED,
            actor=actor,
            channel=RatingChannel.PORTAL,
            at=now,
            data={"old": before, "new": _snapshot(level, kept, comment)},
        )
        event_hooks.announce(event)
    rating.refresh_from_db()
    return rating
