"""Audit every change of who may do what: group permissions, a user's groups and a
user's own permissions, a user's role, organisation and status flags, accounts
deleted, groups being created, renamed or deleted (from the Wagtail admin, the Django
admin or code), and a group's page and collection permissions (from the Wagtail group
editor, which saves them in bulk without signals: see `group_object_permissions_audit`).

All of it is written as PERMISSION_CHANGE entries whose `detail["change"]` names the
kind (see `api/audit_detail.py` for how each reads in the audit-log admin). The actor
is the signed-in user of the request being served, or None (system) outside one.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from lms.org.models import OrgNode

from .logging import mask_id_numbers
from .middleware import current_request
from .models import AuditAction, Role
from .services import audit_log_write

User = get_user_model()

ACTIONS = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}
# The user fields that grant or withdraw access (name -> attribute in the database).
USER_FIELDS = {
    "role": "role",
    "org": "org_id",
    "is_staff": "is_staff",
    "is_superuser": "is_superuser",
    "is_active": "is_active",
}
_TRACKED = set(USER_FIELDS) | set(USER_FIELDS.values())
# A deleted group's members are listed up to this many (the count is always given).
MAX_MEMBERS_LISTED = 500


def _actor_and_request():
    request = current_request()
    actor = getattr(request, "user", None) if request is not None else None
    if actor is not None and not actor.is_authenticated:
        actor = None
    return actor, request


def _write(*, target, detail: dict, actor=None, request=None) -> None:
    if actor is None and request is None:
        actor, request = _actor_and_request()
    audit_log_write(
        actor=actor,
        action=AuditAction.PERMISSION_CHANGE,
        target=target,
        detail=detail,
        request=request,
    )


# --- Group permissions, a user's groups and own permissions (many-to-many) -------------


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


def _related_pks(through, instance, model) -> set:
    """Primary keys of the `model` rows linked to `instance` through `through`."""
    fks = {
        f.related_model: f
        for f in through._meta.get_fields()
        if f.many_to_one and f.related_model is not None
    }
    source, target = fks[type(instance)._meta.concrete_model], fks[model]
    return set(
        through.objects.filter(**{source.attname: instance.pk}).values_list(
            target.attname, flat=True
        )
    )


# The many-to-many relations that grant access, and the name each change is filed under.
M2M_AUDITED = {
    Group.permissions.through: "group_permissions",
    User.groups.through: "user_groups",
    User.user_permissions.through: "user_permissions",
}


def audit_m2m(sender, instance, action, reverse, model, pk_set, **kw):
    what = M2M_AUDITED[sender]
    if action == "pre_clear":
        # clear() does not say what it removes: note it now, write it after.
        instance.__dict__.setdefault("_audit_clearing", {})[what] = _related_pks(
            sender, instance, model
        )
        return
    if action == "post_clear":
        pk_set = instance.__dict__.get("_audit_clearing", {}).pop(what, set())
    if action not in ACTIONS or not pk_set:
        return
    if reverse:
        # Changed from the other side (e.g. permission.group_set.add(group)).
        targets = list(model.objects.filter(pk__in=pk_set))
        changed = _names(type(instance), {instance.pk})
    else:
        targets = [instance]
        changed = _names(model, pk_set)
    actor, request = _actor_and_request()
    for target in targets:
        _write(
            target=target,
            detail={"change": what, "op": ACTIONS[action], "items": changed},
            actor=actor,
            request=request,
        )


for _through in M2M_AUDITED:
    m2m_changed.connect(
        audit_m2m, sender=_through, dispatch_uid=f"audit_m2m_{_through._meta.label}"
    )


# --- A user's role, organisation and status flags --------------------------------------


def _org_labels(*pks) -> dict:
    nodes = OrgNode.objects.in_bulk([pk for pk in pks if pk is not None])
    return {pk: f"{node.name} (#{pk})" for pk, node in nodes.items()}


def user_fields_audit(*, user, old: dict, new: dict, actor=None, request=None) -> None:
    """Write one entry for the access fields that differ between `old` and `new`
    (both keyed by the names in USER_FIELDS; `org` as an OrgNode id)."""
    changed = [name for name in USER_FIELDS if name in new and old[name] != new[name]]
    if not changed:
        return
    orgs = _org_labels(old.get("org"), new.get("org")) if "org" in changed else {}
    detail = {"change": "user_fields"}
    for name in changed:
        before, after = old[name], new[name]
        if name == "org":
            before, after = orgs.get(before, before), orgs.get(after, after)
        detail[name] = {"old": before, "new": after}
    _write(target=user, detail=detail, actor=actor, request=request)


def audit_bulk_active_state(request, action_type, objects, action_class_instance):
    """Wagtail's "set active state" bulk action (an `after_bulk_action` hook) updates
    users with a queryset update, which sends no save signal: audit each user whose
    state it changed. `objects` still hold the state from before the update."""
    if action_type != "set_active_state" or (
        getattr(action_class_instance, "model", None) is not User
    ):
        return
    active = action_class_instance.cleaned_form.cleaned_data["mark_as_active"]
    for user in objects:
        if user.pk != request.user.pk:
            user_fields_audit(
                user=user,
                old={"is_active": user.is_active},
                new={"is_active": active},
                actor=request.user,
                request=request,
            )


@receiver(pre_save, sender=User)
def remember_user_access(sender, instance, raw=False, update_fields=None, **kw):
    """Read the stored access fields before an update (not for last_login-only saves)."""
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not _TRACKED.intersection(update_fields):
        return
    instance._audit_access_before = (
        sender._default_manager.filter(pk=instance.pk)
        .values(*USER_FIELDS.values())
        .first()
    )


@receiver(post_save, sender=User)
def audit_user_access(sender, instance, created, raw=False, update_fields=None, **kw):
    before = instance.__dict__.pop("_audit_access_before", None)
    if raw:
        return
    if created:
        # Only accounts that start with more than a worker's access.
        if instance.role == Role.WORKER and not (
            instance.is_staff or instance.is_superuser
        ):
            return
        detail = {"change": "user_created"}
        detail.update({n: getattr(instance, a) for n, a in USER_FIELDS.items()})
        if instance.org_id is not None:
            detail["org"] = _org_labels(instance.org_id)[instance.org_id]
        _write(target=instance, detail=detail)
        return
    if before is None:
        return
    names = [
        name
        for name, attname in USER_FIELDS.items()
        if update_fields is None or {name, attname} & set(update_fields)
    ]
    user_fields_audit(
        user=instance,
        old={name: before[USER_FIELDS[name]] for name in names},
        new={name: getattr(instance, USER_FIELDS[name]) for name in names},
    )


@receiver(pre_delete, sender=User)
def remember_user_groups(sender, instance, **kw):
    """Deleting a user drops their memberships without m2m signals: note them."""
    instance._audit_deleted_groups = sorted(
        instance.groups.values_list("name", flat=True)
    )


@receiver(post_delete, sender=User)
def audit_user_deleted(sender, instance, **kw):
    detail = {
        "change": "user_deleted",
        "username": mask_id_numbers(instance.get_username()),
    }
    detail.update({n: getattr(instance, a) for n, a in USER_FIELDS.items()})
    if instance.org_id is not None:
        detail["org"] = _org_labels(instance.org_id).get(
            instance.org_id, instance.org_id
        )
    detail["groups"] = instance.__dict__.pop("_audit_deleted_groups", [])
    _write(target=instance, detail=detail)


# --- Groups created, renamed and deleted ------------------------------------------------


@receiver(pre_save, sender=Group)
def remember_group_name(sender, instance, raw=False, **kw):
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._audit_old_name = (
        Group.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    )


@receiver(post_save, sender=Group)
def audit_group_saved(sender, instance, created, raw=False, **kw):
    old_name = instance.__dict__.pop("_audit_old_name", None)
    if raw:
        return
    if created:
        _write(
            target=instance, detail={"change": "group_created", "name": instance.name}
        )
    elif old_name is not None and old_name != instance.name:
        _write(
            target=instance,
            detail={
                "change": "group_renamed",
                "name": {"old": old_name, "new": instance.name},
            },
        )


@receiver(pre_delete, sender=Group)
def remember_group_contents(sender, instance, **kw):
    """Deleting a group drops its memberships and permissions without m2m signals:
    note them for the deletion entry."""
    members = instance.user_set.order_by("username").values_list("username", flat=True)
    instance._audit_deleted = {
        "member_count": members.count(),
        "members": list(members[:MAX_MEMBERS_LISTED]),
        "permissions": _names(
            Permission, set(instance.permissions.values_list("pk", flat=True))
        ),
    }
    # Page and collection permissions go with the group (a cascade, no signal).
    for change, items in group_object_permissions(instance).items():
        if items:
            instance._audit_deleted[change] = sorted(items)


@receiver(post_delete, sender=Group)
def audit_group_deleted(sender, instance, **kw):
    contents = instance.__dict__.pop("_audit_deleted", {})
    _write(
        target=instance,
        detail={"change": "group_deleted", "name": instance.name, **contents},
    )


# --- A group's page and collection permissions (Wagtail's permission panels) -----------

OBJECT_PERMISSIONS = {
    "group_page_permissions": (GroupPagePermission, "page", "title"),
    "group_collection_permissions": (GroupCollectionPermission, "collection", "name"),
}


def group_object_permissions(group) -> dict[str, set[str]]:
    """A group's page and collection permissions as readable items, e.g.
    "课程库 (#3): wagtailcore.publish_page", keyed by change kind."""
    found = {change: set() for change in OBJECT_PERMISSIONS}
    if group.pk is None:
        return found
    for change, (model, obj, label) in OBJECT_PERMISSIONS.items():
        rows = model.objects.filter(group_id=group.pk).values_list(
            f"{obj}_id",
            f"{obj}__{label}",
            "permission__content_type__app_label",
            "permission__codename",
        )
        found[change] = {
            f"{name} (#{pk}): {app}.{code}" for pk, name, app, code in rows
        }
    return found


def group_object_permissions_audit(*, group, before: dict, actor, request) -> None:
    """Write what was removed and added since `before` (from group_object_permissions)."""
    after = group_object_permissions(group)
    for change, now in after.items():
        was = before.get(change, set())
        for op, items in (("removed", was - now), ("added", now - was)):
            if items:
                _write(
                    target=group,
                    detail={"change": change, "op": op, "items": sorted(items)},
                    actor=actor,
                    request=request,
                )
