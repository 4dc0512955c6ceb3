"""Where a dossier may be received (issue 10 item 6): never at a closed agency, at one without
a reception desk, or at one the province does not assign to receive the procedure, whatever
the channel (online, at the desk, by post) and the transport (services, API); and the lead
agency is never an arbitrary one: refused when it cannot be determined."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from motcua.accounts import services as accounts
from motcua.accounts.models import Agency, AgencyKind, Role
from motcua.catalogue.models import AssignmentRole, Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import assign, at, complete_intake, household_business_case
from motcua.testing import Cast, make_agency, make_user

NOW = at("2026-03-02T09:00")


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


def _code(refusal: ValidationError) -> str | None:
    return refusal.error_list[0].code


def _closed_centre(case: Case) -> Agency:
    """A centre with a desk, assigned to receive the procedure, closed on 30 June 2025."""
    centre = make_agency("H56.40", "Bộ phận Một cửa huyện cũ", AgencyKind.DISTRICT_ONE_STOP)
    make_user("desk40", (Role.DESK_OFFICER, centre))
    assign(case, centre, AssignmentRole.RECEIVING)
    accounts.close_agency(
        centre, last_day=dt.date(2025, 6, 30), successor=None, actor=None, reason="Sắp xếp"
    )
    centre.refresh_from_db()
    return centre


def test_a_closed_agency_receives_nothing_by_any_channel(cast: Cast, case: Case) -> None:
    centre = _closed_centre(case)
    desk = centre.role_assignments.get().user
    for channel in ("in_person", "post"):
        with pytest.raises(ValidationError) as refused:
            intake.receive_new_dossier(
                complete_intake(case, channel), agency=centre, actor=desk, now=NOW
            )
        assert _code(refused.value) == "agency_closed"
    with pytest.raises(ValidationError) as refused:
        intake.submit_online(
            complete_intake(case, "online"), agency=centre, actor=cast.henry, now=NOW
        )
    assert _code(refused.value) == "agency_closed"
    with pytest.raises(ValidationError) as refused:
        intake.refuse_at_desk(complete_intake(case), agency=centre, actor=desk,
                              reasons=["Thiếu"], now=NOW)  # fmt: skip
    assert _code(refused.value) == "agency_closed"
    assert not Dossier.objects.exists()


def test_an_agency_without_a_reception_desk_receives_nothing(cast: Cast, case: Case) -> None:
    department = make_agency("H56.41", "Sở Tài chính", AgencyKind.PROVINCIAL_DEPARTMENT)
    make_user("spec41", (Role.SPECIALIST, department))
    assign(case, department, AssignmentRole.RECEIVING)
    with pytest.raises(ValidationError) as refused:
        intake.submit_online(
            complete_intake(case, "online"), agency=department, actor=cast.henry, now=NOW
        )
    assert _code(refused.value) == "agency_has_no_desk"
    assert not Dossier.objects.exists()


def test_an_agency_not_assigned_to_receive_the_procedure_receives_nothing(
    cast: Cast, case: Case
) -> None:
    """ivan is the desk of H56.23, which receives other procedures but not this one."""
    for channel in ("in_person", "post"):
        with pytest.raises(ValidationError) as refused:
            intake.receive_new_dossier(
                complete_intake(case, channel), agency=cast.other_agency, actor=cast.ivan, now=NOW
            )
        assert _code(refused.value) == "procedure_not_received_here"
    with pytest.raises(ValidationError) as refused:
        intake.submit_online(
            complete_intake(case, "online"), agency=cast.other_agency, actor=cast.henry, now=NOW
        )
    assert _code(refused.value) == "procedure_not_received_here"
    assert not Dossier.objects.exists()
    # Assigned, it is received there.
    assign(case, cast.other_agency, AssignmentRole.RECEIVING)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.other_agency, actor=cast.ivan, now=NOW
    )
    assert dossier.lead_agency == cast.agency  # the only competent agency


def _intake_body(case: Case, agency: str, channel: str) -> dict[str, Any]:
    return {
        "agency": agency,
        "procedure": case.version.procedure.code,
        "channel": channel,
        "applicant": {"name": "Nguyễn Văn Bình"},
        "checklist": [{"required_id": d.pk} for d in case.documents.filter(mandatory=True)],
    }


def test_the_api_refuses_each_with_its_code(client: Client, cast: Cast, case: Case) -> None:
    centre = _closed_centre(case)
    client.force_login(cast.henry)
    closed = client.post("/api/v1/dossiers/submit/", _intake_body(case, centre.code, "online"),
                         content_type="application/json")  # fmt: skip
    assert closed.status_code == 400 and closed.json()["code"] == "agency_closed"
    client.force_login(cast.ivan)
    elsewhere = client.post(
        "/api/v1/dossiers/receive/", _intake_body(case, "H56.23", "post"),
        content_type="application/json",
    )  # fmt: skip
    assert elsewhere.status_code == 400
    assert elsewhere.json()["code"] == "procedure_not_received_here"
    assert not Dossier.objects.exists()


def _province() -> dict[str, Agency]:
    """A province's committee with its centre, a department, and two wards with their centres
    (each committee serving its own administrative unit)."""
    from motcua.accounts.models import AdministrativeUnit

    province = AdministrativeUnit.objects.create(level="province", code="56", name="Khánh Hòa",
                                                 full_name="Tỉnh Khánh Hòa")  # fmt: skip
    ward_a = AdministrativeUnit.objects.create(level="commune", code="22333", name="A",
                                               full_name="Phường A", parent=province)  # fmt: skip
    ward_b = AdministrativeUnit.objects.create(level="commune", code="22334", name="B",
                                               full_name="Phường B", parent=province)  # fmt: skip
    top = make_agency("H56", "UBND tỉnh", AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE, unit=province)
    agencies = {
        "top": top,
        "centre": make_agency("H56.20", "Trung tâm PVHCC tỉnh",
                              AgencyKind.PUBLIC_ADMINISTRATION_SERVICE_CENTRE, parent=top,
                              unit=province),
        "department": make_agency("H56.24", "Sở Tài chính", AgencyKind.PROVINCIAL_DEPARTMENT,
                                  parent=top, unit=province),
        "ward_a": make_agency("H56.50", "UBND phường A", AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
                              parent=top, unit=ward_a),
        "ward_b": make_agency("H56.51", "UBND phường B", AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
                              parent=top, unit=ward_b),
    }  # fmt: skip
    agencies["ward_a_centre"] = make_agency(
        "H56.50.01", "Trung tâm PVHCC phường A", AgencyKind.COMMUNE_CENTRE,
        parent=agencies["ward_a"], unit=ward_a,
    )  # fmt: skip
    agencies["ward_b_centre"] = make_agency(
        "H56.51.01", "Trung tâm PVHCC phường B", AgencyKind.COMMUNE_CENTRE,
        parent=agencies["ward_b"], unit=ward_b,
    )  # fmt: skip
    return agencies


def test_the_lead_agency_is_the_competent_one_of_the_place_or_the_dossier_is_refused(
    cast: Cast,
) -> None:
    """A commune procedure decided by each ward's committee: a ward centre's dossier is led by
    its own committee, never the other ward's; at the provincial centre, where no one ward is
    the place's, the lead cannot be determined and the dossier is refused."""
    a = _province()
    case = household_business_case(a["ward_a"])  # ward A receives and decides
    assign(case, a["ward_b"], AssignmentRole.COMPETENT)
    for centre in ("ward_a_centre", "ward_b_centre", "centre"):
        assign(case, a[centre], AssignmentRole.RECEIVING)
        make_user(f"desk{a[centre].pk}", (Role.DESK_OFFICER, a[centre]))
    assert intake.lead_agency_for(case, a["ward_a_centre"]) == a["ward_a"]
    assert intake.lead_agency_for(case, a["ward_b_centre"]) == a["ward_b"]
    desk = make_user("provdesk", (Role.DESK_OFFICER, a["centre"]))
    with pytest.raises(ValidationError) as refused:
        intake.receive_new_dossier(complete_intake(case), agency=a["centre"], actor=desk, now=NOW)
    assert _code(refused.value) == "lead_agency_undetermined"
    assert not Dossier.objects.exists()


def test_the_provincial_centre_leads_to_the_department_of_its_own_place(cast: Cast) -> None:
    """A procedure decided by a department (province) and by the wards (communes): the
    provincial centre's dossier goes to the department serving the province."""
    a = _province()
    case = household_business_case(a["department"])
    for ward in ("ward_a", "ward_b"):
        assign(case, a[ward], AssignmentRole.COMPETENT)
    assert intake.lead_agency_for(case, a["centre"]) == a["department"]
