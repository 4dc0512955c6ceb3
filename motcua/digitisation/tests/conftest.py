from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    """Scans are stored under a temporary directory."""
    settings.MEDIA_ROOT = str(tmp_path)
