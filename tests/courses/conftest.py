import pytest


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path):
    """Every test stores files and staged uploads in its own temporary folders."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.UPLOAD_TEMP_DIR = str(tmp_path / "staging")
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_policy_cache():
    """The per-process cache of the year's online policy starts empty in each test."""
    from courses.services import learning

    learning._POLICIES.clear()
    yield
    learning._POLICIES.clear()
