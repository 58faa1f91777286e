from django.conf import settings


class SecurityHeadersMiddleware:
    """Content-Security-Policy and the other headers Django's SecurityMiddleware lacks."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.CSP_EXEMPT_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
