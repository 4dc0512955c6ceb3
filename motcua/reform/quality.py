"""ISO 9001 quality management systems per agency (issue 16, item 5) and the province's
figures: how many agencies apply TCVN ISO 9001:2015 and announced it, and their internal
audits in a year (seed 002 counts "152 cơ quan, đơn vị")."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.catalogue.models import Procedure
from motcua.errors import invalid
from motcua.reform import history, permissions
from motcua.reform.models import ReformAction
from motcua.reform.quality_models import InternalAudit, QualitySystem


def record_quality_system(
    agency: Agency,
    *,
    actor: User,
    applies: bool,
    announced_on: dt.date | None,
    certificate: str = "",
    scope: str = "",
    procedures: Iterable[Procedure] = (),
    standard: str = "TCVN ISO 9001:2015",
    now: dt.datetime | None = None,
) -> QualitySystem:
    """The agency's focal point (or the office) records its quality management system."""
    permissions.ensure_agency(actor, agency)
    now = now or timezone.now()
    if applies and announced_on is None:
        raise invalid(
            "announcement_date_required",
            _("Give the date the system was announced."),
            "announced_on",
        )
    if announced_on is not None and announced_on > timezone.localdate(now):
        raise invalid("date_in_future", _("The date is in the future."), "announced_on")
    with transaction.atomic():
        system, _created = QualitySystem.objects.select_for_update().get_or_create(agency=agency)
        old = {
            "applies": system.applies,
            "announced_on": system.announced_on.isoformat() if system.announced_on else None,
        }
        system.applies, system.announced_on = applies, announced_on
        system.certificate, system.scope = certificate.strip(), scope.strip()
        system.standard = standard.strip() or "TCVN ISO 9001:2015"
        system.save(
            update_fields=[
                "applies",
                "announced_on",
                "certificate",
                "scope",
                "standard",
                "updated_at",
            ]
        )
        system.procedures.set(list(procedures))
        history.record(
            ReformAction.QUALITY_RECORDED,
            system,
            actor=actor,
            at=now,
            agency=agency,
            old=old,
            new={
                "applies": applies,
                "announced_on": announced_on.isoformat() if announced_on else None,
            },
        )
    return system


def record_audit(
    system: QualitySystem,
    *,
    actor: User,
    audited_on: dt.date,
    nonconformities: int = 0,
    findings: str = "",
    now: dt.datetime | None = None,
) -> InternalAudit:
    permissions.ensure_agency(actor, system.agency)
    if not system.applies:
        raise invalid("quality_system_not_applied", _("The agency does not apply the standard."))
    if nonconformities < 0:
        raise invalid("threshold_negative", _("A target is zero or more."), "nonconformities")
    now = now or timezone.now()
    with transaction.atomic():
        audit = InternalAudit.objects.create(
            system=system,
            audited_on=audited_on,
            nonconformities=nonconformities,
            findings=findings.strip(),
            recorded_by=actor,
        )
        history.record(
            ReformAction.AUDIT_RECORDED,
            system,
            actor=actor,
            at=now,
            agency=system.agency,
            new={"audit": audit.pk, "audited_on": audited_on.isoformat()},
        )
    return audit


@dataclass(frozen=True)
class QualityFigures:
    agencies: int  # open agencies in scope
    applying: int  # of those, applying the standard with an announcement
    audited: int  # of those, with an internal audit in the year

    @property
    def percent(self) -> int:
        return round(100 * self.applying / self.agencies) if self.agencies else 0


def quality_figures(year: int, agency_ids: set[int] | None = None) -> QualityFigures:
    """The province's (or the given agencies') ISO 9001 figures for ``year``."""
    agencies = Agency.objects.filter(valid_to__isnull=True)
    systems = QualitySystem.objects.filter(applies=True, agency__valid_to__isnull=True)
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=sorted(agency_ids))
        systems = systems.filter(agency_id__in=sorted(agency_ids))
    return QualityFigures(
        agencies=agencies.count(),
        applying=systems.count(),
        audited=systems.filter(audits__audited_on__year=year).distinct().count(),
    )
