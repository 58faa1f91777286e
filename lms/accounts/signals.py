from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from .models import AuditAction
from .services import audit_log_write


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    audit_log_write(actor=user, action=AuditAction.SIGN_IN, request=request)


@receiver(user_logged_out)
def audit_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log_write(actor=user, action=AuditAction.SIGN_OUT, request=request)


@receiver(user_login_failed)
def audit_sign_in_failed(sender, credentials, request=None, **kwargs):
    audit_log_write(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        detail={"username": str(credentials.get("username", ""))[:150]},
        request=request,
    )
