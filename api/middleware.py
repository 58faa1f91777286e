from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

TWO_FACTOR_PENDING = "two_factor_pending"


class TwoFactorMiddleware:
    """A session signed in by password waits for the authenticator code before it
    can reach anything but the code page and sign-out (see api/signals.py)."""

    EXEMPT = ("/static/", "/healthz", "/i18n/", "/accounts/logout/", "/admin/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(TWO_FACTOR_PENDING)
            and request.user.is_authenticated
        ):
            verify_url = reverse("api_security:two_factor_verify")
            if request.path != verify_url and not request.path.startswith(self.EXEMPT):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "code": "two_factor_required",
                            "message": _("Enter your authenticator code first."),
                        },
                        status=401,
                    )
                return redirect(
                    f"{verify_url}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)
