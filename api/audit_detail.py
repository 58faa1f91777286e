"""How an audit entry's detail reads in the audit-log admin and its exports.

The stored detail stays language-neutral (field names, raw values, permission
codenames). Permission changes (see lms/accounts/permission_audit.py) read as one
line in the active language, e.g. "用户账户变更 · 角色: 社区工作者 → 管理员; 有效: 否 → 是"; other
entries as "key=value; …".
"""

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.accounts.models import Role, User

CHANGES = {
    "user_fields": gettext_lazy("User account changed"),
    "user_created": gettext_lazy("User account created"),
    "user_deleted": gettext_lazy("User account deleted"),
    "user_groups": gettext_lazy("User's groups"),
    "user_permissions": gettext_lazy("User's own permissions"),
    "group_permissions": gettext_lazy("Group permissions"),
    "group_created": gettext_lazy("Group created"),
    "group_renamed": gettext_lazy("Group renamed"),
    "group_deleted": gettext_lazy("Group deleted"),
    "group_page_permissions": gettext_lazy("Group page permissions"),
    "group_collection_permissions": gettext_lazy("Group collection permissions"),
}
OPS = {
    "added": gettext_lazy("added"),
    "removed": gettext_lazy("removed"),
    "cleared": gettext_lazy("cleared"),
}
# The fields of a detail in the order they read (PostgreSQL's jsonb keeps no order).
KEYS = {
    "username": gettext_lazy("username"),
    "name": gettext_lazy("name"),
    **{
        name: User._meta.get_field(name).verbose_name
        for name in ("role", "org", "is_staff", "is_superuser", "is_active")
    },
    "member_count": gettext_lazy("number of members"),
    "members": gettext_lazy("members"),
    "permissions": gettext_lazy("permissions"),
    "groups": gettext_lazy("groups"),
    "group_page_permissions": gettext_lazy("page permissions"),
    "group_collection_permissions": gettext_lazy("collection permissions"),
}
ORDER = {key: index for index, key in enumerate(KEYS)}


def _value(key: str, value) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if key == "role" and value in Role.values:
        return str(Role(value).label)
    return str(value)


def _pair(key: str, value) -> str:
    if isinstance(value, dict) and set(value) == {"old", "new"}:
        shown = f"{_value(key, value['old'])} → {_value(key, value['new'])}"
    else:
        shown = _value(key, value)
    return f"{KEYS.get(key, key)}: {shown}"


def detail_text(detail) -> str:
    if not isinstance(detail, dict):
        return str(detail)
    change = detail.get("change")
    if change not in CHANGES:
        return "; ".join(f"{k}={v}" for k, v in detail.items())
    rest = {k: v for k, v in detail.items() if k != "change"}
    if "op" in rest and "items" in rest:
        op = rest.pop("op")
        parts = [f"{OPS.get(op, op)}: {_value('items', rest.pop('items'))}"]
    else:
        parts = []
    parts += [
        _pair(k, rest[k])
        for k in sorted(rest, key=lambda k: (ORDER.get(k, len(ORDER)), k))
    ]
    return f"{CHANGES[change]} · " + "; ".join(parts)


def target_labels(entries) -> dict[tuple[str, str], str]:
    """{(target type, target id): words} for audit `entries`, e.g. "证书 WK-2026-…"
    for ("certificates.certificate", "62"): one query per kind of target (never one
    per row); a target gone since reads as its kind and number."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.target_type and entry.target_id:
            wanted.setdefault(entry.target_type, set()).add(entry.target_id)
    labels = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            model = None
        kind = model._meta.verbose_name if model is not None else label
        found = {}
        if model is not None:
            pks = [int(i) for i in ids if i.isdigit()]
            # The non-null relations a record's words may name (an enrolment
            # reads "张三 · 网格员培训班"), in the same query.
            records = model._default_manager.select_related().in_bulk(pks)
            found = {str(pk): obj for pk, obj in records.items()}
        for target_id in ids:
            obj = found.get(target_id)
            labels[(label, target_id)] = (
                f"{kind} {obj}" if obj is not None else f"{kind} #{target_id}"
            )
    return labels
