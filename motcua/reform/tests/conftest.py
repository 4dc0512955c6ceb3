from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper


@pytest.fixture(autouse=True)
def media(settings: SettingsWrapper, tmp_path: Path) -> Path:
    """Evidence files go to a temporary directory."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path
