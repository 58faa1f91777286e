"""Data scope: an administrator sees and changes only their own subtree.

Every listing, detail page, search, export and bulk action filters through
`scope_queryset`, so that the rule lives in one place.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from lms.org.models import OrgNode


def scope_root(user) -> OrgNode | None:
    """The root of the subtree `user` administers; None for no administrative scope."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return OrgNode.get_first_root_node()
    if getattr(user, "is_administrator", False):
        return user.org
    return None


def scope_queryset(qs: QuerySet, user, *, org_field: str) -> QuerySet:
    """Rows of `qs` whose `org_field` (a path to an OrgNode) lies in the user's subtree."""
    if user.is_authenticated and user.is_superuser:
        return qs
    root = scope_root(user)
    if root is None:
        return qs.none()
    return qs.filter(**{f"{org_field}__path__startswith": root.path})


def scoped_object_or_404(request, qs: QuerySet, pk: int, *, perm: str, org_field: str):
    """The row `pk` of `qs` for an admin page: 403 unless the user holds `perm`, 404
    outside their subtree (whether it exists elsewhere is not told)."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(
        scope_queryset(qs, request.user, org_field=org_field), pk=pk
    )


def org_in_scope(user, org: OrgNode | None) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    root = scope_root(user)
    return root is not None and org is not None and org.path.startswith(root.path)


def require_org_in_scope(user, org: OrgNode | None) -> None:
    if not org_in_scope(user, org):
        raise PermissionDenied
