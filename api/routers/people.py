import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Path, Router
from ninja.pagination import paginate

from lms.people.models import Post, PostSpan, Worker
from lms.people.selectors import search_workers
from lms.people.services.workers import worker_unmask_id_number

from ..pagination import Pagination
from ..schemas import (
    Code,
    PostSpanOut,
    QueryText,
    UnmaskOut,
    WorkerDetailOut,
    WorkerOut,
)
from ..scope import node_in_scope, scoped, user_of

router = Router(tags=["people"])
VIEW = "people.view_worker"


def workers_in_scope(user):
    return scoped(
        Worker.objects.select_related("community"), user, org_field="community"
    )


def worker_row(w: Worker) -> dict:
    return {
        "id": w.pk,
        "name": w.name,
        "id_number_masked": w.id_number_masked,
        "phone_masked": w.phone_masked,
        "gender": w.gender,
        "education": w.education,
        "political_status": w.political_status,
        "qualification": w.qualification,
        "hire_date": w.hire_date,
        "leave_date": w.leave_date,
        "post": w.post,
        "community_code": w.community.code,
        "community_name": w.community.name,
    }


def span_row(s: PostSpan) -> dict:
    return {
        "id": s.pk,
        "worker_id": s.worker_id,
        "post": s.post,
        "community_code": s.community.code,
        "community_name": s.community.name,
        "start": s.start,
        "end": s.end,
    }


class _Rows:
    def __init__(self, qs, row):
        self.qs, self.row = qs, row

    def count(self):
        return self.qs.count()

    def __getitem__(self, item):
        return [self.row(x) for x in self.qs[item]]


@router.get("/workers", response=list[WorkerOut], summary="Workers in scope")
@paginate(Pagination)
def worker_list(
    request,
    org: Code | None = None,
    post: Post | None = None,
    q: QueryText | None = None,
    active: bool | None = None,
    hired_from: dt.date | None = None,
    hired_to: dt.date | None = None,
):
    """The register of the caller's subtree (ID numbers masked). `org` narrows to a
    node's subtree; `q` matches a name, or a whole ID number exactly (keyed hash)."""
    user = user_of(request, VIEW)
    qs = workers_in_scope(user)
    if org:
        qs = qs.filter(community__path__startswith=node_in_scope(user, org).path)
    if post:
        qs = qs.filter(post=post)
    if q:
        qs = search_workers(qs, q)
    if active is not None:
        qs = qs.filter(leave_date__isnull=active)
    if hired_from:
        qs = qs.filter(hire_date__gte=hired_from)
    if hired_to:
        qs = qs.filter(hire_date__lte=hired_to)
    return _Rows(qs.order_by("community__path", "name", "id"), worker_row)


def _worker(request, worker_id: int) -> Worker:
    return get_object_or_404(workers_in_scope(user_of(request, VIEW)), pk=worker_id)


@router.get("/workers/{worker_id}", response=WorkerDetailOut, summary="One worker")
def worker_detail(request, worker_id: int = Path(..., ge=1, le=2**62)):
    w = _worker(request, worker_id)
    spans = PostSpan.objects.filter(worker=w).select_related("community")
    return {
        **worker_row(w),
        "years_of_service": w.years_of_service,
        "posts": [span_row(s) for s in spans.order_by("start")],
    }


@router.post(
    "/workers/{worker_id}/unmask",
    response=UnmaskOut,
    summary="The full ID number of one worker (permitted roles; audited)",
)
def worker_unmask(request, worker_id: int = Path(..., ge=1, le=2**62)):
    """Needs the permission people.unmask_id_number and the worker in scope; every
    call is written to the audit log."""
    user = user_of(request)
    w = _worker(request, worker_id)
    if not user.has_perm("people.unmask_id_number"):
        raise PermissionDenied
    return {
        "id": w.pk,
        "id_number": worker_unmask_id_number(worker=w, actor=user, request=request),
    }


@router.get(
    "/workers/{worker_id}/posts",
    response=list[PostSpanOut],
    summary="Posts held by one worker",
)
def worker_posts(request, worker_id: int = Path(..., ge=1, le=2**62)):
    w = _worker(request, worker_id)
    spans = PostSpan.objects.filter(worker=w).select_related("community")
    return [span_row(s) for s in spans.order_by("start")]


@router.get("/posts", response=list[PostSpanOut], summary="Posts held, in scope")
@paginate(Pagination)
def post_list(
    request,
    org: Code | None = None,
    post: Post | None = None,
    on: dt.date | None = None,
):
    """Post spans of workers in scope; `on` keeps those held on that date."""
    user = user_of(request, "people.view_postspan")
    qs = scoped(
        PostSpan.objects.select_related("community"),
        user,
        org_field="worker__community",
    )
    if org:
        qs = qs.filter(
            worker__community__path__startswith=node_in_scope(user, org).path
        )
    if post:
        qs = qs.filter(post=post)
    if on:
        qs = qs.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))
    return _Rows(qs.order_by("worker_id", "start", "id"), span_row)
