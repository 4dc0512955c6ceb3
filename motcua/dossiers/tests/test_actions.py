"""The engine's action registry (``dossiers/actions.py``): every action the workflow table lets a
person take on an existing dossier has one entry, and the API and the officers' screens both
parse into the entry's payload and take the action through it."""

from dataclasses import fields

import pytest
from django.core.exceptions import ValidationError

from motcua.catalogue.models import Case
from motcua.dossiers import actions, api, intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.dossiers.workflow import NONE, RULES, Action, Status
from motcua.testing import Cast
from motcua.workspace import bulk, forms

# Taken through other services: creating a dossier (intake), attaching a file (documents),
# signing an electronic copy (signatures: it needs the token's PIN and the file, not a payload).
NOT_IN_REGISTRY = {Action.SUBMIT, Action.REFUSE, Action.ATTACH, Action.SIGN}


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


@pytest.fixture
def received(cast: Cast, case: Case) -> Dossier:
    return intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)


def test_every_action_of_the_workflow_table_has_one_entry() -> None:
    """Each action a rule of the table allows on an existing dossier, and no other."""
    in_the_table = {rule.action for rule in RULES if rule.source != NONE}
    assert set(actions.REGISTRY) == {a.value for a in in_the_table - NOT_IN_REGISTRY}
    for name, entry in actions.REGISTRY.items():
        assert entry.name.value == name
        assert entry.fields()[0] == "revision"


def test_the_api_parses_each_action_into_the_entry_s_payload() -> None:
    """The API's serializer of each action has exactly the payload's fields."""
    assert set(api.PAYLOADS) == set(actions.REGISTRY)
    for name, serializer in api.PAYLOADS.items():
        assert set(serializer().fields) == set(actions.entry(name).fields()), name


def test_the_screens_parse_each_action_into_the_entry_s_payload() -> None:
    """The workspace's form of each action has the payload's fields (the supplement's reply
    template only fills the items and is dropped when cleaned; the approval's key inputs make
    its derived signed result)."""
    assert set(forms.ACTION_FORMS) == set(actions.REGISTRY)
    for name, form_class in forms.ACTION_FORMS.items():
        deriving: frozenset[str] = getattr(form_class, "DERIVING", frozenset())
        fields_shown = set(form_class().fields) - {"template"} - deriving
        assert fields_shown == set(actions.entry(name).fields()), name


def test_bulk_actions_are_the_same_for_the_api_and_the_screens() -> None:
    assert {"forward", "send_back"} == actions.BULK
    assert set(api.BULK_PAYLOADS) == actions.BULK
    assert bulk.BULK_NAMES == actions.BULK
    for name, serializer in api.BULK_PAYLOADS.items():
        shared = set(actions.entry(name).fields()) - {"revision"}
        assert set(serializer().fields) == shared | {"dossiers"}, name


def test_take_runs_the_service_with_the_parsed_payload(cast: Cast, received: Dossier) -> None:
    """``take`` parses a mapping into the entry's payload and calls the service."""
    taken = actions.take(
        received, "forward", cast.alice, {"note": "Đủ hồ sơ", "revision": received.revision}
    )
    assert taken.status == Status.PROCESSING
    assert taken.events.get(action="forward").reason == "Đủ hồ sơ"


def test_a_missing_required_field_is_refused_on_that_field(cast: Cast, received: Dossier) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.take(received, "send_back", cast.alice, {})
    assert refused.value.error_dict["reason"][0].code == "required"


def test_an_unknown_next_holder_is_refused_on_its_field(cast: Cast, received: Dossier) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.take(received, "forward", cast.alice, {"to": "nobody"})
    assert list(refused.value.error_dict) == ["to"]
    received.refresh_from_db()
    assert received.status == Status.RECEIVED


def test_a_payload_of_another_action_is_a_programming_error(cast: Cast, received: Dossier) -> None:
    with pytest.raises(TypeError):
        actions.take(received, "send_back", cast.alice, actions.Note(note="x"))


def test_who_may_is_the_workflow_table(cast: Cast, received: Dossier) -> None:
    forward = actions.entry("forward")
    assert forward.may(cast.alice, received)  # the desk's step
    assert not forward.may(cast.bob, received)
    assert not forward.may(cast.henry, received)


def test_payloads_are_typed_dataclasses() -> None:
    for entry in actions.REGISTRY.values():
        assert issubclass(entry.payload, actions.Payload)
        assert all(f.kw_only for f in fields(entry.payload))
