"""``motcua due``: JSON and readable output, and clear errors."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from motcua.workdays.services import add_override
from motcua.workdays.tests.factories import day, provincial

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("due", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_due_instant_and_explanation_as_json() -> None:
    """The issue's example, word for word."""
    output = run(
        "--calendar", "VN", "--start", "2026-02-13T09:00", "--amount", "5",
        "--unit", "working_days", "--json",
    )  # fmt: skip
    body = json.loads(output)
    assert body["due_at"] == "2026-02-27T09:00:00+07:00"
    assert body["effective_start"] == "2026-02-13T09:00:00+07:00"
    assert body["amount"] == "5"
    reasons = [item["reason_en"] for item in body["explanation"]]
    assert "Public holiday: Lunar New Year" in reasons
    assert len(body["explanation"]) == 15


def test_it_prints_a_readable_explanation_in_both_languages() -> None:
    """Without --json: the due date, then one line per day in Vietnamese and English."""
    output = run("--start", "2026-02-13T15:00", "--amount", "1")
    assert "Hạn / due: 23/02/2026 17:00" in output
    assert "Giao thừa Tết Nguyên Đán" in output
    assert "Lunar New Year's Eve" in output
    assert "từ 15:00 trở đi" in output


def test_a_start_with_an_offset_is_converted_to_the_calendars_zone() -> None:
    """02:00 UTC is 09:00 in Hà Nội."""
    body = json.loads(run("--start", "2026-02-13T02:00:00+00:00", "--amount", "5", "--json"))
    assert body["due_at"] == "2026-02-27T09:00:00+07:00"


def test_it_counts_with_a_provincial_calendars_overrides() -> None:
    """HNI's day off on Mon 23/2/2026 moves the Tết example by a day."""
    hni = provincial("HNI")
    add_override(hni, actor=None, date=day("2026-02-23"), kind="day_off", reason="Lễ hội")
    body = json.loads(
        run("--calendar", "HNI", "--start", "2026-02-13T09:00", "--amount", "5", "--json")
    )
    assert body["due_at"] == "2026-03-02T09:00:00+07:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--calendar", "NOPE", "--start", "2026-02-13T09:00", "--amount", "1"],
            "unknown calendar",
        ),
        (["--start", "13/02/2026", "--amount", "1"], "--start"),
        (["--start", "2026-02-30T09:00", "--amount", "1"], "--start"),
        (["--start", "2026-02-13T09:00", "--amount", "-1"], "--amount"),
        (["--start", "2026-02-13T09:00", "--amount", "five"], "--amount"),
        (["--start", "2026-02-13T09:00", "--amount", "1", "--unit", "weeks"], "--unit"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(args: list[str], message: str) -> None:
    """Unknown calendar, bad date, negative or non-numeric amount and bad unit."""
    with pytest.raises(CommandError, match=message):
        run(*args)
