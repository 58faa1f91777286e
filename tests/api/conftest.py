import pytest
from django.test import Client

from tests.api.factories import (
    admin_in_group,
    populate,
    populate_everything,
    token_for,
)


@pytest.fixture
def d1_admin(tree):
    return admin_in_group(username="d1api", org=tree["district1"], group="区级管理员")


@pytest.fixture
def city_adm(tree):
    return admin_in_group(username="cityapi", org=tree["city"], group="市级管理员")


@pytest.fixture
def people(tree):
    return populate(tree)


@pytest.fixture
def everything(tree, people, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return populate_everything(tree, people)


class ApiClient(Client):
    """A test client that sends a bearer token."""

    def __init__(self, token: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if token:
            self.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"


@pytest.fixture
def d1_api(d1_admin, city_adm):
    return ApiClient(token_for(d1_admin, created_by=city_adm))


@pytest.fixture
def city_api(city_adm):
    return ApiClient(token_for(city_adm, created_by=city_adm))


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "faults: kills a real Celery worker (PostgreSQL and a Redis broker only)",
    )
