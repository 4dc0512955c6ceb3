"""Typed helpers that read settings from environment variables.

A secret may come from a file: ``SECRET_KEY_FILE=/run/secrets/key`` is read when ``SECRET_KEY`` is
unset, as container orchestrators mount secrets as files.
"""

import datetime as dt
import os
from pathlib import Path


class ConfigurationError(Exception):
    """An environment variable holds a value the setting cannot use."""


def env_str(name: str, default: str = "") -> str:
    """The variable's value, or the content of the file named by ``<name>_FILE``, or ``default``."""
    value = os.environ.get(name)
    if value is not None:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return default


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name, "").strip().lower()
    if value == "":
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name, "")
    if value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_minutes(name: str, default: int) -> dt.timedelta:
    """A whole, positive number of minutes, e.g. how long a sign-in lock lasts."""
    minutes = env_int(name, default)
    if minutes <= 0:
        raise ConfigurationError(f"{name} must be a positive number of minutes, not {minutes}")
    return dt.timedelta(minutes=minutes)


_RATE_PERIODS = ("s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day")


def env_rate(name: str, default: str) -> str:
    """A request rate in Django REST framework's form ``<count>/<period>`` (``60/minute``),
    checked here so that a typo fails at start-up instead of at the first request."""
    value = env_str(name, "").strip() or default
    count, _, period = value.partition("/")
    if not (count.isdigit() and int(count) > 0 and period in _RATE_PERIODS):
        raise ConfigurationError(
            f"{name} must look like 60/minute (a count, then second, minute, hour or day), "
            f"not {value!r}"
        )
    return value


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of ``choices`` (``default`` when unset), checked here so that a typo fails at
    start-up instead of when the value is first used."""
    value = env_str(name, "").strip() or default
    if value not in choices:
        allowed = ", ".join(choices)
        raise ConfigurationError(f"{name} must be one of {allowed}, not {value!r}")
    return value
