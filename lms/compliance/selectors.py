"""Reads of the annual minimum: the year's policy, compliance from the ledger (the
report files are built in `reports`).

Compliance of any set of workers is computed in a fixed number of queries, whatever
its size: the workers, their post spans, one GROUP BY over the year's ledger (sums by
kind and a rotation flag) and the induction entries of the year's new hires; then the
pure rules run per worker in Python. A closed year reads its frozen snapshot instead.
"""

import datetime as dt
import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField, Case, Q, Sum, When
from django.utils import timezone

from lms.org.models import OrgNode
from lms.people.models import PostSpan, Worker
from lms.policy import YearFacts
from lms.training.models import (
    ONLINE_CREDIT,
    CreditEntry,
    CreditKind,
    CreditTotal,
    TrainingType,
)

from . import rules
from .models import ComplianceSnapshot, YearPolicy
from .policy import Policy


def policy_for_year(year: int) -> Policy:
    """The rules of `year`: the administrators' row, or the documented defaults."""
    row = YearPolicy.objects.filter(year=year).first()
    return row.to_policy() if row is not None else Policy(year=year)


def year_facts(year: int) -> YearFacts:
    """What the ledger needs of `year`'s rules (registered with lms.policy)."""
    policy = policy_for_year(year)
    return YearFacts(
        closed=policy.closed,
        hours_per_day=Decimal(str(policy.hours_per_day)),
        claim_max_hours_per_day=Decimal(str(policy.claim_max_hours_per_day)),
        claim_before_hire_days=policy.claim_before_hire_days,
        party_school_day_days=Decimal(str(policy.party_school_day_days)),
        teaching_hour_hours=Decimal(str(policy.teaching_hour_hours)),
        paper_hours=Decimal(str(policy.paper_hours)),
        checkin_max_distance_m=policy.checkin_max_distance_m,
        checkin_far_action=policy.checkin_far_action,
    )


def closed_years() -> set[int]:
    return set(YearPolicy.objects.filter(closed=True).values_list("year", flat=True))


class WorkerCompliance(NamedTuple):
    """One worker's line: who, where, and the rules' verdict for the year (a named
    tuple: a city's report makes tens of thousands)."""

    worker_id: int
    name: str
    id_number_masked: str
    post: str
    community_id: int
    org_code: str
    org_name: str
    org_path: str
    user_id: int | None
    result: rules.Compliance

    @property
    def status(self) -> str:
        return self.result.status


@dataclass
class NodeRollup:
    node: OrgNode
    total: int = 0
    counts: dict = field(default_factory=lambda: dict.fromkeys(rules.STATUSES, 0))

    @property
    def met_rate(self) -> Decimal:
        return rules.rate(self.counts[rules.MET], self.total)


