"""Satisfaction ratings (đánh giá mức độ hài lòng): after the result of a dossier is returned,
its applicant rates the service once, on the portal or on the kiosk at the desk, with an
overall level, the questions of the questionnaire in force and an optional comment.

A rating names its dossier, never the person who rated: the results are counted per agency,
procedure, officer and period, and the public page shows only groups large enough that no one
can be recognised. Every rating and every change of one appends a ``RatingEvent``. Writes go
through ``services.py``; reads that check access live in ``queries.py``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.events import AppendOnlyEvent


class Level(models.TextChoices):
    """The three levels of the National Public Service Portal's rating."""

    VERY_SATISFIED = "very_satisfied", _("very satisfied")
    SATISFIED = "satisfied", _("satisfied")
    NOT_SATISFIED = "not_satisfied", _("not satisfied")


# Counted as satisfied by the Decision 766 index and the results.
SATISFIED_LEVELS = frozenset({Level.VERY_SATISFIED.value, Level.SATISFIED.value})


class RatingChannel(models.TextChoices):
    PORTAL = "portal", _("portal")
    KIOSK = "kiosk", _("kiosk at the desk")


class Questionnaire(models.Model):
    """A set of questions asked with the overall level; one is in force (``active``) at a
    time. Configured in the admin; a rating keeps the questionnaire it answered."""

    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("in force"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_questionnaire_in_force"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """One question of a questionnaire, answered on the same three levels as the overall
    rating. The text is in Vietnamese; ``text_en`` is shown to those reading in English."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    position = models.PositiveSmallIntegerField(_("no."))
    text = models.CharField(_("question"), max_length=500)
    text_en = models.CharField(_("question in English"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="question_position_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class Rating(models.Model):
    """The applicant's rating of one returned dossier (one per dossier). ``officer`` is the
    officer who returned the result, read from the dossier's events when it was rated;
    ``editable_until`` is stored when it is made (``MOTCUA_RATING_EDIT_HOURS``)."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="rating"
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
    )
    level = models.CharField(_("overall level"), max_length=16, choices=Level.choices)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=RatingChannel.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer who returned the result"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings_received",
    )
    created_at = models.DateTimeField(_("rated at"))
    updated_at = models.DateTimeField(_("changed at"))
    editable_until = models.DateTimeField(_("may be changed until"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="rating_created_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.level}"


class RatingAnswer(models.Model):
    """The level given to one question of a rating."""

    rating = models.ForeignKey(
        Rating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["rating", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.level}"


class RatingAction(models.TextChoices):
    RATED = "rated", _("rated")
    EDITED = "edited", _("rating changed")


class RatingEvent(AppendOnlyEvent):
    """One row per rating made or changed: who sent it (the owner's account, or the desk's
    account the kiosk is signed in with), through which channel, and the levels before and
    after. Internal: never shown publicly."""

    rating = models.ForeignKey(
        Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=8, choices=RatingAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=RatingChannel.choices)
    at = models.DateTimeField(_("at"))
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("rating event")
        verbose_name_plural = _("rating events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
