"""Catalogue services: publish, amend, replace, abolish, internal processes."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.catalogue import queries, services
from motcua.catalogue.models import (
    AssignmentRole,
    CatalogueAction,
    CatalogueEvent,
    ProcedureVersion,
    VersionStatus,
)
from motcua.catalogue.rules import check_allowances
from motcua.catalogue.specs import StepSpec
from motcua.catalogue.tests.factories import (
    birth_registration,
    make_decision,
    make_field,
    publish_birth_registration,
)
from motcua.errors import refusal_codes
from motcua.testing import Cast


def test_publishing_creates_version_one_with_its_cases_and_an_event(db: None) -> None:
    version = publish_birth_registration()
    assert version.number == 1
    assert version.status == VersionStatus.PUBLISHED
    assert version.effective_from == dt.date(2025, 7, 15)
    assert version.name_search == "dang ky khai sinh"
    case = version.cases.get()
    assert [d.name for d in case.documents.all()] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    assert case.processes.get().steps.count() == 3
    event = CatalogueEvent.objects.get()
    assert event.action == CatalogueAction.PUBLISHED
    assert event.version == version


def test_the_published_content_reads_back_identically(db: None) -> None:
    version = publish_birth_registration()
    assert queries.spec_of(queries.version_with_details(version.pk)) == birth_registration()


def test_publishing_an_existing_code_is_refused(db: None) -> None:
    publish_birth_registration()
    with pytest.raises(ValidationError) as refused:
        services.publish_procedure(birth_registration(), decision=make_decision(), actor=None)
    assert refusal_codes(refused.value) == ["procedure_exists"]


def test_allowances_that_do_not_add_up_are_refused_with_the_difference(db: None) -> None:
    make_field()
    spec = birth_registration()
    case = spec.cases[0]
    short = dataclasses.replace(case, process=case.process[:2])
    with pytest.raises(ValidationError) as info:
        services.publish_procedure(
            dataclasses.replace(spec, cases=(short,)), decision=make_decision(), actor=None
        )
    message = " ".join(info.value.messages)
    assert "2,5" in message and "3" in message and "0,5" in message
    assert not ProcedureVersion.objects.exists()


def test_a_case_without_a_fixed_time_accepts_any_allowances() -> None:
    check_allowances(None, "none", [Decimal(1), Decimal(2)])


def test_amending_ends_the_old_version_the_day_before_and_keeps_it(db: None) -> None:
    """Decision 2387 amends the procedure from 1/9/2025: version 1 ends on 31/8/2025."""
    first = publish_birth_registration()
    amendment = make_decision("2387/QĐ-UBND", "2025-09-01")
    second = services.amend_procedure(
        first.procedure, birth_registration("5"), decision=amendment, actor=None
    )
    first.refresh_from_db()
    assert first.status == VersionStatus.AMENDED
    assert first.effective_to == dt.date(2025, 8, 31)
    assert first.ended_by == amendment
    assert second.number == 2 and second.previous == first
    assert second.cases.get().processing_time == Decimal(5)
    # The old version still answers for the dates it was in force.
    assert list(queries.versions_in_force(dt.date(2025, 8, 1))) == [first]
    assert list(queries.versions_in_force(dt.date(2025, 9, 1))) == [second]
    assert list(queries.versions_in_force()) == [second]


def test_an_amendment_must_take_effect_after_the_version_it_amends(db: None) -> None:
    first = publish_birth_registration()
    with pytest.raises(ValidationError) as refused:
        services.amend_procedure(
            first.procedure, birth_registration("5"), decision=make_decision(), actor=None
        )
    assert refusal_codes(refused.value) == ["decision_before_version"]


def test_replacing_points_the_old_procedure_to_the_new_one(db: None) -> None:
    first = publish_birth_registration()
    spec = dataclasses.replace(birth_registration(), code="1.013046", name="Khai sinh liên thông")
    new = services.replace_procedure(
        first.procedure, spec, decision=make_decision("2714/QĐ-UBND", "2025-10-01"), actor=None
    )
    first.refresh_from_db()
    assert first.status == VersionStatus.REPLACED
    assert first.replaced_by == new.procedure
    assert new.procedure.code == "1.013046"


def test_abolishing_keeps_the_history(db: None) -> None:
    first = publish_birth_registration()
    services.abolish_procedure(
        first.procedure, decision=make_decision("3066/QĐ-UBND", "2025-10-01"), actor=None
    )
    first.refresh_from_db()
    assert first.status == VersionStatus.ABOLISHED
    assert not queries.versions_in_force().exists()
    assert ProcedureVersion.objects.count() == 1
    assert [e.action for e in CatalogueEvent.objects.order_by("pk")] == ["published", "abolished"]
    with pytest.raises(ValidationError) as refused:
        services.abolish_procedure(
            first.procedure, decision=make_decision("3067/QĐ-UBND", "2025-11-01"), actor=None
        )
    assert refusal_codes(refused.value) == ["procedure_not_in_force"]


def test_only_system_administrators_change_the_catalogue(cast: Cast) -> None:
    make_field()
    for user in [cast.alice, cast.bob, cast.carol, cast.dave, cast.erin, cast.frank, cast.oscar]:
        with pytest.raises(PermissionDenied):
            services.publish_procedure(birth_registration(), decision=make_decision(), actor=user)
    version = services.publish_procedure(
        birth_registration(), decision=make_decision(), actor=cast.grace
    )
    assert CatalogueEvent.objects.get(version=version).actor == cast.grace


def test_an_agency_administrator_sets_their_agencys_own_process(cast: Cast) -> None:
    version = publish_birth_registration()
    case = version.cases.get()
    steps = [
        StepSpec("Tiếp nhận và thẩm định", "specialist", "Tư pháp", Decimal("2.5")),
        StepSpec("Ký", "signing_leader", "Lãnh đạo", Decimal("0.5")),
    ]
    process = services.set_internal_process(case, steps, agency=cast.agency, actor=cast.erin)
    assert [s.name for s in process.steps.all()] == ["Tiếp nhận và thẩm định", "Ký"]
    assert queries.process_for(case, cast.agency) == process
    assert queries.process_for(case, cast.other_agency) is not None  # the template
    event = CatalogueEvent.objects.get(action=CatalogueAction.PROCESS_SET)
    assert event.data["agency"] == "H56.22" and event.actor == cast.erin
    with pytest.raises(PermissionDenied):
        services.set_internal_process(case, steps, agency=cast.other_agency, actor=cast.erin)
    with pytest.raises(PermissionDenied):
        services.set_internal_process(case, steps, agency=None, actor=cast.erin)
    with pytest.raises(ValidationError):
        services.set_internal_process(case, steps[:1], agency=cast.agency, actor=cast.erin)
    assert process.steps.count() == 2


def test_procedures_are_assigned_to_agencies_with_an_event(cast: Cast) -> None:
    """erin assigns her agency; she may not assign another; a closed agency is refused."""
    import datetime as dt

    from motcua.accounts import services as accounts

    version = publish_birth_registration()
    procedure = version.procedure
    assignment = services.assign_procedure(
        procedure, cast.agency, AssignmentRole.RECEIVING, actor=cast.erin
    )
    again = services.assign_procedure(
        procedure, cast.agency, AssignmentRole.RECEIVING, actor=cast.erin
    )
    assert again == assignment
    assert CatalogueEvent.objects.filter(action=CatalogueAction.ASSIGNED).count() == 1
    with pytest.raises(PermissionDenied):
        services.assign_procedure(
            procedure, cast.other_agency, AssignmentRole.COMPETENT, actor=cast.erin
        )
    with pytest.raises(PermissionDenied):
        services.assign_procedure(
            procedure, cast.agency, AssignmentRole.COMPETENT, actor=cast.alice
        )
    accounts.close_agency(
        cast.other_agency,
        last_day=dt.date(2025, 6, 30),
        successor=cast.agency,
        actor=cast.grace,
        reason="merged",
    )
    with pytest.raises(ValidationError) as refused:
        services.assign_procedure(
            procedure, cast.other_agency, AssignmentRole.COMPETENT, actor=cast.grace
        )
    assert refusal_codes(refused.value) == ["agency_closed"]
    services.unassign_procedure(assignment, actor=cast.erin)
    assert not procedure.assignments.exists()
    assert CatalogueEvent.objects.filter(action=CatalogueAction.UNASSIGNED).count() == 1
