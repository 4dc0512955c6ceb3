"""The PAR self-assessment's writes: each runs in a transaction, locks the self-assessment it
changes, checks the workflow table (``workflow.py``) and the actor, and appends a ``ParEvent``.
The criteria import is in ``importing.py``."""

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, AgencyKind, User
from motcua.dossiers.documents import base_name, check_upload, stored_name
from motcua.errors import Refusal, Refused
from motcua.par import history
from motcua.par.measures import measure, points_for
from motcua.par.models import Assessment, CriteriaSet, Evidence, FocalPoint, Score, SubCriterion
from motcua.par.permissions import require_focal_point, require_reform_office
from motcua.par.workflow import RULES, Action, Actor, Group, Status, allowed, target

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

DEPARTMENT_KINDS = frozenset({AgencyKind.PROVINCIAL_DEPARTMENT, AgencyKind.BRANCH})
COMMUNE_KINDS = frozenset({AgencyKind.COMMUNE_PEOPLES_COMMITTEE, AgencyKind.COMMUNE_CENTRE})
MAX_EVIDENCE = 10
ZERO = Decimal(0)


def group_of(agency: Agency) -> Group:
    """Departments are ranked among departments, communes among communes."""
    if agency.kind in DEPARTMENT_KINDS:
        return Group.DEPARTMENT
    if agency.kind in COMMUNE_KINDS:
        return Group.COMMUNE
    return Group.OTHER


def designate_focal_point(
    agency: Agency, user: User, *, actor: User | None, now: dt.datetime | None = None
) -> FocalPoint:
    """Make ``user`` ``agency``'s PAR focal point (the reform office does)."""
    now = now or timezone.now()
    require_reform_office(actor)
    if not user.is_active or not user.role_assignments.filter(agency=agency).exists():
        raise Refusal(
            _("The focal point must be an active officer of the agency."),
            code="par_focal_point_not_officer",
            field="user",
        )
    with transaction.atomic():
        focal, created = FocalPoint.objects.get_or_create(
            agency=agency, user=user, defaults={"designated_at": now}
        )
        if created:
            history.record(
                Action.DESIGNATE,
                actor=actor,
                now=now,
                data={"agency": agency.code, "user": user.username},
            )
    return focal


def open_assessment(
    criteria_set: CriteriaSet, agency: Agency, *, actor: User, now: dt.datetime | None = None
) -> Assessment:
    """The agency's self-assessment of the year, opened on first use by its focal point: one
    score per sub-criterion, the measured ones filled from the system's figures."""
    now = now or timezone.now()
    require_focal_point(actor, agency)
    with transaction.atomic():
        found = Assessment.objects.filter(criteria_set=criteria_set, agency=agency).first()
        if found is not None:
            return found
        if criteria_set.published_at is not None:
            raise Refusal(_("The year's results are published."), code="par_published")
        assessment = Assessment.objects.create(
            criteria_set=criteria_set, agency=agency, group=group_of(agency), opened_at=now
        )
        subs = SubCriterion.objects.filter(criterion__area__criteria_set=criteria_set)
        Score.objects.bulk_create(Score(assessment=assessment, sub=sub) for sub in subs)
        history.record(
            Action.OPEN, actor=actor, now=now, assessment=assessment, new_status=Status.DRAFT
        )
        _measure_all(assessment, actor=actor, now=now)
    return assessment


@contextmanager
def _acting(assessment: Assessment, action: Action, *, actor: User | None) -> Iterator[Assessment]:
    """Lock the self-assessment, check the actor and the workflow, yield the locked row."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().select_related("agency", "criteria_set")
        current = locked.get(pk=assessment.pk)
        if RULES[action].actor == Actor.FOCAL_POINT:
            require_focal_point(actor, current.agency)
        else:
            require_reform_office(actor)
        if not allowed(action, current.status):
            raise Refused(
                _("This cannot be done while the self-assessment is “%(status)s”.")
                % {"status": current.get_status_display()},
                code="par_wrong_status",
            )
        yield current


def _measure_all(assessment: Assessment, *, actor: User | None, now: dt.datetime) -> None:
    """Fill every measured sub-criterion from the system's figures (in the caller's
    transaction, the self-assessment locked or new)."""
    year = assessment.criteria_set.year
    filled: dict[str, str | None] = {}
    for score in assessment.scores.select_related("sub").exclude(sub__measure=""):
        figure = measure(score.sub.measure, assessment.agency, year, now)
        score.measured_figure, score.measured_basis = figure.percent, figure.basis[:255]
        if figure.percent is not None:
            score.self_points = points_for(figure.percent, score.sub.max_points, score.sub.target)
        score.save(update_fields=["measured_figure", "measured_basis", "self_points"])
        filled[score.sub.code] = None if figure.percent is None else str(figure.percent)
    _total(assessment)
    history.record(
        Action.MEASURE, actor=actor, now=now, assessment=assessment, data={"figures": filled}
    )


def _total(assessment: Assessment) -> None:
    total = assessment.scores.aggregate(total=Sum("self_points"))["total"] or ZERO
    assessment.self_total = total
    assessment.save(update_fields=["self_total", "updated_at"])


def remeasure(assessment: Assessment, *, actor: User, now: dt.datetime | None = None) -> None:
    """Fill the measured sub-criteria again from today's figures (a draft only)."""
    now = now or timezone.now()
    with _acting(assessment, Action.MEASURE, actor=actor) as current:
        _measure_all(current, actor=actor, now=now)


