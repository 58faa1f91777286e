"""The OpenAPI document and the interactive docs."""

import pytest

from api.v1 import COMMON_ERRORS, api

pytestmark = pytest.mark.django_db


def test_openapi_json_is_served_and_complete(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert served["openapi"].startswith("3.")
    assert set(served["paths"]) == set(api.get_openapi_schema()["paths"])
    for group in (
        "/api/v1/org/nodes",
        "/api/v1/people/workers",
        "/api/v1/ledger/entries",
        "/api/v1/training/classes",
        "/api/v1/compliance/nodes/{code}/{year}",
        "/api/v1/certificates/verify/{serial}",
        "/api/v1/libraries/trainers",
    ):
        assert group in served["paths"], group


def test_every_operation_documents_its_json_errors():
    schema = api.get_openapi_schema()
    assert "Error" in schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for status in COMMON_ERRORS:
                ref = operation["responses"][status]["content"]["application/json"]
                assert ref["schema"] == {"$ref": "#/components/schemas/Error"}, (
                    path,
                    method,
                    status,
                )


def test_security_schemes_are_bearer_and_session():
    schemes = api.get_openapi_schema()["components"]["securitySchemes"]
    kinds = {(s["type"], s.get("scheme") or s.get("in")) for s in schemes.values()}
    assert ("http", "bearer") in kinds and ("apiKey", "cookie") in kinds


def test_interactive_docs_page(client, d1_admin):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
