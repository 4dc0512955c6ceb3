"""PAR test data built through the real services: the example set imported, a department and a
commune each with its focal point (phuong, quang)."""

import io
from decimal import Decimal

from motcua.accounts.models import Agency, AgencyKind, Role, User
from motcua.par import services
from motcua.par.example import example_workbook
from motcua.par.importing import import_criteria
from motcua.par.models import Assessment, CriteriaSet
from motcua.testing import Cast, make_agency, make_user

YEAR = 2026


def example_set(frank: User, year: int = YEAR) -> CriteriaSet:
    content = io.BytesIO(example_workbook(year))
    return import_criteria(content, year=year, name="chi-so-cchc.xlsx", actor=frank)


def department() -> Agency:
    return make_agency("H56.30", "Sở Xây dựng", AgencyKind.PROVINCIAL_DEPARTMENT)


def commune() -> Agency:
    return make_agency(
        "H56.40", "Ủy ban nhân dân xã Vĩnh Ngọc", AgencyKind.COMMUNE_PEOPLES_COMMITTEE
    )


def focal_point(cast: Cast, agency: Agency, username: str) -> User:
    user = make_user(username, (Role.SPECIALIST, agency))
    services.designate_focal_point(agency, user, actor=cast.frank)
    return user


def score_everything(assessment: Assessment, actor: User, share: Decimal = Decimal(1)) -> None:
    """Score every hand-scored sub-criterion at ``share`` of its maximum."""
    for score in assessment.scores.select_related("sub").filter(measured_figure__isnull=True):
        points = (score.sub.max_points * share).quantize(Decimal("0.01"))
        services.self_score(
            assessment, score.sub.code, points=points, explanation="Đã thực hiện", actor=actor
        )


def appraised(
    cast: Cast, criteria_set: CriteriaSet, agency: Agency, user: User, share: Decimal
) -> Assessment:
    """A self-assessment scored at ``share`` of every maximum, submitted and appraised as is."""
    assessment = services.open_assessment(criteria_set, agency, actor=user)
    score_everything(assessment, user, share)
    services.submit(assessment, actor=user)
    return services.finish_appraisal(assessment, actor=cast.frank)
