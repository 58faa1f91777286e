"""Two-factor sign-in: a new session of a user who enabled it waits for a code."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import TWO_FACTOR_PENDING
from .services import totp_enabled


@receiver(user_logged_in)
def ask_for_second_factor(sender, request, user, **kwargs):
    """Mark the new session as waiting for a code when the user enabled two-factor."""
    if request is not None and hasattr(request, "session") and totp_enabled(user):
        request.session[TWO_FACTOR_PENDING] = True
