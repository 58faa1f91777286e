from lms.accounts.scoping import scope_root
from lms.org.models import OrgLevel, OrgNode
from lms.tabular.values import clean_text

from . import pii
from .models import PostSpan, Worker
from .rules import normalise_id_number


def worker_file(worker: Worker) -> dict:
    """What a worker sees of their own file."""
    spans = (
        PostSpan.objects.filter(worker=worker)
        .select_related("community")
        .order_by("-start")
    )
    return {"worker": worker, "spans": spans}


def search_workers(queryset, query: str):
    """A whole ID number, in any spelling (full-width digits, spaces, zero-width
    characters, lower-case x), finds its person by keyed hash of the canonical form;
    anything else searches names."""
    number = normalise_id_number(query)
    if len(number) == 18 and number[:17].isascii() and number[:17].isdigit():
        return queryset.filter(id_number_digest=pii.digest(number))
    return queryset.filter(name__icontains=clean_text(query))


def communities_by_code(actor=None) -> dict[str, OrgNode]:
    """Communities an import may name: the actor's subtree (all for the command line)."""
    qs = OrgNode.objects.filter(level=OrgLevel.COMMUNITY)
    if actor is not None:
        root = scope_root(actor)
        qs = qs.filter(path__startswith=root.path) if root else qs.none()
    return {n.code: n for n in qs}
