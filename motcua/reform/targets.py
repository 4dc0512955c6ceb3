"""Targets and commitments (issue 16, item 2): the office sets each agency's yearly targets,
the agency's focal point reports the hand-reported ones with evidence and records the signed
commitment; achievement ("13/15 = 86%") per agency and the ranking.

A measured target is judged on the live figure (``measures``); one the system cannot measure
yet (no data) is shown and left out of the count. A hand-reported target not reported counts
as not met."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.errors import invalid
from motcua.reform import history, measures, permissions
from motcua.reform.evidence import checked_name
from motcua.reform.models import ReformAction
from motcua.reform.target_models import Commitment, Metric, Target

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


def set_target(
    *,
    actor: User,
    year: int,
    agency: Agency,
    name: str,
    threshold: Decimal,
    metric: str = "",
    unit: str = "%",
    now: dt.datetime | None = None,
) -> Target:
    """The office sets one target of ``agency`` for ``year``."""
    permissions.ensure_office(actor)
    if metric and metric not in Metric.values:
        raise invalid("unknown_metric", _("The system does not measure that."), "metric")
    if not name.strip():
        raise invalid("required", _("This field is required."), "name")
    if threshold < 0:
        raise invalid("threshold_negative", _("A target is zero or more."), "threshold")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            target = Target.objects.create(
                year=year,
                agency=agency,
                metric=metric,
                name=name.strip(),
                threshold=threshold,
                unit=unit.strip() or "%",
            )
            history.record(
                ReformAction.TARGET_SET,
                target,
                actor=actor,
                at=now,
                agency=agency,
                new={"year": year, "metric": metric, "threshold": str(threshold)},
            )
    except IntegrityError:
        raise invalid(
            "target_exists", _("This agency already has that target this year."), "metric"
        ) from None
    return target


def set_standard_targets(
    *, actor: User, year: int, agency: Agency, now: dt.datetime | None = None
) -> list[Target]:
    """The measured targets at the province's thresholds, those not set yet."""
    have = set(Target.objects.filter(year=year, agency=agency).values_list("metric", flat=True))
    return [
        set_target(
            actor=actor,
            year=year,
            agency=agency,
            metric=metric,
            name=str(metric.label),
            threshold=threshold,
            now=now,
        )
        for metric, threshold in measures.STANDARD_THRESHOLDS.items()
        if metric.value not in have
    ]


def report_target(
    target: Target,
    *,
    actor: User,
    actual: Decimal,
    note: str = "",
    evidence: "UploadedFile[bytes] | None" = None,
    now: dt.datetime | None = None,
) -> Target:
    """The agency's focal point reports the figure reached on a hand-reported target."""
    permissions.ensure_agency(actor, target.agency)
    if target.metric:
        raise invalid("target_measured", _("The system measures this target itself."))
    if actual < 0:
        raise invalid("threshold_negative", _("A target is zero or more."), "actual")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Target.objects.select_for_update().get(pk=target.pk)
        old = {"actual": str(locked.actual) if locked.actual is not None else None}
        locked.actual, locked.note = actual, note.strip()
        locked.reported_at, locked.reported_by = now, actor
        fields = ["actual", "note", "reported_at", "reported_by", "updated_at"]
        if evidence is not None:
            locked.evidence.save(checked_name(evidence), evidence, save=False)
            fields.append("evidence")
        locked.save(update_fields=fields)
        history.record(
            ReformAction.TARGET_REPORTED,
            locked,
            actor=actor,
            at=now,
            agency=locked.agency,
            old=old,
            new={"actual": str(actual)},
        )
    target.refresh_from_db()
    return target


def sign_commitment(
    *,
    actor: User,
    year: int,
    agency: Agency,
    signed_on: dt.date,
    signer: str,
    content: str = "",
    document: "UploadedFile[bytes] | None" = None,
    now: dt.datetime | None = None,
) -> Commitment:
    """Record the commitment ``agency``'s head signed for ``year`` (its focal point or the
    office records it)."""
    permissions.ensure_agency(actor, agency)
    if not signer.strip():
        raise invalid("required", _("This field is required."), "signer")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            commitment = Commitment(
                year=year,
                agency=agency,
                signed_on=signed_on,
                signer=signer.strip(),
                content=content.strip(),
            )
            if document is not None:
                commitment.document.save(checked_name(document), document, save=False)
            commitment.save()
            history.record(
                ReformAction.COMMITMENT_SIGNED,
                commitment,
                actor=actor,
                at=now,
                agency=agency,
                new={"year": year, "signed_on": signed_on.isoformat()},
            )
    except IntegrityError:
        raise invalid(
            "commitment_exists", _("This agency's commitment is already recorded."), "year"
        ) from None
    return commitment


@dataclass(frozen=True)
class Judged:
    """One target with its figure and whether it is met (``None``: cannot be judged)."""

    target: Target
    value: Decimal | None
    met: bool | None
    reason: str = ""


@dataclass
class Achievement:
    """An agency's year: its targets judged, and "met/judged = percent"."""

    agency: Agency
    targets: list[Judged]
    commitment: Commitment | None = None
    rank: int = 0

    @property
    def met(self) -> int:
        return sum(1 for j in self.targets if j.met)

    @property
    def judged(self) -> int:
        return sum(1 for j in self.targets if j.met is not None)

    @property
    def percent(self) -> Decimal:
        if not self.judged:
            return Decimal(0)
        return (Decimal(100 * self.met) / self.judged).quantize(Decimal(1), rounding=ROUND_DOWN)

    @property
    def summary(self) -> str:
        """As the seeds print it: "13/15 = 86%" (the share cut to a whole percent)."""
        return f"{self.met}/{self.judged} = {self.percent}%"


def _judge(target: Target, measured: dict[str, measures.Measured]) -> Judged:
    if target.metric:
        figure = measured[target.metric]
        value = figure.percent
        if value is None:
            return Judged(target, None, None, figure.reason or _("no data in the period"))
        return Judged(target, value, value >= target.threshold)
    if target.actual is None:
        return Judged(target, None, False, _("not reported"))
    return Judged(target, target.actual, target.actual >= target.threshold)


def achievement(agency: Agency, year: int, today: dt.date | None = None) -> Achievement:
    targets = list(Target.objects.filter(year=year, agency=agency).order_by("pk"))
    measured = measures.measure_all(agency, year, today) if any(t.metric for t in targets) else {}
    return Achievement(
        agency,
        [_judge(t, measured) for t in targets],
        Commitment.objects.filter(year=year, agency=agency).first(),
    )


def ranking(
    year: int, agency_ids: set[int] | None = None, today: dt.date | None = None
) -> list[Achievement]:
    """The agencies with targets in ``year``, best share first; equal shares rank equal."""
    agencies = Agency.objects.filter(reform_targets__year=year).distinct().order_by("code")
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=sorted(agency_ids))
    rows = sorted(
        (achievement(a, year, today) for a in agencies),
        key=lambda a: (-a.percent, -a.met, a.agency.code),
    )
    for i, row in enumerate(rows):
        row.rank = rows[i - 1].rank if i and row.percent == rows[i - 1].percent else i + 1
    return rows
