"""``rate`` and ``edit_rating``: one rating per returned dossier, by its owner on the portal or
at the desk's kiosk by the officer who just returned it; the officer is read from the events;
the owner may change it until ``editable_until``; each change appends an event; every refusal
has its code."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.tests.factories import complete_intake
from motcua.errors import Conflict, Refused, refusal_codes
from motcua.satisfaction import services
from motcua.satisfaction.models import (
    Level,
    Questionnaire,
    Rating,
    RatingAction,
    RatingAnswer,
    RatingChannel,
)
from motcua.satisfaction.tests.factories import answers, returned_dossier
from motcua.testing import Cast, make_user


@pytest.fixture(autouse=True)
def in_force(asked: Questionnaire) -> Questionnaire:
    return asked


def test_the_owner_rates_a_returned_dossier_and_the_officer_comes_from_the_events(
    cast: Cast, birth: Case
) -> None:
    dossier = returned_dossier(cast, birth, owner=cast.henry)
    rating = services.rate(
        dossier, actor=cast.henry, level=Level.SATISFIED, answers=answers(), comment=" Nhanh "
    )
    assert rating.officer == cast.alice  # alice returned the result
    assert rating.channel == RatingChannel.PORTAL and rating.comment == "Nhanh"
    assert rating.editable_until == rating.created_at + dt.timedelta(hours=24)
    assert RatingAnswer.objects.filter(rating=rating, level=Level.VERY_SATISFIED).count() == 4
    (event,) = rating.events.all()
    assert event.action == RatingAction.RATED and event.actor == cast.henry
    assert event.data["new"]["level"] == "satisfied"


def test_a_dossier_is_rated_once(cast: Cast, birth: Case) -> None:
    dossier = returned_dossier(cast, birth, owner=cast.henry)
    services.rate(dossier, actor=cast.henry, level=Level.SATISFIED, answers=answers())
    with pytest.raises(Conflict) as caught:
        services.rate(dossier, actor=cast.henry, level=Level.NOT_SATISFIED, answers=answers())
    assert caught.value.code == "already_rated"
    assert Rating.objects.get().level == Level.SATISFIED


def test_a_dossier_not_yet_returned_is_not_rated(cast: Cast, birth: Case) -> None:
    dossier = intake.submit_online(
        complete_intake(birth, channel="online"), agency=cast.agency, actor=cast.henry
    )
    with pytest.raises(Refused) as caught:
        services.rate(dossier, actor=cast.henry, level=Level.SATISFIED, answers=answers())
    assert caught.value.code == "rating_not_returned"


def test_only_the_owner_rates_on_the_portal(cast: Cast, birth: Case) -> None:
    dossier = returned_dossier(cast, birth, owner=cast.henry)
    kim = make_user("kim")
    for someone in (kim, cast.alice, cast.dave):
        with pytest.raises(Refused) as caught:
            services.rate(dossier, actor=someone, level=Level.SATISFIED, answers=answers())
        assert caught.value.code == "rating_not_owner"
    assert not Rating.objects.exists()


def test_the_level_and_every_required_answer_are_checked_together(
    cast: Cast, birth: Case, asked: Questionnaire
) -> None:
    dossier = returned_dossier(cast, birth, owner=cast.henry)
    first = asked.questions.first()
    assert first is not None
    with pytest.raises(Exception) as caught:
        services.rate(dossier, actor=cast.henry, level="delighted", answers={first.pk: "meh"},
                      comment="x" * 2001)  # fmt: skip
    codes = refusal_codes(caught.value)
    assert codes.count("rating_answer") == 4
    assert "rating_level" in codes and "rating_comment_too_long" in codes
    assert not Rating.objects.exists()


def test_the_kiosk_rates_only_what_that_desk_just_returned(cast: Cast, birth: Case) -> None:
    dossier = returned_dossier(cast, birth)
    # Another desk officer cannot rate alice's return.
    with pytest.raises(Refused) as caught:
        services.rate(dossier, actor=cast.ivan, level=Level.SATISFIED, answers=answers(),
                      channel=RatingChannel.KIOSK)  # fmt: skip
    assert caught.value.code == "rating_not_at_desk"
    # Past the kiosk's window, neither can alice.
    later = timezone.now() + dt.timedelta(minutes=31)
    with pytest.raises(Refused) as caught:
        services.rate(dossier, actor=cast.alice, level=Level.SATISFIED, answers=answers(),
                      channel=RatingChannel.KIOSK, now=later)  # fmt: skip
    assert caught.value.code == "rating_not_at_desk"
    rating = services.rate(dossier, actor=cast.alice, level=Level.VERY_SATISFIED,
                           answers=answers(), channel=RatingChannel.KIOSK)  # fmt: skip
    assert rating.channel == RatingChannel.KIOSK and rating.officer == cast.alice


def test_the_owner_changes_the_rating_within_the_window_only(cast: Cast, birth: Case) -> None:
    dossier = returned_dossier(cast, birth, owner=cast.henry)
    rating = services.rate(dossier, actor=cast.henry, level=Level.SATISFIED, answers=answers())
    soon = rating.created_at + dt.timedelta(hours=23)
    services.edit_rating(rating, actor=cast.henry, level=Level.NOT_SATISFIED,
                         answers=answers("not_satisfied"), comment="Chậm", now=soon)  # fmt: skip
    assert rating.level == Level.NOT_SATISFIED and rating.comment == "Chậm"
    edited = rating.events.get(action=RatingAction.EDITED)
    assert edited.data["old"]["level"] == "satisfied"
    assert edited.data["new"]["answers"] == {str(k): "not_satisfied" for k in answers()}
    with pytest.raises(Refused) as caught:
        services.edit_rating(rating, actor=make_user("kim"), level=Level.SATISFIED,
                             answers=answers(), now=soon)  # fmt: skip
    assert caught.value.code == "rating_not_owner"
    late = rating.created_at + dt.timedelta(hours=24, seconds=1)
    with pytest.raises(Refused) as caught:
        services.edit_rating(rating, actor=cast.henry, level=Level.SATISFIED,
                             answers=answers(), now=late)  # fmt: skip
    assert caught.value.code == "rating_edit_closed"
    assert Rating.objects.get().level == Level.NOT_SATISFIED
    assert rating.events.count() == 2


def test_the_edit_window_is_a_setting(cast: Cast, birth: Case, settings: object) -> None:
    settings.MOTCUA_RATING_EDIT_HOURS = 2  # type: ignore[attr-defined]
    dossier = returned_dossier(cast, birth, owner=cast.henry)
    rating = services.rate(dossier, actor=cast.henry, level=Level.SATISFIED, answers=answers())
    assert rating.editable_until - rating.created_at == dt.timedelta(hours=2)
