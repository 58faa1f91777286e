from ninja.security import HttpBearer, SessionAuth

from .services import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer lms_…` — a token created in the admin, acting as its owner."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            # Scoping and permissions read request.user, as in the UI.
            request.user = user
        return user


class PortalSessionAuth(SessionAuth):
    """The portal's signed-in session (unsafe methods need the CSRF header)."""

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None
