"""Settings: safe laptop defaults, a clean deployment check in production, typed env helpers."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.env import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_minutes,
    env_rate,
    env_str,
)

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_deployment_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="motcua.example.gov.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _manage("check", DEBUG="false", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_env_helpers_parse_and_explain(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 0) == 12
    assert env_list("X_LIST") == ["a", "b", "c"]
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_str("X_SECRET") == "s3cret"
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ConfigurationError, match="true or false"):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ConfigurationError, match="integer"):
        env_int("X_INT", 0)


def test_the_openapi_schema_generates_without_warnings() -> None:
    """Name collisions between serializers or choice sets would make clients wrong."""
    result = _manage("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    assert result.returncode == 0, result.stderr


def test_lockout_and_rate_helpers_parse_and_explain(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock-out's minutes and the API's rates are checked when the settings load."""
    assert env_minutes("MOTCUA_TEST_MINUTES", 15) == dt.timedelta(minutes=15)
    monkeypatch.setenv("MOTCUA_TEST_MINUTES", "30")
    assert env_minutes("MOTCUA_TEST_MINUTES", 15) == dt.timedelta(minutes=30)
    monkeypatch.setenv("MOTCUA_TEST_MINUTES", "0")
    with pytest.raises(ConfigurationError, match="positive number of minutes"):
        env_minutes("MOTCUA_TEST_MINUTES", 15)
    assert env_rate("MOTCUA_TEST_RATE", "60/minute") == "60/minute"
    monkeypatch.setenv("MOTCUA_TEST_RATE", "100/hour")
    assert env_rate("MOTCUA_TEST_RATE", "60/minute") == "100/hour"
    for wrong in ("100", "100/fortnight", "-1/minute", "many/day"):
        monkeypatch.setenv("MOTCUA_TEST_RATE", wrong)
        with pytest.raises(ConfigurationError, match="60/minute"):
            env_rate("MOTCUA_TEST_RATE", "60/minute")


def test_no_date_or_time_field_has_a_fixed_default() -> None:
    """Django warns (fields.W161) about a fixed date/time default in the seconds around it, so a
    fixed 15:00 default made `check --deploy --fail-level WARNING` fail at 15:00:00 UTC."""
    from django.apps import apps
    from django.db import models

    fixed = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("motcua.")
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField | models.TimeField)
        and field.has_default()
        and not callable(field.default)
    ]
    assert fixed == []


def test_a_choice_is_one_of_its_values_or_fails_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The form numbering (and any other choice) is read as one of its values; a typo fails."""
    assert env_choice("MOTCUA_TEST_CHOICE", ("2025", "2018"), "2025") == "2025"
    monkeypatch.setenv("MOTCUA_TEST_CHOICE", " 2018 ")
    assert env_choice("MOTCUA_TEST_CHOICE", ("2025", "2018"), "2025") == "2018"
    monkeypatch.setenv("MOTCUA_TEST_CHOICE", "2019")
    with pytest.raises(ConfigurationError, match="one of 2025, 2018"):
        env_choice("MOTCUA_TEST_CHOICE", ("2025", "2018"), "2025")
