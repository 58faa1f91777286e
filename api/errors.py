"""Every API error is JSON ``{"code": ..., "message": ...}``; bad input is never a 500."""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("api")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}


class ApiError(Exception):
    """Raise from an endpoint for a specific error code."""

    def __init__(self, status: int, code: str, message: str):
        self.status, self.code, self.message = status, code, message
        super().__init__(message)


def error_response(api, request, status: int, code: str, message: str, **extra):
    return api.create_response(
        request, {"code": code, "message": message, **extra}, status=status
    )


def _clean_errors(errors: list) -> list[dict]:
    # Pydantic errors may carry the offending input and context objects; keep the
    # location and the message, which are JSON-safe and do not echo personal data.
    return [
        {
            "loc": [str(part) for part in e.get("loc", [])],
            "message": str(e.get("msg", "")),
        }
        for e in errors
    ]


def install(api) -> None:
    def validation(request, exc: NinjaValidationError):
        return error_response(
            api,
            request,
            422,
            "invalid",
            _("The request is not valid."),
            errors=_clean_errors(exc.errors),
        )

    def django_validation(request, exc: DjangoValidationError):
        return error_response(
            api,
            request,
            422,
            "invalid",
            " ".join(str(m) for m in exc.messages) or _("The request is not valid."),
        )

    def not_found(request, exc):
        return error_response(api, request, 404, "not_found", _("Not found."))

    def forbidden(request, exc):
        return error_response(api, request, 403, "forbidden", _("You may not do this."))

    def unauthenticated(request, exc):
        return error_response(
            api,
            request,
            401,
            "unauthorized",
            _("Sign in, or send a valid token as 'Authorization: Bearer <token>'."),
        )

    def http_error(request, exc: HttpError):
        message = str(exc)
        if exc.status_code == 403 and "CSRF" in message:
            message = _("CSRF check failed: send the X-CSRFToken header.")
        return error_response(
            api, request, exc.status_code, CODES.get(exc.status_code, "error"), message
        )

    def api_error(request, exc: ApiError):
        return error_response(api, request, exc.status, exc.code, exc.message)

    def data_error(request, exc: DataError):
        # e.g. a number beyond the database's range in a filter.
        return error_response(
            api, request, 422, "invalid", _("A value is out of range.")
        )

    def server_error(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(
            api, request, 500, "server_error", _("Something went wrong on our side.")
        )

    api.add_exception_handler(Exception, server_error)
    api.add_exception_handler(DataError, data_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(DjangoValidationError, django_validation)
    api.add_exception_handler(NinjaValidationError, validation)


def json_not_found(request, rest: str = ""):
    """Unknown paths under /api/v1/ answer in JSON too."""
    return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
