import pytest

from tests.trainers.factories import admin_in_group


@pytest.fixture
def d1_admin(tree):
    return admin_in_group(tree["district1"], "区级管理员", username="d1lib")


@pytest.fixture
def d1_client(client, d1_admin):
    client.force_login(d1_admin)
    return client


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded and seeded files go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
