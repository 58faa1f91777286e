"""Audit every change of who may do what: group permissions, a user's groups and a
user's own permissions (from the Wagtail admin, the Django admin or code)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write

from .middleware import TWO_FACTOR_PENDING, current_request
from .services import totp_enabled

ACTIONS = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}


def _names(model, pk_set) -> list[str]:
    if not pk_set:
        return []
    if model is Group:
        return sorted(
            Group.objects.filter(pk__in=pk_set).values_list("name", flat=True)
        )
    return sorted(
        f"{app}.{codename}"
        for app, codename in model.objects.filter(pk__in=pk_set).values_list(
            "content_type__app_label", "codename"
        )
    )


def _record(*, what: str, instance, action: str, reverse: bool, model, pk_set):
    if action not in ACTIONS or (action != "post_clear" and not pk_set):
        return
    request = current_request()
    actor = getattr(request, "user", None) if request is not None else None
    if actor is not None and not actor.is_authenticated:
        actor = None
    if reverse:
        # Changed from the other side (e.g. permission.group_set.add(group)).
        targets = list(model.objects.filter(pk__in=pk_set or []))
        changed = _names(type(instance), {instance.pk})
    else:
        targets = [instance]
        changed = _names(model, pk_set)
    for target in targets:
        audit_log_write(
            actor=actor,
            action=AuditAction.PERMISSION_CHANGE,
            target=target,
            detail={"change": what, "op": ACTIONS[action], "items": changed},
            request=request,
        )


@receiver(m2m_changed, sender=Group.permissions.through)
def audit_group_permissions(sender, instance, action, reverse, model, pk_set, **kw):
    _record(
        what="group_permissions",
        instance=instance,
        action=action,
        reverse=reverse,
        model=model,
        pk_set=pk_set,
    )


@receiver(m2m_changed, sender=get_user_model().groups.through)
def audit_user_groups(sender, instance, action, reverse, model, pk_set, **kw):
    _record(
        what="user_groups",
        instance=instance,
        action=action,
        reverse=reverse,
        model=model,
        pk_set=pk_set,
    )


@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
def audit_user_permissions(sender, instance, action, reverse, model, pk_set, **kw):
    _record(
        what="user_permissions",
        instance=instance,
        action=action,
        reverse=reverse,
        model=model,
        pk_set=pk_set,
    )


@receiver(user_logged_in)
def ask_for_second_factor(sender, request, user, **kwargs):
    """Mark the new session as waiting for a code when the user enabled two-factor."""
    if request is not None and hasattr(request, "session") and totp_enabled(user):
        request.session[TWO_FACTOR_PENDING] = True
