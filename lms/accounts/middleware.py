from contextvars import ContextVar

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SecurityHeadersMiddleware:
    """Content-Security-Policy and the other headers Django's SecurityMiddleware lacks."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = settings.CONTENT_SECURITY_POLICY
        self.admin_csp = settings.ADMIN_CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.admin_csp)
        elif not request.path.startswith(settings.CSP_EXEMPT_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the person chose English with the language switch.

    The browser's Accept-Language is not consulted: many devices here report English
    while their users expect the Chinese interface.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen or "")
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


_request: ContextVar = ContextVar("current_request", default=None)


def current_request():
    """The request being served (for audit records written from signals), or None."""
    return _request.get()


class CurrentRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
