"""Reads for the security admin: the audit log and API tokens, within scope."""

from django.db.models import Q

from lms.accounts.models import AuditLog, User
from lms.accounts.scoping import org_in_scope, scope_root

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


def token_owner_allowed(actor, owner) -> bool:
    """May `actor` create a token acting as `owner`? Only for themselves, or for an
    administrator of their subtree with no right they lack; a superuser's token only
    by a superuser. (A token is its owner: anything else is privilege by proxy.)"""
    if actor.is_superuser:
        return True
    if owner.pk == actor.pk:
        return True
    if owner.is_superuser or (owner.is_staff and not actor.is_staff):
        return False
    if not (owner.is_administrator and org_in_scope(actor, owner.org)):
        return False
    return owner.get_all_permissions() <= actor.get_all_permissions()


def token_owners_in_scope(user):
    """Users a token may act as (see `token_owner_allowed`)."""
    qs = User.objects.filter(is_active=True)
    if user.is_superuser:
        return qs
    root = scope_root(user)
    if root is None:
        return qs.filter(pk=user.pk)
    candidates = qs.filter(
        Q(pk=user.pk)
        | Q(role="admin", org__path__startswith=root.path, is_superuser=False)
    ).select_related("org")
    return qs.filter(pk__in=[c.pk for c in candidates if token_owner_allowed(user, c)])


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
