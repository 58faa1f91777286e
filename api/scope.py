"""The API's data scope: the same rules as the UI (lms.accounts.scoping)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lms.accounts.scoping import scope_queryset, scope_root
from lms.org.models import OrgNode


def user_of(request, perm: str | None = None):
    """The caller (token owner or session user); 403 unless they hold `perm`."""
    user = request.auth
    if perm is not None and not user.has_perm(perm):
        raise PermissionDenied
    return user


def nodes_in_scope(user):
    root = scope_root(user)
    if root is None:
        return OrgNode.objects.none()
    return OrgNode.objects.filter(path__startswith=root.path)


def node_in_scope(user, code: str) -> OrgNode:
    """The node `code` inside the user's subtree; 404 otherwise (whether it exists
    elsewhere is not told)."""
    node = nodes_in_scope(user).filter(code=code).first()
    if node is None:
        raise Http404
    return node


def in_org(qs, user, org: str | None, field: str):
    """`qs` narrowed to the subtree of node `org` (404 outside the user's scope);
    all of `qs` without `org`."""
    if org:
        qs = qs.filter(**{f"{field}__path__startswith": node_in_scope(user, org).path})
    return qs


def scoped(qs, user, *, org_field: str):
    return scope_queryset(qs, user, org_field=org_field)