@contextmanager
def no_gc():
    """Pause the cyclic GC while building tens of thousands of small acyclic objects
    (it would otherwise run dozens of times for nothing)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fetch(qs) -> list[tuple]:
    """Rows of a values_list/values queryset as tuples, in its select order.

    On PostgreSQL the driver already returns dates and Decimals, so the rows are read
    with a plain cursor, skipping the ORM's per-row converters (66,000 rows a report).
    """
    if connection.vendor != "postgresql":
        return [tuple(r.values()) if isinstance(r, dict) else r for r in qs]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _subtree_ids(root: OrgNode | None) -> list[int] | None:
    """The node ids of `root`'s subtree, or None for the whole city.

    Filtering by an IN list of ids rather than a LIKE on the joined path lets
    PostgreSQL plan a district's half-million-row ledger scan well (10 s -> 1.4 s).
    """
    if root is None or root.is_root():
        return None
    return list(root.subtree().values_list("id", flat=True))


def _scoped(qs, ids: list[int] | None, field_path: str):
    return qs if ids is None else qs.filter(**{f"{field_path}__in": ids})


def _ledger_totals(
    year: int, policy: Policy, *, scope_ids, worker_ids
) -> tuple[dict, dict]:
    """({worker: (in_person_days, online_hours, rotation)}, {worker: induction list}).

    The sums come from the year's running totals (CreditTotal, kept by the database
    on every ledger insert); rotation and induction from their few ledger lines.
    """
    first, last = rules.year_bounds(year)
    sums = CreditTotal.objects.filter(year=year)
    rotation = CreditEntry.objects.filter(
        training_type=TrainingType.ROTATION,
        date__gte=first,
        date__lte=last,
        organiser__level__in=policy.rotation_levels(),
    )
    if worker_ids is not None:
        sums = sums.filter(worker_id__in=worker_ids)
        rotation = rotation.filter(worker_id__in=worker_ids)
    sums = _scoped(sums, scope_ids, "worker__community")
    rotation = _scoped(rotation, scope_ids, "worker__community")
    rotated = {
        worker_id
        for worker_id, days in _fetch(
            rotation.values("worker_id").annotate(days=Sum("days")).order_by()
        )
        if days > 0
    }
    totals = {
        worker_id: (in_person, online, worker_id in rotated)
        for worker_id, in_person, online in _fetch(
            sums.values_list("worker_id", "in_person_days", "online_hours").order_by()
        )
    }
    # Induction of the year's hires may fall into the next year (12-month deadline).
    induction_until = rules.add_months(last, policy.induction_deadline_months)
    induction = CreditEntry.objects.filter(
        training_type=TrainingType.INDUCTION,
        worker__hire_date__gte=first,
        worker__hire_date__lte=last,
        date__gte=first,
        date__lte=induction_until,
    )
    if worker_ids is not None:
        induction = induction.filter(worker_id__in=worker_ids)
    induction = _scoped(induction, scope_ids, "worker__community")
    inductions = defaultdict(list)
    for worker_id, when, days in _fetch(
        induction.values_list("worker_id", "date", "days").order_by()
    ):
        inductions[worker_id].append((when, days))
    return totals, inductions


def compliance_rows(
    *,
    year: int,
    root: OrgNode | None = None,
    worker_ids=None,
    as_of: dt.date | None = None,
    policy: Policy | None = None,
    post: str = "",
    use_snapshot: bool = True,
) -> list[WorkerCompliance]:
    """Compliance of every worker in `root`'s subtree (or `worker_ids`) for `year`.

    Workers employed at some time during the year, by their current community.
    """
    policy = policy or policy_for_year(year)
    if policy.closed and use_snapshot:
        return snapshot_rows(year=year, root=root, worker_ids=worker_ids, post=post)
    as_of = as_of or timezone.localdate()
    first, last = rules.year_bounds(year)
    workers = Worker.objects.filter(hire_date__lte=last).exclude(leave_date__lt=first)
    spans = PostSpan.objects.filter(start__lte=last).filter(
        Q(end__isnull=True) | Q(end__gte=first)
    )
    if worker_ids is not None:
        workers = workers.filter(id__in=worker_ids)
        spans = spans.filter(worker_id__in=worker_ids)
    if post:
        workers = workers.filter(post=post)
    scope_ids = _subtree_ids(root)
    workers = _scoped(workers, scope_ids, "community")
    spans = _scoped(spans, scope_ids, "worker__community")

    # Rows (worker_id, post, start, end) by worker; made into rules.Span only for
    # the workers whose spans are evaluated, not for every worker.
    span_map = defaultdict(list)
    for row in _fetch(
        spans.values_list("worker_id", "post", "start", "end").order_by()
    ):
        span_map[row[0]].append(row)
    totals, inductions = _ledger_totals(
        year, policy, scope_ids=scope_ids, worker_ids=worker_ids
    )

    with no_gc():
        return _evaluate_rows(
            policy, year, as_of, workers, span_map, totals, inductions
        )


def _row_order(row) -> tuple:
    return (row.org_path, row.name, row.worker_id)


def _evaluate_rows(policy, year, as_of, workers, span_map, totals, inductions):
    first, last = rules.year_bounds(year)
    empty = (rules.ZERO, rules.ZERO, False)
    rows = []
    cache: dict = {}
    evaluate, LedgerTotals, clip = rules.evaluate, rules.LedgerTotals, rules.clip_spans
    Span = rules.Span
    no_spans = ()
    worker_rows = _fetch(
        workers.values_list(
            "id",
            "name",
            "id_number_masked",
            "post",
            "community_id",
            "hire_date",
            "leave_date",
            "user_id",
        ).order_by()  # sorted below in Python: cheaper than a collated ORDER BY
    )
    if not worker_rows:
        return []
    # Communities apart: a few thousand rows rather than three columns per worker.
    communities = {
        node_id: (code, org_name, path)
        for node_id, code, org_name, path in _fetch(
            OrgNode.objects.filter(id__in={row[4] for row in worker_rows})
            .values_list("id", "code", "name", "path")
            .order_by()
        )
    }
    for (
        worker_id,
        name,
        masked,
        worker_post,
        community_id,
        hire,
        leave,
        user_id,
    ) in worker_rows:
        code, org_name, path = communities[community_id]
        in_person, online, rotation = totals.get(worker_id, empty)
        span_rows = span_map.get(worker_id, no_spans)
        result = key = worker_spans = None
        if hire.year != year:
            # Most workers share their spans within the year and their totals:
            # evaluate each shape once. A span over the whole year is keyed by its
            # post alone (the common case, and the cheapest key).
            if (
                len(span_rows) == 1
                and span_rows[0][2] <= first
                and (span_rows[0][3] is None or span_rows[0][3] >= last)
                and (leave is None or leave >= last)
            ):
                key = (span_rows[0][1], in_person, online, rotation)
            else:
                worker_spans = [Span(*row[1:]) for row in span_rows]
                key = (
                    clip(worker_spans, year, leave_date=leave),
                    in_person,
                    online,
                    rotation,
                )
            result = cache.get(key)
        if result is None:
            if worker_spans is None:
                worker_spans = [Span(*row[1:]) for row in span_rows]
            result = evaluate(
                policy=policy,
                spans=worker_spans,
                hire_date=hire,
                leave_date=leave,
                totals=LedgerTotals(
                    in_person_days=in_person,
                    online_hours=online,
                    rotation=rotation,
                    induction=tuple(inductions.get(worker_id, ())),
                ),
                as_of=as_of,
            )
            if key is not None:
                cache[key] = result
        rows.append(
            WorkerCompliance(
                worker_id,
                name,
                masked,
                worker_post,
                community_id,
                code,
                org_name,
                path,
                user_id,
                result,
            )
        )
    rows.sort(key=_row_order)
    return rows


def worker_compliance(worker: Worker, year: int, *, as_of=None) -> WorkerCompliance:
    """One worker's compliance for `year` (a worker not employed then needs nothing)."""
    rows = compliance_rows(year=year, worker_ids=[worker.pk], as_of=as_of)
    if rows:
        return rows[0]
    policy = policy_for_year(year)
    result = rules.evaluate(
        policy=policy,
        spans=(),
        hire_date=worker.hire_date,
        totals=rules.LedgerTotals(),
        as_of=as_of or timezone.localdate(),
    )
    return WorkerCompliance(
        worker.pk,
        worker.name,
        worker.id_number_masked,
        worker.post,
        worker.community_id,
        worker.community.code,
        worker.community.name,
        worker.community.path,
        worker.user_id,
        result,
    )


