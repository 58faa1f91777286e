"""Property-based run of schemathesis against /api/v1/openapi.json on demo-like data:
every operation, generated valid and invalid input, never a 500 and never a response
that breaks the schema. Examples per operation: SCHEMATHESIS_MAX_EXAMPLES (default 6,
which keeps the whole run within a couple of minutes in CI)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.factories import token_for

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _load_schema():
    """The schema exactly as /api/v1/openapi.json serves it, run against the WSGI
    application in-process (same database transaction as the test)."""
    from api.v1 import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()


@pytest.fixture(autouse=True)
def keep_connection_open():
    """Like Django's test client: an in-process request must not close the test's
    database connection at request end (PostgreSQL would lose the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo_token(city_adm, everything):
    """The city administrator's token over a populated two-district city."""
    return token_for(city_adm, created_by=city_adm)


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, demo_token, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "", "verify": ""}
    case.call_and_validate(
        headers={"Authorization": f"Bearer {demo_token}"}, checks=CHECKS
    )