def _score_of(assessment: Assessment, sub_code: str) -> Score:
    score = assessment.scores.select_related("sub").filter(sub__code=sub_code).first()
    if score is None:
        raise Refusal(_("No such sub-criterion."), code="par_no_such_sub", field="sub")
    return score


def _check_points(points: Decimal, score: Score) -> Decimal:
    if points < 0 or points > score.sub.max_points:
        raise Refusal(
            _("The points are between 0 and %(max)s.") % {"max": score.sub.max_points},
            code="par_points_out_of_range",
            field="points",
        )
    return points.quantize(Decimal("0.01"))


def self_score(
    assessment: Assessment,
    sub_code: str,
    *,
    points: Decimal,
    explanation: str,
    actor: User,
    now: dt.datetime | None = None,
) -> Score:
    """The focal point's points and explanation for one sub-criterion of its draft; a
    sub-criterion the system measured takes the system's points, not the agency's."""
    now = now or timezone.now()
    with _acting(assessment, Action.SCORE, actor=actor) as current:
        score = _score_of(current, sub_code)
        if score.measured_figure is not None:
            raise Refusal(
                _("The system measures this sub-criterion."), code="par_measured", field="points"
            )
        old = score.self_points
        score.self_points = _check_points(points, score)
        score.explanation = explanation.strip()[:4000]
        score.save(update_fields=["self_points", "explanation"])
        _total(current)
        history.record(
            Action.SCORE,
            actor=actor,
            now=now,
            assessment=current,
            data={"sub": sub_code, "old": _str(old), "points": str(score.self_points)},
        )
    return score


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def attach_evidence(
    assessment: Assessment,
    sub_code: str,
    upload: "UploadedFile[bytes]",
    *,
    actor: User,
    now: dt.datetime | None = None,
) -> Evidence:
    """A file proving a sub-criterion's score, checked like the desk's scans (PDF or image by
    its content, the extension agreeing, the size limit: docs/uploads.md)."""
    now = now or timezone.now()
    content_type = check_upload(upload)
    with _acting(assessment, Action.ATTACH, actor=actor) as current:
        score = _score_of(current, sub_code)
        if score.evidence.count() >= MAX_EVIDENCE:
            raise Refusal(
                _("At most %(n)s files per sub-criterion.") % {"n": MAX_EVIDENCE},
                code="par_too_much_evidence",
                field="file",
            )
        digest = hashlib.sha256()
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
        evidence = Evidence(
            score=score,
            name=(base_name(upload.name or "") or "tep")[:255],
            content_type=content_type,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
            uploaded_at=now,
        )
        upload.seek(0)
        evidence.file.save(stored_name(upload.name or "", content_type), upload, save=False)
        evidence.save()
        history.record(
            Action.ATTACH,
            actor=actor,
            now=now,
            assessment=current,
            data={"sub": sub_code, "file": evidence.name, "sha256": evidence.sha256},
        )
    return evidence


def remove_evidence(evidence: Evidence, *, actor: User, now: dt.datetime | None = None) -> None:
    """Take a file off a draft (the file itself stays in the storage for the audit)."""
    now = now or timezone.now()
    with _acting(evidence.score.assessment, Action.DETACH, actor=actor) as current:
        found = Evidence.objects.filter(pk=evidence.pk, score__assessment=current).first()
        if found is None:
            raise Refusal(_("No such file."), code="par_no_such_evidence")
        history.record(
            Action.DETACH,
            actor=actor,
            now=now,
            assessment=current,
            data={"sub": found.score.sub.code, "file": found.name, "sha256": found.sha256},
        )
        found.delete()


def submit(assessment: Assessment, *, actor: User, now: dt.datetime | None = None) -> Assessment:
    """Send the self-assessment to the reform office: every sub-criterion scored; the measured
    ones are filled again so the figures submitted are the day's."""
    now = now or timezone.now()
    with _acting(assessment, Action.SUBMIT, actor=actor) as current:
        _measure_all(current, actor=actor, now=now)
        missing = list(
            current.scores.filter(self_points__isnull=True)
            .values_list("sub__code", flat=True)
            .order_by("sub__code")[:20]
        )
        if missing:
            raise Refusal(
                _("Not yet scored: %(codes)s.") % {"codes": ", ".join(missing)},
                code="par_not_all_scored",
            )
        _move(
            current,
            Action.SUBMIT,
            actor=actor,
            now=now,
            data={"self_total": str(current.self_total)},
        )
    return current