def worker_credit_by_kind(worker, year: int, policy: Policy) -> list[dict]:
    """The worker's credit of `year` by ledger kind, split where part of a kind counts
    online (its training form is online): days, online credit's from its hours."""
    first, last = rules.year_bounds(year)
    sums = {
        (kind, online): (days or rules.ZERO, hours or rules.ZERO)
        for kind, online, days, hours in CreditEntry.objects.filter(
            worker=worker, date__gte=first, date__lte=last
        )
        .annotate(
            online=Case(
                When(ONLINE_CREDIT, then=True),
                default=False,
                output_field=BooleanField(),
            ),
        )
        .values("kind", "online")
        .annotate(days=Sum("days"), hours=Sum("hours"))
        .values_list("kind", "online", "days", "hours")
        .order_by()
    }
    out = []
    for kind, label in CreditKind.choices:
        for online in (False, True):
            if (kind, online) not in sums:
                continue
            days, hours = sums[(kind, online)]
            out.append(
                {
                    "kind": kind,
                    "label": label,
                    "online": online,
                    "hours": Decimal(hours).quantize(rules.CENT),
                    "days": (policy.hours_to_days(hours) if online else days).quantize(
                        rules.CENT
                    ),
                }
            )
    return out


def _reason_from_json(item: dict) -> rules.Reason:
    return rules.Reason(item["code"], item["msgid"], item.get("params") or {})


def reasons_to_json(reasons) -> list[dict]:
    return [
        {
            "code": r.code,
            "msgid": r.msgid,
            "params": {k: str(v) for k, v in r.params.items()},
        }
        for r in reasons
    ]


def snapshot_rows(
    *, year: int, root: OrgNode | None = None, worker_ids=None, post: str = ""
) -> list[WorkerCompliance]:
    """The frozen compliance of a closed year."""
    qs = ComplianceSnapshot.objects.filter(year=year)
    if worker_ids is not None:
        qs = qs.filter(worker_id__in=worker_ids)
    if post:
        qs = qs.filter(post=post)
    qs = _scoped(qs, _subtree_ids(root), "community").select_related("community")
    qs = qs.select_related(None).values_list(
        "worker_id",
        "name",
        "id_number_masked",
        "post",
        "community_id",
        "community__code",
        "community__name",
        "community__path",
        "worker__user_id",
        "required_days",
        "achieved_days",
        "in_person_days",
        "online_days",
        "counted_online_days",
        "shortfall_days",
        "rotation_required",
        "rotation_done",
        "induction",
        "status",
        "reasons",
    )
    rows = []
    for r in qs.order_by("community__path", "name", "worker_id"):
        result = rules.Compliance(
            year=year,
            required_days=r[9],
            achieved_days=r[10],
            in_person_days=r[11],
            online_days=r[12],
            counted_online_days=r[13],
            shortfall_days=r[14],
            expected_days=r[9],
            rotation_required=r[15],
            rotation_done=r[16],
            induction=r[17],
            induction_deadline=None,
            status=r[18],
            reasons=tuple(_reason_from_json(x) for x in r[19]),
        )
        rows.append(WorkerCompliance(*r[:9], result))
    return rows


def children_rollup(
    node: OrgNode, rows: list[WorkerCompliance]
) -> tuple[list[NodeRollup], NodeRollup]:
    """Per child of `node` (and for `node` itself): workers by status."""
    children = list(
        OrgNode.objects.filter(
            path__startswith=node.path, depth=node.depth + 1
        ).order_by("path")
    )
    by_path = {child.path: NodeRollup(child) for child in children}
    total = NodeRollup(node)
    cut = len(node.path) + node.steplen
    for row in rows:
        total.total += 1
        total.counts[row.status] += 1
        child = by_path.get(row.org_path[:cut])
        if child is not None:
            child.total += 1
            child.counts[row.status] += 1
    return list(by_path.values()), total
