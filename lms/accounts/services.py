from django.http import HttpRequest

from .models import AuditAction, AuditLog, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


def audit_log_write(
    *,
    actor: User | None,
    action: AuditAction,
    target=None,
    detail: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditLog:
    """Record a sensitive action. Never pass a full ID or phone number in `detail`."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
        ip_address=client_ip(request),
    )
