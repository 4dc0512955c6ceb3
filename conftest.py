"""Shared pytest fixtures."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from motcua.testing import Cast
from motcua.testing.browser import page  # noqa: F401 - the browser fixture
from motcua.testing.servers import sms_gateway, smtp_server  # noqa: F401 - local servers


def pytest_configure(config: pytest.Config) -> None:
    # Tests create many users: a fast hasher keeps fixtures quick; production keeps PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Service calls made directly by tests speak English, so assertions can match the msgids;
    requests through the test client still get the language the middleware picks
    (Vietnamese by default)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: the API's request rates are counted there
    (``motcua.throttling``), and one test's requests must not throttle the next's."""
    cache.clear()
    yield


@pytest.fixture
def cast(db: None) -> Cast:
    """The named test users (alice … oscar) in agency H56.22, ivan also in H56.23."""
    return Cast()
