"""Typed helpers that read settings from environment variables.

A secret may come from a file: ``SECRET_KEY_FILE=/run/secrets/key`` is read when ``SECRET_KEY`` is
unset, as container orchestrators mount secrets as files.
"""

import datetime as dt
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


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


# The caches' size before Django culls a third of the entries: the request rates of a busy day's
# addresses and the tracking page's names fit, the cache table stays small.
CACHE_MAX_ENTRIES = 10000
# The cache table `motcua serve` and `motcua migrate` create (``createcachetable``) when the
# database cache is the default.
DEFAULT_CACHE_TABLE = "motcua_cache"


def cache_from_url(name: str, url: str) -> dict[str, Any]:
    """Django's ``CACHES["default"]`` from a URL: ``locmem://`` (this process only),
    ``db://<table>`` (a table of the application's database, shared by every worker and
    machine) or ``redis://host:port/<n>`` / ``rediss://…`` (Django's own Redis cache; needs the
    ``redis`` package, the ``redis`` extra). ``name`` is the variable's, for the error."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest,
            "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES},
        }
    if scheme == "db":
        table = rest.strip("/")
        if not table.replace("_", "").isalnum():
            raise ConfigurationError(
                f"{name} must name a table, e.g. db://motcua_cache, not {url!r}"
            )
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": table,
            "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES},
        }
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ConfigurationError(
        f"{name} must be locmem://, db://<table> or redis://host:port/<n>, not {url!r}"
    )


def env_cache(name: str, *, debug: bool) -> dict[str, Any]:
    """The cache named by ``name`` (see ``cache_from_url``); when unset, the process's memory
    with ``debug`` on (a laptop) and the database cache otherwise, so that request rates and
    other counts are one for every worker of every machine."""
    url = env_str(name, "").strip()
    if not url:
        url = "locmem://" if debug else f"db://{DEFAULT_CACHE_TABLE}"
    return cache_from_url(name, url)


def storage_from_url(name: str, url: str) -> dict[str, Any]:
    """Django's ``STORAGES["default"]`` (uploaded documents) from a URL: ``file:///<path>``, a
    directory every machine mounts at the same path, or ``s3://<bucket>/<prefix>?endpoint_url=…
    &region_name=…&addressing_style=path`` for an S3-compatible object store through
    django-storages (the ``s3`` extra), its keys from ``MOTCUA_S3_ACCESS_KEY`` and
    ``MOTCUA_S3_SECRET_KEY`` (or their ``_FILE``)."""
    parsed = urlsplit(url)
    if parsed.scheme == "file":
        if parsed.netloc or not parsed.path.startswith("/"):
            raise ConfigurationError(f"{name} must be file:///an/absolute/path, not {url!r}")
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": parsed.path},
        }
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ConfigurationError(f"{name} must name a bucket, e.g. s3://motcua/media")
        options: dict[str, Any] = {
            "bucket_name": parsed.netloc,
            "location": parsed.path.strip("/"),
            # Documents are served by the application after its access checks, never by a
            # public URL of the store: private objects, no overwriting of an existing name.
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "access_key": env_str("MOTCUA_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("MOTCUA_S3_SECRET_KEY", "") or None,
        }
        allowed = {"endpoint_url", "region_name", "addressing_style", "signature_version"}
        for key, values in parse_qs(parsed.query).items():
            if key not in allowed:
                raise ConfigurationError(
                    f"{name}: unknown option {key!r}; allowed: {', '.join(sorted(allowed))}"
                )
            options[key] = values[-1]
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ConfigurationError(f"{name} must be file:///path or s3://bucket/prefix, not {url!r}")
