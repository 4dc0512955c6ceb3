"""Saved filters: a user names the list's current filters, finds them as links and deletes
them; nobody sees or deletes another user's, even by guessing ids."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.test import Client

from motcua.errors import refusal_codes
from motcua.testing import Cast
from motcua.workspace import saved_filters
from motcua.workspace.models import SavedFilter


def test_only_the_filter_parameters_are_kept_in_a_stable_order() -> None:
    params = QueryDict("page=3&queue=overdue&status=4&q=+Bình+&status=2&csrfmiddlewaretoken=x")
    assert saved_filters.filter_query(params) == "q=B%C3%ACnh&status=4&status=2"


def test_a_yes_no_filter_left_at_either_is_not_saved() -> None:
    """The list's form sends ``extra_papers=unknown`` for "either": it filters nothing."""
    assert saved_filters.filter_query(QueryDict("status=2&extra_papers=unknown")) == "status=2"
    assert saved_filters.filter_query(QueryDict("extra_papers=true")) == "extra_papers=true"


def test_a_name_and_at_least_one_filter_are_required(cast: Cast) -> None:
    with pytest.raises(ValidationError) as empty_name:
        saved_filters.save_filter(user=cast.alice, name="  ", query="status=2")
    assert "name" in empty_name.value.message_dict
    assert refusal_codes(empty_name.value) == ["required"]
    with pytest.raises(ValidationError) as no_filter:
        saved_filters.save_filter(user=cast.alice, name="Tất cả", query="page=2")
    assert refusal_codes(no_filter.value) == ["no_filter"]
    saved_filters.save_filter(user=cast.alice, name="Quá hạn", query="overdue=true")
    with pytest.raises(ValidationError):
        saved_filters.save_filter(user=cast.alice, name="Quá hạn", query="status=4")
    # The same name is free for another user.
    saved_filters.save_filter(user=cast.bob, name="Quá hạn", query="status=4")
    assert SavedFilter.objects.count() == 2


def test_saving_from_the_list_page_redirects_to_the_filtered_list(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.alice)
    response = client.post(
        "/workspace/filters/", {"name": "Đang giải quyết", "query": "status=4&page=2"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/workspace/?status=4"
    saved = SavedFilter.objects.get()
    assert (saved.user, saved.name, saved.query) == (cast.alice, "Đang giải quyết", "status=4")
    page = client.get("/workspace/").content.decode()
    assert 'href="/workspace/?status=4">Đang giải quyết</a>' in page


def test_an_error_keeps_the_filters_and_the_name_typed(client: Client, cast: Cast) -> None:
    saved_filters.save_filter(user=cast.alice, name="Của tôi", query="status=2")
    client.force_login(cast.alice)
    response = client.post("/workspace/filters/", {"name": "Của tôi", "query": "status=4&q=Bình"})
    assert response.status_code == 400
    assert response.context["save_form"].errors["name"]
    page = response.content.decode()
    assert 'value="Của tôi"' in page
    assert response.context["filter_form"].data.getlist("status") == ["4"]
    assert 'value="Bình"' in page  # the list shows the filters being saved
    assert SavedFilter.objects.count() == 1


def test_a_user_never_sees_or_deletes_another_users_filters(client: Client, cast: Cast) -> None:
    alices = saved_filters.save_filter(user=cast.alice, name="Bí mật của Alice", query="status=2")
    bobs = saved_filters.save_filter(user=cast.bob, name="Của Bob", query="status=4")
    client.force_login(cast.bob)
    page = client.get("/workspace/").content.decode()
    assert "Của Bob" in page and "Bí mật của Alice" not in page
    assert client.post(f"/workspace/filters/{alices.pk}/delete/").status_code == 404
    assert client.post(f"/workspace/filters/{alices.pk + 1000}/delete/").status_code == 404
    assert SavedFilter.objects.filter(pk=alices.pk).exists()
    assert client.post(f"/workspace/filters/{bobs.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.filter(pk=bobs.pk).exists()


def test_deleting_needs_a_post_and_a_signed_in_user(client: Client, cast: Cast) -> None:
    saved = saved_filters.save_filter(user=cast.alice, name="A", query="status=2")
    client.force_login(cast.alice)
    assert client.get(f"/workspace/filters/{saved.pk}/delete/").status_code == 405
    client.logout()
    response = client.post(f"/workspace/filters/{saved.pk}/delete/")
    assert response.status_code == 302 and "/workspace/login/" in response["Location"]
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
