"""Rating on the portal (``/ho-so-cua-toi/<code>/danh-gia/``): only the owner of a returned
dossier rates it — another citizen gets the answer of an unknown code, an official is refused,
an anonymous visitor is sent to sign in; a refused input comes back next to its field; the
owner changes the rating within the window and only reads it afterwards. The public page
(``/cong-khai/hai-long/``) counts ratings per agency and procedure and hides small groups."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Case
from motcua.dossiers.models import Dossier
from motcua.satisfaction import services
from motcua.satisfaction.models import Level, Questionnaire, Rating
from motcua.satisfaction.tests.factories import answers, questionnaire, returned_dossier
from motcua.testing import Cast, make_user


@pytest.fixture
def asked(db: None) -> Questionnaire:
    return questionnaire()


@pytest.fixture
def returned(cast: Cast, birth: Case, asked: Questionnaire) -> Dossier:
    """Henry's dossier, its result returned at the desk by alice."""
    return returned_dossier(cast, birth, owner=cast.henry)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(level: str = "satisfied", comment: str = "") -> dict[str, str]:
    data = {"level": level, "comment": comment}
    data |= {f"question_{pk}": answer for pk, answer in answers("very_satisfied").items()}
    return data


def test_the_returned_dossier_offers_the_rating_to_its_owner(returned: Dossier, cast: Cast) -> None:
    client = signed_in(cast.henry)
    page = client.get(f"/ho-so-cua-toi/{returned.code}/").content.decode()
    assert f"/ho-so-cua-toi/{returned.code}/danh-gia/" in page
    assert "Đánh giá mức độ hài lòng" in page
    form = client.get(f"/ho-so-cua-toi/{returned.code}/danh-gia/")
    assert form.status_code == 200
    assert "Rất hài lòng" in form.content.decode()


def test_the_owner_rates_and_is_thanked(returned: Dossier, cast: Cast) -> None:
    client = signed_in(cast.henry)
    path = f"/ho-so-cua-toi/{returned.code}/danh-gia/"
    response = client.post(path, form_data(comment="Cán bộ nhiệt tình"))
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so-cua-toi/{returned.code}/"
    rating = Rating.objects.get(dossier=returned)
    assert rating.level == Level.SATISFIED and rating.comment == "Cán bộ nhiệt tình"
    assert rating.officer == cast.alice and rating.answers.count() == 4
    assert "Bạn đã đánh giá" in client.get(response["Location"]).content.decode()


def test_another_citizen_an_official_and_a_visitor_cannot_rate(
    returned: Dossier, cast: Cast
) -> None:
    path = f"/ho-so-cua-toi/{returned.code}/danh-gia/"
    kim = make_user("kim", (Role.CITIZEN, None))
    assert signed_in(kim).get(path).status_code == 404
    assert signed_in(kim).post(path, form_data()).status_code == 404
    for official in (cast.alice, cast.dave, cast.grace):
        assert signed_in(official).get(path).status_code == 403
        assert signed_in(official).post(path, form_data()).status_code == 403
    anonymous = Client().post(path, form_data())
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")
    assert not Rating.objects.exists()


def test_a_dossier_not_yet_returned_is_not_rated(cast: Cast, birth: Case) -> None:
    from motcua.dossiers import intake
    from motcua.dossiers.tests.factories import complete_intake

    dossier = intake.submit_online(
        complete_intake(birth, channel="online"), agency=cast.agency, actor=cast.henry
    )
    client = signed_in(cast.henry)
    assert "danh-gia" not in client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert client.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", form_data()).status_code == 403


def test_an_unanswered_question_comes_back_next_to_its_input(returned: Dossier, cast: Cast) -> None:
    data = form_data(comment="Giữ lại")
    first = next(iter(answers()))
    del data[f"question_{first}"]
    response = signed_in(cast.henry).post(f"/ho-so-cua-toi/{returned.code}/danh-gia/", data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [f"question_{first}"]
    assert "Giữ lại" in response.content.decode()
    assert not Rating.objects.exists()


def test_the_owner_changes_the_rating_in_time_and_reads_it_afterwards(
    returned: Dossier, cast: Cast
) -> None:
    rating = services.rate(returned, actor=cast.henry, level="satisfied", answers=answers())
    client = signed_in(cast.henry)
    path = f"/ho-so-cua-toi/{returned.code}/danh-gia/"
    form = client.get(path).context["form"]
    assert form.initial["level"] == "satisfied"
    assert client.post(path, form_data("not_satisfied", "Chờ lâu")).status_code == 302
    rating.refresh_from_db()
    assert rating.level == "not_satisfied" and rating.events.count() == 2
    Rating.objects.filter(pk=rating.pk).update(editable_until=timezone.now() - dt.timedelta(1))
    page = client.get(path)
    assert page.status_code == 200 and "form" not in page.context
    assert "Chờ lâu" in page.content.decode()
    assert client.post(path, form_data("very_satisfied")).status_code == 200
    rating.refresh_from_db()
    assert rating.level == "not_satisfied"


def test_the_public_page_hides_groups_with_too_few_ratings(
    cast: Cast, birth: Case, asked: Questionnaire, settings: object
) -> None:
    settings.MOTCUA_RATING_PUBLIC_MINIMUM = 3  # type: ignore[attr-defined]
    for level in ("very_satisfied", "satisfied"):
        dossier = returned_dossier(cast, birth, owner=cast.henry)
        services.rate(dossier, actor=cast.henry, level=level, answers=answers(),
                      comment="Nguyễn Văn Bình rất hài lòng")  # fmt: skip
    body = Client().get("/cong-khai/hai-long/").content.decode()
    assert cast.agency.name not in body and "Đăng ký khai sinh" not in body
    assert "2 nhóm" in body
    dossier = returned_dossier(cast, birth, owner=cast.henry)
    services.rate(dossier, actor=cast.henry, level="not_satisfied", answers=answers())
    body = Client().get("/cong-khai/hai-long/").content.decode()
    assert cast.agency.name in body and "Đăng ký khai sinh" in body
    assert "33,3 %" in body  # a third each (Vietnamese decimal comma)
    assert "Nguyễn Văn Bình" not in body and "henry" not in body.lower()
