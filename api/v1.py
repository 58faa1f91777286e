"""The API, version 1: /api/v1/ (schema at /api/v1/openapi.json, docs at /api/v1/docs)."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from . import errors
from .auth import PortalSessionAuth, TokenAuth
from .routers import (
    certificates,
    compliance,
    learning,
    ledger,
    libraries,
    me,
    mentoring,
    org,
    people,
    training,
)

# Documented on every operation: each can answer with these errors.
COMMON_ERRORS = {
    "400": "Malformed request (the body is not JSON)",
    "401": "Not signed in, or no valid token",
    "403": "Not permitted",
    "404": "Not found, or outside the caller's scope",
    "422": "Invalid input",
    "429": "Too many requests",
}


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        # Named after the router (api.routers.<name>), not the module within it, so
        # a router split into a package keeps its operation ids.
        module = ".".join(operation.view_func.__module__.split(".")[:3])
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = {
            "title": "Error",
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "errors": {"type": "array", "items": {"type": "object"}},
            },
            "required": ["code", "message"],
        }
        ref = {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
            }
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in COMMON_ERRORS.items():
                    responses.setdefault(status, {"description": description, **ref})
                    if status == "422":
                        responses[status] = {"description": description, **ref}
        return schema


api = Api(
    title="社区工作者培训平台 API",
    version="1.0.0",
    description=str(
        _(
            "The training platform's open API. Send a token made in the admin as "
            "'Authorization: Bearer <token>'; the token sees what its owner sees. "
            "ID numbers are always masked, except through the audited unmask call."
        )
    ),
    auth=[TokenAuth(), PortalSessionAuth()],
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/me", me.router)
api.add_router("/org", org.router)
api.add_router("/people", people.router)
api.add_router("/ledger", ledger.router)
api.add_router("/training", training.router)
api.add_router("/learning", learning.router)
api.add_router("/compliance", compliance.router)
api.add_router("/certificates", certificates.router)
api.add_router("/libraries", libraries.router)
api.add_router("/mentoring", mentoring.router)
api.add_router("/me/mentoring", mentoring.me_router)
