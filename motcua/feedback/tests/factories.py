"""Feedback built through the real services."""

import datetime as dt
from typing import Any

from motcua.accounts.models import User
from motcua.feedback import services
from motcua.feedback.models import Feedback, Subject


def submission(**fields: Any) -> services.Submission:
    values: dict[str, Any] = {
        "subject": Subject.PROCEDURE,
        "title": "Thời gian cấp giấy chứng nhận quá dài",
        "content": "Hồ sơ đăng ký hộ kinh doanh của tôi bị yêu cầu bổ sung ba lần.",
        "name": "Nguyễn Văn An",
        "phone": "0901234567",
        "email": "an@example.vn",
        "consent_to_publish": True,
    }
    values.update(fields)
    return services.Submission(**values)


def submit(actor: User | None = None, now: dt.datetime | None = None, **fields: Any) -> Feedback:
    return services.submit_feedback(submission(**fields), actor=actor, now=now)
