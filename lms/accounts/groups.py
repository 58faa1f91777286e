"""Administrator groups and their permissions, kept in step after every migrate.

Data scope is not a permission: it comes from the user's org (see scoping.py). The
groups only say which kinds of record each level may see and change.
"""

from django.contrib.auth.models import Group, Permission

ADMIN = ["wagtailadmin.access_admin", "compliance.view_yearpolicy"]
PEOPLE = [
    "people.view_worker",
    "people.add_worker",
    "people.change_worker",
    "people.view_postspan",
    "people.add_postspan",
    "people.change_postspan",
    "people.unmask_id_number",
]
GROUP_PERMISSIONS = {
    "City administrators": ADMIN
    + PEOPLE
    + [
        "org.view_orgnode",
        "org.add_orgnode",
        "org.change_orgnode",
        "accounts.view_auditlog",
        "compliance.add_yearpolicy",
        "compliance.change_yearpolicy",
        "compliance.close_year",
    ],
    "District administrators": ADMIN + PEOPLE + ["org.view_orgnode"],
    "Street administrators": ADMIN + PEOPLE + ["org.view_orgnode"],
    "Community administrators": ADMIN
    + ["people.view_worker", "people.view_postspan", "org.view_orgnode"],
}


def ensure_admin_groups(**kwargs) -> None:
    wanted = {p for perms in GROUP_PERMISSIONS.values() for p in perms}
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[w.split(".", 1)[1] for w in wanted]
        )
    }
    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[found[p] for p in perms if p in found])
