import pytest


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path):
    """Every test stores files and staged uploads in its own temporary folders."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.UPLOAD_TEMP_DIR = str(tmp_path / "staging")
    return tmp_path
