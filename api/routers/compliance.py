"""The annual minimum per worker and per subtree (lms.compliance selectors)."""

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from lms.compliance import rules
from lms.compliance.selectors import (
    children_rollup,
    compliance_rows,
    reasons_to_json,
    worker_compliance,
)

from ..pagination import Pagination
from ..schemas import Code
from ..scope import node_in_scope, user_of
from .people import workers_in_scope

router = Router(tags=["compliance"])
VIEW = "people.view_worker"
Year = Path(..., ge=2000, le=2100)


class ReasonOut(Schema):
    code: str
    msgid: str
    params: dict


class ComplianceOut(Schema):
    worker_id: int
    name: str
    id_number_masked: str
    post: str
    org_code: str
    year: int
    status: str
    required_days: float
    achieved_days: float
    in_person_days: float
    online_days: float
    counted_online_days: float
    shortfall_days: float
    expected_days: float
    rotation_required: bool
    rotation_done: bool
    induction: str
    percent: int
    reasons: list[ReasonOut]


class RollupOut(Schema):
    code: str
    name: str
    level: str
    total: int
    met: int
    on_track: int
    at_risk: int
    not_met: int
    met_rate: float


class NodeComplianceOut(Schema):
    year: int
    node: RollupOut
    children: list[RollupOut]


def compliance_row(row) -> dict:
    r = row.result
    return {
        "worker_id": row.worker_id,
        "name": row.name,
        "id_number_masked": row.id_number_masked,
        "post": row.post,
        "org_code": row.org_code,
        "year": r.year,
        "status": r.status,
        "required_days": float(r.required_days),
        "achieved_days": float(r.achieved_days),
        "in_person_days": float(r.in_person_days),
        "online_days": float(r.online_days),
        "counted_online_days": float(r.counted_online_days),
        "shortfall_days": float(r.shortfall_days),
        "expected_days": float(r.expected_days),
        "rotation_required": r.rotation_required,
        "rotation_done": r.rotation_done,
        "induction": r.induction,
        "percent": r.percent,
        "reasons": reasons_to_json(r.reasons),
    }


def rollup_row(rollup) -> dict:
    return {
        "code": rollup.node.code,
        "name": rollup.node.name,
        "level": rollup.node.level,
        "total": rollup.total,
        **{status: rollup.counts[status] for status in rules.STATUSES},
        "met_rate": float(rollup.met_rate),
    }


@router.get(
    "/workers/{worker_id}/{year}",
    response=ComplianceOut,
    summary="One worker's annual minimum",
)
def compliance_worker(
    request, worker_id: int = Path(..., ge=1, le=2**62), year: int = Year
):
    worker = get_object_or_404(workers_in_scope(user_of(request, VIEW)), pk=worker_id)
    return compliance_row(worker_compliance(worker, year))


@router.get(
    "/nodes/{code}/{year}",
    response=NodeComplianceOut,
    summary="A subtree's annual minimum, per child node",
)
def compliance_node(request, code: Code, year: int = Year):
    node = node_in_scope(user_of(request, VIEW), code)
    rows = compliance_rows(year=year, root=node)
    children, total = children_rollup(node, rows)
    return {
        "year": year,
        "node": rollup_row(total),
        "children": [rollup_row(c) for c in children],
    }


@router.get(
    "/nodes/{code}/{year}/workers",
    response=list[ComplianceOut],
    summary="Workers of a subtree with their annual minimum",
)
@paginate(Pagination)
def compliance_node_workers(
    request,
    code: Code,
    year: int = Year,
    status: str | None = Query(None, pattern="^(met|on_track|at_risk|not_met)$"),
):
    node = node_in_scope(user_of(request, VIEW), code)
    rows = compliance_rows(year=year, root=node)
    if status:
        rows = [r for r in rows if r.status == status]
    return _ListRows(rows)


class _ListRows:
    def __init__(self, rows):
        self.rows = rows

    def count(self):
        return len(self.rows)

    def __getitem__(self, item):
        return [compliance_row(r) for r in self.rows[item]]
