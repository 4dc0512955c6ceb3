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


def test_the_root_leads_to_the_workspace(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"
