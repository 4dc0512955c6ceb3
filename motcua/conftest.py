"""Shared pytest fixtures."""

import pytest

from motcua.browser import page  # noqa: F401 - the browser fixture
from motcua.test import Cast


@pytest.fixture
def cast(db: None) -> Cast:
    """The named test users (alice … oscar) in agency H56.22, ivan also in H56.23."""
    return Cast()