def _move(
    assessment: Assessment,
    action: Action,
    *,
    actor: User | None,
    now: dt.datetime,
    reason: str = "",
    data: dict[str, object] | None = None,
) -> None:
    old, new = assessment.status, target(action)
    assessment.status = new
    stamp = {
        Action.SUBMIT: "submitted_at",
        Action.FINISH: "appraised_at",
        Action.PUBLISH: "published_at",
    }.get(action)
    fields = ["status", "updated_at", "final_total"]
    if stamp:
        setattr(assessment, stamp, now)
        fields.append(stamp)
    assessment.save(update_fields=fields)
    history.record(
        action,
        actor=actor,
        now=now,
        assessment=assessment,
        old_status=old,
        new_status=new,
        reason=reason,
        data=dict(data or {}),
    )


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise Refusal(_("Give the reason."), code="par_reason_required", field="reason")
    return text[:4000]


def return_assessment(
    assessment: Assessment, *, reason: str, actor: User, now: dt.datetime | None = None
) -> Assessment:
    """Send a submitted self-assessment back to the agency for rework, with the reason."""
    now = now or timezone.now()
    text = _reason(reason)
    with _acting(assessment, Action.RETURN, actor=actor) as current:
        current.scores.update(final_points=None, appraisal_reason="")
        _move(current, Action.RETURN, actor=actor, now=now, reason=text)
    return current


def appraise(
    assessment: Assessment,
    sub_code: str,
    *,
    points: Decimal,
    reason: str,
    actor: User,
    now: dt.datetime | None = None,
) -> Score:
    """The reform office's points for one sub-criterion of a submitted self-assessment; a
    change from the agency's points needs its reason."""
    now = now or timezone.now()
    with _acting(assessment, Action.APPRAISE, actor=actor) as current:
        score = _score_of(current, sub_code)
        points = _check_points(points, score)
        text = reason.strip()[:4000]
        if points != score.self_points and not text:
            raise Refusal(
                _("Give the reason for changing the agency's points."),
                code="par_reason_required",
                field="reason",
            )
        old = score.final_points
        score.final_points, score.appraisal_reason = points, text
        score.save(update_fields=["final_points", "appraisal_reason"])
        history.record(
            Action.APPRAISE,
            actor=actor,
            now=now,
            assessment=current,
            reason=text,
            data={
                "sub": sub_code,
                "self": _str(score.self_points),
                "old": _str(old),
                "points": str(points),
            },
        )
    return score


def finish_appraisal(
    assessment: Assessment, *, actor: User, now: dt.datetime | None = None
) -> Assessment:
    """Close the appraisal: a sub-criterion the reform office did not change keeps the
    agency's points; the final total is the sum."""
    now = now or timezone.now()
    with _acting(assessment, Action.FINISH, actor=actor) as current:
        kept = current.scores.filter(final_points__isnull=True)
        for score in kept:
            score.final_points = score.self_points
            score.save(update_fields=["final_points"])
        total = current.scores.aggregate(total=Sum("final_points"))["total"] or ZERO
        current.final_total = total
        changed = current.scores.exclude(appraisal_reason="").count()
        _move(
            current,
            Action.FINISH,
            actor=actor,
            now=now,
            data={
                "final_total": str(total),
                "self_total": str(current.self_total),
                "changed": changed,
            },
        )
    return current


def publish(
    criteria_set: CriteriaSet, *, actor: User, now: dt.datetime | None = None
) -> CriteriaSet:
    """Publish the year's final scores and ranking: refused while a submitted self-assessment
    is still under appraisal or none is appraised. Self-assessments never submitted stay out
    of the ranking."""
    now = now or timezone.now()
    require_reform_office(actor)
    with transaction.atomic():
        locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
        if locked.published_at is not None:
            raise Refusal(_("The year's results are published."), code="par_published")
        rows = Assessment.objects.select_for_update().filter(criteria_set=locked).order_by("pk")
        statuses = [a.status for a in rows]
        if Status.SUBMITTED in statuses:
            raise Refusal(
                _("Some self-assessments are still under appraisal."), code="par_appraisal_pending"
            )
        if Status.APPRAISED not in statuses:
            raise Refusal(_("No self-assessment has been appraised."), code="par_none_appraised")
        for assessment in rows:
            if assessment.status == Status.APPRAISED:
                _move(assessment, Action.PUBLISH, actor=actor, now=now)
        locked.published_at = now
        locked.save(update_fields=["published_at"])
        history.record(
            Action.PUBLISH,
            actor=actor,
            now=now,
            criteria_set=locked,
            data={"published": statuses.count(Status.APPRAISED)},
        )
    return locked
