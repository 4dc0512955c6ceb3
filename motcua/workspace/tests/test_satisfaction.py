"""The desk's kiosk (``/workspace/kiosk/``) and the leaders' satisfaction results
(``/workspace/satisfaction/``). The kiosk shows the desk officer's latest in-person return —
its code and procedure, nothing personal — takes the rating once, then waits; it is for desk
officers only. The results are for report readers, over their agencies, and name no
applicant."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Case
from motcua.dossiers.tests.factories import birth_registration_case
from motcua.satisfaction import services
from motcua.satisfaction.models import Questionnaire, Rating, RatingChannel
from motcua.satisfaction.tests.factories import answers, questionnaire, returned_dossier
from motcua.testing import Cast, make_user


@pytest.fixture
def asked(db: None) -> Questionnaire:
    return questionnaire()


@pytest.fixture
def birth(cast: Cast) -> Case:
    return birth_registration_case(cast.agency)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(code: str, level: str = "very_satisfied") -> dict[str, str]:
    data = {"dossier": code, "level": level, "comment": ""}
    return data | {f"question_{pk}": a for pk, a in answers("satisfied").items()}


def test_the_kiosk_offers_what_the_desk_just_returned_and_takes_one_rating(
    cast: Cast, birth: Case, asked: Questionnaire
) -> None:
    dossier = returned_dossier(cast, birth)
    client = signed_in(cast.alice)
    page = client.get("/workspace/kiosk/")
    assert page.status_code == 200
    body = page.content.decode()
    assert dossier.code in body and "Đăng ký khai sinh" in body
    assert dossier.applicant_name not in body and dossier.applicant_id_number not in body
    assert client.post("/workspace/kiosk/", form_data(dossier.code)).status_code == 302
    rating = Rating.objects.get(dossier=dossier)
    assert rating.channel == RatingChannel.KIOSK and rating.officer == cast.alice
    waiting = client.get("/workspace/kiosk/")
    assert "form" not in waiting.context and 'http-equiv="refresh"' in waiting.content.decode()
    client.post("/workspace/kiosk/", form_data(dossier.code, "not_satisfied"))
    assert Rating.objects.get().level == "very_satisfied"


def test_the_kiosk_waits_when_nothing_was_returned_lately(
    cast: Cast, birth: Case, asked: Questionnaire
) -> None:
    dossier = returned_dossier(cast, birth, now=timezone.now() - dt.timedelta(minutes=31))
    page = signed_in(cast.alice).get("/workspace/kiosk/")
    assert page.status_code == 200 and dossier.code not in page.content.decode()
    assert "form" not in page.context


def test_the_kiosk_is_for_desk_officers(cast: Cast, birth: Case, asked: Questionnaire) -> None:
    returned_dossier(cast, birth)
    for someone in (cast.bob, cast.dave, cast.henry, cast.oscar):
        assert signed_in(someone).get("/workspace/kiosk/").status_code == 403
    assert Client().get("/workspace/kiosk/").status_code == 302


def test_leaders_see_the_results_by_agency_procedure_officer_and_month(
    cast: Cast, birth: Case, asked: Questionnaire
) -> None:
    first = returned_dossier(cast, birth, owner=cast.henry)
    services.rate(first, actor=cast.henry, level="satisfied", answers=answers(),
                  comment="Cán bộ hướng dẫn tận tình")  # fmt: skip
    second = returned_dossier(cast, birth, owner=cast.henry)
    services.rate(second, actor=cast.henry, level="not_satisfied", answers=answers())
    today = timezone.localdate().isoformat()
    for reader in (cast.dave, cast.carol, cast.frank):
        response = signed_in(reader).get("/workspace/satisfaction/", {"from": today, "to": today})
        assert response.status_code == 200
        by_agency, by_procedure, by_officer, by_month = (
            table[2] for table in response.context["tables"]
        )
        assert [(r.key, r.tally.total, r.tally.satisfied) for r in by_agency] == [("H56.22", 2, 1)]
        assert by_procedure[0].label == "Đăng ký khai sinh"
        assert by_officer[0].key == "alice" and by_officer[0].tally.not_satisfied_percent == 50
        assert by_month[0].tally.total == 2
        body = response.content.decode()
        assert "Cán bộ hướng dẫn tận tình" in body
        assert first.applicant_name not in body and first.code not in body


def test_only_report_readers_see_the_results(cast: Cast) -> None:
    for someone in (cast.alice, cast.bob, cast.henry, cast.oscar):
        assert signed_in(someone).get("/workspace/satisfaction/").status_code == 403
    assert Client().get("/workspace/satisfaction/").status_code == 302


def test_a_leader_of_another_agency_does_not_see_these_ratings(
    cast: Cast, birth: Case, asked: Questionnaire
) -> None:
    dossier = returned_dossier(cast, birth, owner=cast.henry)
    services.rate(dossier, actor=cast.henry, level="satisfied", answers=answers(),
                  comment="Rất nhanh")  # fmt: skip
    elsewhere = make_user("olga", (Role.SIGNING_LEADER, cast.other_agency))
    today = timezone.localdate().isoformat()
    response = signed_in(elsewhere).get("/workspace/satisfaction/", {"from": today, "to": today})
    assert response.status_code == 200
    assert all(table[2] == [] for table in response.context["tables"])
    assert response.context["comments"] == []
    assert "Rất nhanh" not in response.content.decode()
