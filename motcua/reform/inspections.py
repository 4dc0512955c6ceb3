"""Writes to the reform inspections (issue 16, item 3) and the plan's coverage.

The office plans the year's inspections, forms teams and schedules one inspection per unit
(the checklist copied in); the team's findings set the remediation report's due date, 30
working days on the unit's calendar (``motcua.workdays``); the unit's focal point sends its
remediation report; the office closes the inspection. Each write appends a ``ReformEvent``."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.errors import invalid
from motcua.reform import history, permissions
from motcua.reform.evidence import checked_name
from motcua.reform.inspection_models import (
    DEFAULT_CHECKLIST,
    MINIMUM_COVERAGE_PERCENT,
    REMEDIATION_WORKING_DAYS,
    Inspection,
    InspectionItem,
    InspectionPlan,
    InspectionStatus,
    InspectionTeam,
    ItemResult,
)
from motcua.reform.models import ReformAction
from motcua.workdays import clock
from motcua.workdays.calendars import spec_for

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


def create_inspection_plan(
    *,
    actor: User,
    year: int,
    decision_number: str,
    decision_date: dt.date,
    signer: str,
    units_total: int,
    now: dt.datetime | None = None,
) -> InspectionPlan:
    permissions.ensure_office(actor)
    if not decision_number.strip() or not signer.strip():
        raise invalid("required", _("This field is required."), "decision_number")
    if units_total <= 0:
        raise invalid("units_not_positive", _("Give the number of units."), "units_total")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            plan = InspectionPlan.objects.create(
                year=year,
                decision_number=decision_number.strip(),
                decision_date=decision_date,
                signer=signer.strip(),
                units_total=units_total,
            )
            history.record(
                ReformAction.INSPECTION_PLANNED,
                plan,
                actor=actor,
                at=now,
                new={"year": year, "units_total": units_total},
            )
    except IntegrityError:
        raise invalid(
            "inspection_plan_exists",
            _("This year's inspection plan is already recorded."),
            "year",
        ) from None
    return plan


def form_team(
    plan: InspectionPlan,
    *,
    actor: User,
    name: str,
    leader: str,
    members: str = "",
    now: dt.datetime | None = None,
) -> InspectionTeam:
    permissions.ensure_office(actor)
    if not name.strip() or not leader.strip():
        raise invalid("required", _("This field is required."), "name")
    with transaction.atomic():
        team = InspectionTeam.objects.create(
            plan=plan, name=name.strip(), leader=leader.strip(), members=members.strip()
        )
        history.record(
            ReformAction.TEAM_FORMED,
            team,
            actor=actor,
            at=now or timezone.now(),
            new={"plan": plan.pk, "name": team.name},
        )
    return team


def schedule_inspection(
    plan: InspectionPlan,
    *,
    actor: User,
    team: InspectionTeam,
    agency: Agency,
    scheduled_on: dt.date,
    now: dt.datetime | None = None,
) -> Inspection:
    """Schedule the inspection of ``agency`` by ``team``, with the standard checklist."""
    permissions.ensure_office(actor)
    if team.plan_id != plan.pk:
        raise invalid("team_not_in_plan", _("The team belongs to another plan."), "team")
    if scheduled_on.year != plan.year:
        raise invalid("date_out_of_plan_year", _("Schedule it in the plan's year."), "scheduled_on")
    try:
        with transaction.atomic():
            inspection = Inspection.objects.create(
                plan=plan, team=team, agency=agency, scheduled_on=scheduled_on
            )
            InspectionItem.objects.bulk_create(
                InspectionItem(inspection=inspection, number=i, text=text)
                for i, text in enumerate(DEFAULT_CHECKLIST, start=1)
            )
            history.record(
                ReformAction.INSPECTION_SCHEDULED,
                inspection,
                actor=actor,
                at=now or timezone.now(),
                agency=agency,
                new={"scheduled_on": scheduled_on.isoformat(), "team": team.pk},
            )
    except IntegrityError:
        raise invalid(
            "unit_already_inspected", _("This unit is already in the plan."), "agency"
        ) from None
    return inspection


def remediation_due(agency: Agency, inspected_on: dt.date) -> dt.date:
    """The last day of the remediation report: ``REMEDIATION_WORKING_DAYS`` working days
    counted from the day after the inspection on the unit's calendar."""
    spec = spec_for(agency.calendar)
    start = dt.datetime.combine(inspected_on + dt.timedelta(days=1), dt.time(0), spec.tz)
    result = clock.due(start, REMEDIATION_WORKING_DAYS, clock.Unit.WORKING_DAYS, spec)
    return result.due_at.astimezone(spec.tz).date()


