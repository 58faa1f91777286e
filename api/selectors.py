"""Reads for the security admin: the audit log and API tokens, within scope."""

from django.db.models import Q

from lms.accounts.models import AuditLog, User
from lms.accounts.scoping import scope_root

from .models import ApiToken


def audit_log_in_scope(user):
    """Audit entries a user may read: all of them at the tree's root (city), else
    those of actors inside the user's subtree; nothing without the permission."""
    if not user.has_perm("accounts.view_auditlog"):
        return AuditLog.objects.none()
    qs = AuditLog.objects.select_related("actor")
    if user.is_superuser:
        return qs
    root = scope_root(user)
    if root is None:
        return qs.none()
    if root.is_root():
        return qs
    return qs.filter(
        Q(actor__org__path__startswith=root.path)
        | Q(actor__worker__community__path__startswith=root.path)
    )


def audit_log_filtered(qs, *, action="", actor="", date_from=None, date_to=None):
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor__username=actor)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def token_owners_in_scope(user):
    """Users a token may act as: the user and the administrators of their subtree."""
    if user.is_superuser:
        return User.objects.filter(is_active=True)
    root = scope_root(user)
    qs = User.objects.filter(is_active=True)
    if root is None:
        return qs.filter(pk=user.pk)
    return qs.filter(Q(pk=user.pk) | Q(role="admin", org__path__startswith=root.path))


def tokens_in_scope(user):
    if not user.has_perm("api.view_apitoken"):
        return ApiToken.objects.none()
    qs = ApiToken.objects.select_related("owner", "created_by", "owner__org")
    if user.is_superuser:
        return qs
    root = scope_root(user)
    if root is None:
        return qs.filter(owner=user)
    return qs.filter(Q(owner=user) | Q(owner__org__path__startswith=root.path))
