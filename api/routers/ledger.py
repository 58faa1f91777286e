import datetime as dt

from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from lms.training.models import CreditEntry, CreditKind

from ..pagination import Pagination
from ..schemas import Code, CreditEntryOut, LedgerTotalOut
from ..scope import node_in_scope, scoped, user_of
from .people import _Rows, workers_in_scope

router = Router(tags=["ledger"])
VIEW = "training.view_creditentry"


class LedgerFilter(Schema):
    year: int | None = Field(None, ge=1990, le=2100)
    kind: CreditKind | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def entry_row(e: CreditEntry) -> dict:
    return {
        "id": e.pk,
        "worker_id": e.worker_id,
        "worker_name": e.worker.name,
        "date": e.date,
        "days": float(e.days),
        "hours": float(e.hours),
        "kind": e.kind,
        "training_type": e.training_type,
        "form": e.form,
        "title": e.title,
        "source_key": e.source_key,
        "organiser_code": e.organiser.code if e.organiser_id else None,
        "created_at": e.created_at,
        "reverses_id": e.reverses_id,
        "reason": e.reason,
    }


def filtered(qs, f: LedgerFilter):
    if f.year:
        qs = qs.filter(date__year=f.year)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.date_from:
        qs = qs.filter(date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(date__lte=f.date_to)
    return qs


def entries(user):
    return scoped(
        CreditEntry.objects.select_related("worker", "organiser"),
        user,
        org_field="worker__community",
    )


@router.get(
    "/entries", response=list[CreditEntryOut], summary="Ledger entries in scope"
)
@paginate(Pagination)
def ledger_entries(
    request,
    filters: Query[LedgerFilter],
    org: Code | None = None,
    worker: int | None = Query(None, ge=1, le=2**62),
):
    """Credit ledger entries of workers in the caller's subtree (or of `org`'s subtree,
    or of one `worker`); reversals are entries too, with negative amounts."""
    user = user_of(request, VIEW)
    qs = filtered(entries(user), filters)
    if org:
        qs = qs.filter(
            worker__community__path__startswith=node_in_scope(user, org).path
        )
    if worker:
        qs = qs.filter(worker_id=worker)
    return _Rows(qs.order_by("worker_id", "date", "id"), entry_row)


@router.get(
    "/workers/{worker_id}/entries",
    response=list[CreditEntryOut],
    summary="One worker's ledger",
)
@paginate(Pagination)
def worker_ledger(
    request, filters: Query[LedgerFilter], worker_id: int = Path(..., ge=1, le=2**62)
):
    w = get_object_or_404(workers_in_scope(user_of(request, VIEW)), pk=worker_id)
    qs = filtered(entries(user_of(request, VIEW)).filter(worker=w), filters)
    return _Rows(qs.order_by("date", "id"), entry_row)


@router.get(
    "/workers/{worker_id}/totals/{year}",
    response=LedgerTotalOut,
    summary="One worker's ledger totals for a year",
)
def worker_totals(
    request,
    worker_id: int = Path(..., ge=1, le=2**62),
    year: int = Path(..., ge=1990, le=2100),
):
    w = get_object_or_404(workers_in_scope(user_of(request, VIEW)), pk=worker_id)
    totals = CreditEntry.objects.filter(worker=w, date__year=year).aggregate(
        days=Sum("days"), hours=Sum("hours"), entries=Count("id")
    )
    return {
        "worker_id": w.pk,
        "year": year,
        "days": float(totals["days"] or 0),
        "hours": float(totals["hours"] or 0),
        "entries": totals["entries"],
    }
