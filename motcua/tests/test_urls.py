"""Addresses documented in the README answer as written."""

from django.test import Client


def test_the_due_endpoint_answers_without_a_trailing_slash(client: Client, db: None) -> None:
    """GET /api/v1/calendars/VN/due?start=… (as the issue documents it) needs no redirect."""
    response = client.get(
        "/api/v1/calendars/VN/due",
        {"start": "2026-02-13T09:00", "amount": "5", "unit": "working_days"},
    )
    assert response.status_code == 200
    assert response.json()["due_at"] == "2026-02-27T09:00:00+07:00"
    assert response.json()["explanation"]


def test_lists_answer_with_and_without_a_trailing_slash(client: Client, db: None) -> None:
    assert client.get("/api/v1/procedures").status_code == 200
    assert client.get("/api/v1/procedures/").status_code == 200


def test_the_root_is_the_citizens_portal_and_the_workspace_keeps_its_address(
    client: Client, db: None
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/tra-cuu/"' in response.content.decode()
    login = client.get("/workspace/")
    assert login.status_code == 302
    assert login["Location"].startswith("/workspace/login")


def test_form_01s_tracking_address_is_served(client: Client, db: None) -> None:
    """/tra-cuu/<code> (printed on Form 01) answers, with 404 for a code that does not exist."""
    assert client.get("/tra-cuu/H56.22-260302-0001").status_code == 404
    assert client.get("/tra-cuu/").status_code == 200
