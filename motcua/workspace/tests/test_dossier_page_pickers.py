"""Pickers, not typed codes (issue 10 item 14): on the dossier page the forward form offers the
officers holding the next step's role, the transfer form the agencies taking part in the
procedure, and a consulted agency's form only the officer who asked; anything else posted is
refused before the service runs (and by the service too, see dossiers/tests/test_recipients)."""

from decimal import Decimal

from django import forms
from django.test import Client

from motcua.accounts.models import AgencyKind, Role
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.testing import Cast, make_agency, make_user


def _url(dossier: Dossier, suffix: str = "") -> str:
    return f"/workspace/dossiers/{dossier.code}/{suffix}"


def _choices(client: Client, dossier: Dossier, action: str, field: str) -> list[str]:
    response = client.get(_url(dossier))
    form = dict((n, f) for n, _, f in response.context["action_forms"])[action]
    assert isinstance(form.fields[field], forms.ChoiceField)
    return [str(value) for value, _label in form.fields[field].choices if value]


def test_the_desk_picks_the_next_holder_among_the_specialists(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.alice)
    assert _choices(client, received, "forward", "to") == ["bob", "ivan"]
    page = client.get(_url(received)).content.decode()
    assert '<select name="to"' in page and '<option value="bob">' in page
    response = client.post(
        _url(received, "act/forward/"), {"revision": received.revision, "to": "henry"}
    )
    assert response.status_code == 400
    form = dict((n, f) for n, _, f in response.context["action_forms"])["forward"]
    assert "to" in form.errors
    received.refresh_from_db()
    assert received.status == Status.RECEIVED
    response = client.post(
        _url(received, "act/forward/"), {"revision": received.revision, "to": "ivan"}
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.assignee == cast.ivan


def test_the_specialist_picks_the_agency_to_transfer_to(
    client: Client, cast: Cast, received: Dossier
) -> None:
    make_agency("H56.60", "Sở Y tế", AgencyKind.PROVINCIAL_DEPARTMENT)
    services.forward(received, actor=cast.alice)
    received.refresh_from_db()
    client.force_login(cast.bob)
    assert _choices(client, received, "transfer", "to_agency") == ["H56.23"]
    response = client.post(
        _url(received, "act/transfer/"),
        {"revision": received.revision, "to_agency": "H56.60", "allowance": "1", "reason": "X"},
    )
    assert response.status_code == 400
    received.refresh_from_db()
    assert received.current_agency == cast.agency


def test_the_consulted_agency_can_only_hand_back_to_the_officer_who_asked(
    client: Client, cast: Cast, received: Dossier
) -> None:
    judy = make_user("judy", (Role.SPECIALIST, cast.other_agency))
    services.forward(received, actor=cast.alice)
    services.transfer(received, actor=cast.bob, to_agency=cast.other_agency,
                      allowance=Decimal(1), reason="Xác minh")  # fmt: skip
    received.refresh_from_db()
    client.force_login(judy)
    assert _choices(client, received, "forward", "to") == ["bob"]
    response = client.post(
        _url(received, "act/forward/"), {"revision": received.revision, "to": "ivan"}
    )
    assert response.status_code == 400
    response = client.post(_url(received, "act/forward/"), {"revision": received.revision})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.assignee == cast.bob and received.current_agency == cast.agency
