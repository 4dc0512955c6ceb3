"""GET /api/v1/public/track/<code>?pin=: the tracking page's rules for other clients."""

from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.testing import Cast, make_user


def test_anyone_gets_the_public_part(client: Client, at_desk: Dossier, cast: Cast) -> None:
    response = client.get(f"/api/v1/public/track/{at_desk.code}")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == at_desk.code
    assert data["status"] == "2"
    assert data["receiving_agency"] == cast.agency.name
    assert data["received_at"] and data["due_at"]
    assert data["timeliness"] == "in_time"
    assert data["personal"] is None


def test_the_pin_gives_the_personal_part(client: Client, at_desk: Dossier) -> None:
    data = client.get(f"/api/v1/public/track/{at_desk.code}", {"pin": at_desk.tracking_pin}).json()
    assert data["personal"]["applicant_name"] == "Nguyễn Văn Bình"
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in data["personal"]["documents"]


def test_unknown_code_and_wrong_pin_answer_the_same_404(client: Client, at_desk: Dossier) -> None:
    wrong = client.get(f"/api/v1/public/track/{at_desk.code}", {"pin": "ZZZZZZZZ"})
    unknown = client.get("/api/v1/public/track/H56.22-990101-0001", {"pin": "ZZZZZZZZ"})
    bare = client.get("/api/v1/public/track/H56.22-990101-0001")
    assert wrong.status_code == unknown.status_code == bare.status_code == 404
    assert wrong.content == unknown.content == bare.content
    assert wrong.json()["code"] == "not_found"


def test_the_owner_signed_in_gets_the_personal_part_others_do_not(
    client: Client, henrys: Dossier, cast: Cast
) -> None:
    client.force_login(cast.henry)
    assert client.get(f"/api/v1/public/track/{henrys.code}").json()["personal"] is not None
    for user in [make_user("peggy"), cast.alice]:
        client.force_login(user)
        response = client.get(f"/api/v1/public/track/{henrys.code}")
        assert response.status_code == 200
        assert response.json()["personal"] is None, user.username


def test_the_api_is_limited_per_address(client: Client, at_desk: Dossier, settings: object) -> None:
    settings.MOTCUA_TRACK_RATE = "2/minute"  # type: ignore[attr-defined]
    assert client.get(f"/api/v1/public/track/{at_desk.code}").status_code == 200
    assert client.get("/api/v1/public/track/H56.22-990101-0001").status_code == 404
    limited = client.get(f"/api/v1/public/track/{at_desk.code}")
    assert limited.status_code == 429
    assert "Retry-After" in limited


def test_the_endpoint_is_in_the_openapi_schema(client: Client, db: None) -> None:
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    path = schema["paths"]["/api/v1/public/track/{code}"]["get"]
    assert path["operationId"] == "public_track"
    assert any(p["name"] == "pin" for p in path["parameters"])
    assert {"200", "404", "429"} <= set(path["responses"])
