from django.db.models import Q
from ninja import Router
from ninja.pagination import paginate

from lms.org.models import OrgLevel, OrgNode

from ..pagination import Pagination
from ..schemas import Code, OrgNodeOut, QueryText
from ..scope import node_in_scope, nodes_in_scope, user_of

router = Router(tags=["org"])
VIEW = "org.view_orgnode"


def _out(nodes) -> list[dict]:
    nodes = list(nodes)
    parent_paths = {n.path[: -OrgNode.steplen] for n in nodes if n.depth > 1}
    parents = dict(
        OrgNode.objects.filter(path__in=parent_paths).values_list("path", "code")
    )
    return [
        {
            "id": n.pk,
            "code": n.code,
            "name": n.name,
            "level": n.level,
            "depth": n.depth,
            "parent_code": parents.get(n.path[: -OrgNode.steplen]),
        }
        for n in nodes
    ]


@router.get("/nodes", response=list[OrgNodeOut], summary="Organisation nodes in scope")
@paginate(Pagination)
def org_nodes(
    request,
    level: OrgLevel | None = None,
    q: QueryText | None = None,
):
    """The nodes of the caller's subtree, in tree order; filter by level or by a
    part of the name or code."""
    qs = nodes_in_scope(user_of(request, VIEW)).order_by("path")
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    return _LazyNodes(qs)


@router.get("/nodes/{code}", response=OrgNodeOut, summary="One organisation node")
def org_node(request, code: Code):
    return _out([node_in_scope(user_of(request, VIEW), code)])[0]


@router.get(
    "/nodes/{code}/subtree",
    response=list[OrgNodeOut],
    summary="A node and everything below it",
)
@paginate(Pagination)
def org_subtree(request, code: Code, level: OrgLevel | None = None):
    node = node_in_scope(user_of(request, VIEW), code)
    qs = node.subtree().order_by("path")
    if level:
        qs = qs.filter(level=level)
    return _LazyNodes(qs)


class _LazyNodes:
    """Counts and slices like a queryset; a slice is turned into output rows with the
    parent codes looked up in one query."""

    def __init__(self, qs):
        self.qs = qs

    def count(self):
        return self.qs.count()

    def __getitem__(self, item):
        return _out(self.qs[item])
