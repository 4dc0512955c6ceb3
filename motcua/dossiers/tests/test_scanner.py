"""The deadline scanner: due-soon and overdue steps and dossiers, one escalation per overdue
dossier however often it runs, notices delivered after commit.

The dossier is received Monday 2 March 2026 09:00 with 5 working days (due Monday 9 March
09:00) and forwarded at 10:00 to the specialists' step of 2 working days (due Wednesday 4 March
10:00), which nobody holds yet: every specialist of H56.22 (bob, ivan) is told about it."""

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.scanner import scan
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.notifications.models import Notification
from motcua.testing import Cast

Capture = Callable[..., Any]


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


@pytest.fixture
def dossier(cast: Cast, case: Case) -> Dossier:
    d = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    services.forward(d, actor=cast.alice, now=at("2026-03-02T10:00"))
    assert d.due_at == at("2026-03-09T09:00")
    assert d.current_step is not None and d.current_step.due_at == at("2026-03-04T10:00")
    Notification.objects.all().delete()  # the receipt notice: these tests count others
    return d


def _sent(kind: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("address", "dedupe_key"))


def test_a_step_due_within_one_working_day_is_due_soon_for_its_role(dossier: Dossier) -> None:
    """Tuesday 10:00: the step is due Wednesday 10:00, exactly one working day ahead."""
    result = scan(at("2026-03-03T10:00"))
    assert (result.due_soon_steps, result.overdue_steps) == (1, 0)
    assert (result.due_soon_dossiers, result.overdue_dossiers) == (0, 0)
    addresses = [address for address, _ in _sent("due_soon")]
    assert addresses == ["bob@example.vn", "ivan@example.vn"]
    key = _sent("due_soon")[0][1]
    assert key.startswith("due_soon:H56.22-260302-0001:step")
    assert "2026-03-04T10:00:00+07:00" in key
    notice = Notification.objects.filter(kind="due_soon").first()
    assert notice is not None
    assert notice.subject == "Hồ sơ H56.22-260302-0001: bước “Thẩm định hồ sơ” sắp đến hạn"
    assert notice.dossier_code == "H56.22-260302-0001"
    assert "10:00 04/03/2026" in notice.body


def test_a_step_two_working_days_ahead_is_not_due_soon_by_default(dossier: Dossier) -> None:
    """Monday 10:00: Wednesday 10:00 is two working days ahead; with --due-soon-days 2 it is."""
    assert scan(at("2026-03-02T10:30")).due_soon_steps == 0
    assert Notification.objects.count() == 0
    assert scan(at("2026-03-02T10:30"), due_soon_days=2).due_soon_steps == 1


def test_working_days_are_counted_on_the_calendar_across_a_weekend(
    cast: Cast, dossier: Dossier
) -> None:
    """Friday 6 March 10:00: the dossier due Monday 9 March 09:00 is within one working day
    (the weekend does not count)."""
    result = scan(at("2026-03-06T10:00"))
    assert result.due_soon_dossiers == 1
    assert [a for a, _ in _sent("due_soon")] == ["carol@example.vn"]


def test_an_assigned_step_tells_only_its_holder(cast: Cast, case: Case) -> None:
    d = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    services.forward(d, actor=cast.alice, to=cast.bob, now=at("2026-03-02T10:00"))
    scan(at("2026-03-05T10:00"))
    assert [a for a, _ in _sent("overdue")] == ["bob@example.vn"]


def test_overdue_steps_and_dossiers_go_to_holders_heads_and_one_escalation(
    cast: Cast, dossier: Dossier
) -> None:
    """Tuesday 10 March: the step (due 4 March) and the dossier (due 9 March) are overdue."""
    result = scan(at("2026-03-10T09:00"))
    assert (result.overdue_steps, result.overdue_dossiers, result.escalated_dossiers) == (1, 1, 1)
    assert [a for a, _ in _sent("overdue")] == [
        "bob@example.vn",
        "carol@example.vn",
        "ivan@example.vn",
    ]
    assert _sent("escalation") == [
        (
            "dave@example.vn",
            f"escalation:{dossier.code}:dossier:2026-03-09T09:00:00+07:00:u{cast.dave.pk}",
        )
    ]
    escalation = Notification.objects.get(kind="escalation")
    assert escalation.subject == f"Hồ sơ {dossier.code} quá hạn cần lãnh đạo chỉ đạo xử lý"
    assert "Mẫu số 04" in escalation.body


def test_an_overdue_dossier_is_escalated_exactly_once_when_the_scanner_runs_twice(
    dossier: Dossier,
) -> None:
    first = scan(at("2026-03-10T09:00"))
    second = scan(at("2026-03-10T09:30"))
    assert first.queued == 4 and second.queued == 0
    assert second.overdue_dossiers == 1 and second.escalated_dossiers == 0
    assert Notification.objects.filter(kind="escalation").count() == 1
    assert Notification.objects.count() == 4
    reminded = DossierEvent.objects.filter(dossier=dossier, action="reminded")
    assert sorted(e.data["kind"] for e in reminded) == ["escalation", "overdue", "overdue"]
    event = reminded.get(data__kind="escalation")
    assert event.old_status == event.new_status == dossier.status
    assert event.actor is None
    assert event.data["to"] == ["dave"]


def test_a_paused_dossier_is_not_scanned(cast: Cast, dossier: Dossier) -> None:
    services.request_supplement(
        dossier, actor=cast.bob, items=["Bản sao CCCD"], now=at("2026-03-03T09:00")
    )
    result = scan(at("2026-03-20T09:00"))
    assert (result.overdue_steps, result.overdue_dossiers) == (0, 0)
    assert not Notification.objects.exclude(kind="supplement_requested").exists()


def test_notices_are_delivered_by_mail_only_after_commit(
    dossier: Dossier, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        scan(at("2026-03-10T09:00"))
        assert mail.outbox == []
    assert len(callbacks) == 4
    assert len(mail.outbox) == 4
    subjects = {m.subject for m in mail.outbox}
    assert f"Hồ sơ {dossier.code} đã quá hạn" in subjects
    assert Notification.objects.filter(sent_at=None).count() == 0
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_the_command_scans_as_of_a_given_instant_and_prints_counts(dossier: Dossier) -> None:
    out = StringIO()
    call_command("scan-deadlines", "--now", "2026-03-10T09:00", stdout=out)
    text = out.getvalue()
    assert "dossiers overdue: 1" in text
    assert "escalated: 1" in text
    assert "notifications queued: 4" in text
    out = StringIO()
    call_command("scan-deadlines", "--now", "2026-03-10T09:00", stdout=out)
    assert "notifications queued: 0" in out.getvalue()


def test_the_due_soon_horizon_is_configurable(dossier: Dossier, settings: Any) -> None:
    settings.DUE_SOON_WORKING_DAYS = 2
    assert scan(at("2026-03-02T10:30")).due_soon_steps == 1