def record_findings(
    inspection: Inspection,
    *,
    actor: User,
    inspected_on: dt.date,
    findings: str,
    recommendations: str,
    results: dict[int, tuple[str, str]],
    now: dt.datetime | None = None,
) -> Inspection:
    """The team's findings and recommendations, each checklist point's result (number →
    (result, note)); the remediation report falls due."""
    permissions.ensure_office(actor)
    if not findings.strip():
        raise invalid("required", _("This field is required."), "findings")
    for result, _note in results.values():
        if result not in ItemResult.values:
            raise invalid("unknown_result", _("Choose a result for each point."), "results")
    now = now or timezone.now()
    if inspected_on > timezone.localdate(now):
        raise invalid("date_in_future", _("The inspection has not happened yet."), "inspected_on")
    with transaction.atomic():
        locked = (
            Inspection.objects.select_for_update()
            .select_related("agency__calendar")
            .get(pk=inspection.pk)
        )
        if locked.status != InspectionStatus.SCHEDULED:
            raise invalid("inspection_not_scheduled", _("The findings are already recorded."))
        for item in locked.items.all():
            if item.number in results:
                item.result, item.note = results[item.number]
                item.save(update_fields=["result", "note"])
        locked.inspected_on = inspected_on
        locked.findings = findings.strip()
        locked.recommendations = recommendations.strip()
        locked.status = InspectionStatus.REMEDIATING
        locked.remediation_due_on = remediation_due(locked.agency, inspected_on)
        locked.save(
            update_fields=[
                "inspected_on",
                "findings",
                "recommendations",
                "status",
                "remediation_due_on",
                "updated_at",
            ]
        )
        history.record(
            ReformAction.INSPECTION_RECORDED,
            locked,
            actor=actor,
            at=now,
            agency=locked.agency,
            old={"status": InspectionStatus.SCHEDULED},
            new={"status": locked.status, "due": locked.remediation_due_on.isoformat()},
        )
    inspection.refresh_from_db()
    return inspection


def report_remediation(
    inspection: Inspection,
    *,
    actor: User,
    report: str,
    document: "UploadedFile[bytes] | None" = None,
    now: dt.datetime | None = None,
) -> Inspection:
    """The inspected unit's focal point (or the office) sends the remediation report."""
    permissions.ensure_agency(actor, inspection.agency)
    if not report.strip():
        raise invalid("required", _("This field is required."), "report")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.status != InspectionStatus.REMEDIATING:
            raise invalid("not_awaiting_remediation", _("No remediation report is awaited."))
        locked.status = InspectionStatus.REMEDIATED
        locked.remediation_reported_on = timezone.localdate(now)
        locked.remediation_report = report.strip()
        fields = ["status", "remediation_reported_on", "remediation_report", "updated_at"]
        if document is not None:
            locked.remediation_file.save(checked_name(document), document, save=False)
            fields.append("remediation_file")
        locked.save(update_fields=fields)
        history.record(
            ReformAction.REMEDIATION_REPORTED,
            locked,
            actor=actor,
            at=now,
            agency=inspection.agency,
            old={"status": InspectionStatus.REMEDIATING},
            new={"status": locked.status, "late": locked.remediation_late_since is not None},
        )
    inspection.refresh_from_db()
    return inspection


def close_inspection(
    inspection: Inspection, *, actor: User, now: dt.datetime | None = None
) -> Inspection:
    """The office accepts the remediation and closes the follow-up."""
    permissions.ensure_office(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.status != InspectionStatus.REMEDIATED:
            raise invalid("not_remediated", _("The remediation report has not come yet."))
        locked.status = InspectionStatus.CLOSED
        locked.closed_on = timezone.localdate(now)
        locked.save(update_fields=["status", "closed_on", "updated_at"])
        history.record(
            ReformAction.INSPECTION_CLOSED,
            locked,
            actor=actor,
            at=now,
            agency=inspection.agency,
            old={"status": InspectionStatus.REMEDIATED},
            new={"status": locked.status},
        )
    inspection.refresh_from_db()
    return inspection


@dataclass(frozen=True)
class Coverage:
    units: int
    total: int

    @property
    def percent(self) -> Decimal:
        share = Decimal(100 * self.units) / self.total if self.total else Decimal(0)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def too_low(self) -> bool:
        """Fewer than 30% of the units (seed 001's plan: "ít nhất 30% đơn vị")."""
        return self.units * 100 < MINIMUM_COVERAGE_PERCENT * self.total


def coverage(plan: InspectionPlan) -> Coverage:
    return Coverage(plan.inspections.count(), plan.units_total)
