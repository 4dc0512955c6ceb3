"""Report test data: two procedures in two fields at the test agency, built through the real
catalogue and dossier services."""

import datetime as dt

from motcua.accounts.models import AdministrativeUnit, Agency, UnitLevel
from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import (
    birth_registration_case,
    complete_intake,
    household_business_case,
)
from motcua.testing import Cast


def civil_status_case(agency: Agency) -> Case:
    """A 5-working-day procedure in another field, with the same process."""
    return birth_registration_case(agency)


def province_unit(agency: Agency) -> None:
    unit = AdministrativeUnit.objects.create(
        code="82", level=UnitLevel.PROVINCE, name="Đồng Tháp", full_name="Tỉnh Đồng Tháp"
    )
    Agency.objects.filter(pk=agency.pk).update(unit=unit)


def cases(cast: Cast) -> list[Case]:
    province_unit(cast.agency)
    return [household_business_case(cast.agency), civil_status_case(cast.agency)]


def receive(cast: Cast, case: Case, now: dt.datetime, channel: str = "in_person") -> Dossier:
    """A dossier received at the desk, or submitted online and received 30 minutes later."""
    if channel == "online":
        submitted = intake.submit_online(
            complete_intake(case, "online"), agency=cast.agency, actor=cast.henry, now=now
        )
        return services.receive(submitted, actor=cast.alice, now=now + dt.timedelta(minutes=30))
    return intake.receive_new_dossier(
        complete_intake(case, channel), agency=cast.agency, actor=cast.alice, now=now
    )


def sign(cast: Cast, dossier: Dossier, now: dt.datetime) -> None:
    """Through the desk, the specialist and the head to the leader's signature at ``now``."""
    for hour, actor in enumerate([cast.alice, cast.bob, cast.carol], start=1):
        services.forward(dossier, actor=actor, now=now - dt.timedelta(hours=4 - hour))
    services.approve(dossier, actor=cast.dave, result="Giấy chứng nhận", now=now)
