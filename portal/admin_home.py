"""What needs attention in an administrator's subtree, on the Wagtail dashboard.

Reads every layer below (training, compliance, courses' review workflow, jobs), so it
lives at the top. One query per panel row, none per item. The at-risk count (a full
compliance evaluation) is never computed on a page load once the beat has run:
`at_risk_counts_refresh` evaluates the whole tree once every
ADMIN_HOME_AT_RISK_REFRESH_SECONDS and stores the count of every node with the time
it was taken, so a count is stale by at most that interval (the panel shows when it
was taken)."""

import datetime as dt
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from lms.accounts.scoping import scope_root
from lms.compliance import rules
from lms.compliance.selectors import compliance_rows
from lms.jobs.models import Job, JobStatus
from lms.org.models import OrgNode
from lms.training.models import (
    ClassSession,
    EnrolmentStatus,
    ExternalTraining,
    ReviewStatus,
    TrainingClass,
)

RISK_STATUSES = (rules.AT_RISK, rules.NOT_MET)


def classes_this_week(root, *, today) -> list[TrainingClass]:
    """Classes organised in the subtree with a session this week (Monday–Sunday),
    with `enrolled` and `first_date` annotated, soonest first."""
    monday = today - dt.timedelta(days=today.weekday())
    sunday = monday + dt.timedelta(days=6)
    week = ClassSession.objects.filter(date__range=(monday, sunday))
    return list(
        TrainingClass.objects.filter(
            organiser__path__startswith=root.path,
            pk__in=week.values("training_class"),
        )
        .annotate(
            enrolled=Count(
                "enrolments",
                filter=Q(enrolments__status=EnrolmentStatus.ENROLLED),
                distinct=True,
            ),
            first_date=Min("sessions__date", filter=Q(sessions__date__gte=monday)),
        )
        .order_by("first_date", "title")[:20]
    )


def _at_risk_key(node_id: int, year: int) -> str:
    return f"admin-home:at-risk:{node_id}:{year}"


def _risk_counts_by_path(rows) -> Counter:
    """How many rows are at risk under each node path (each row counts for every
    ancestor of its community)."""
    step = OrgNode.steplen
    counts = Counter()
    for row in rows:
        if row.status in RISK_STATUSES:
            for end in range(step, len(row.org_path) + 1, step):
                counts[row.org_path[:end]] += 1
    return counts


def at_risk_counts_refresh(*, year: int, now=None) -> int:
    """Evaluate the whole tree once and store every node's at-risk count with the
    time it was taken; returns how many nodes were stored."""
    now = now or timezone.now()
    stored = {}
    for root in OrgNode.get_root_nodes():
        counts = _risk_counts_by_path(compliance_rows(year=year, root=root))
        for pk, path in OrgNode.objects.filter(path__startswith=root.path).values_list(
            "pk", "path"
        ):
            stored[_at_risk_key(pk, year)] = {"count": counts[path], "at": now}
    # Kept three intervals, so a late or failed run leaves the last counts showing.
    cache.set_many(stored, 3 * settings.ADMIN_HOME_AT_RISK_REFRESH_SECONDS)
    return len(stored)


def at_risk_count(root, *, year, now=None) -> dict:
    """{"count", "at"}: the stored count of `root`'s subtree; evaluated here only
    before the beat's first run (or after the cache was cleared)."""
    key = _at_risk_key(root.pk, year)
    stored = cache.get(key)
    if stored is None:
        counts = _risk_counts_by_path(compliance_rows(year=year, root=root))
        stored = {"count": counts[root.path], "at": now or timezone.now()}
        cache.set(key, stored, 3 * settings.ADMIN_HOME_AT_RISK_REFRESH_SECONDS)
    return stored


def attention(user, *, now=None) -> dict | None:
    root = scope_root(user)
    if root is None:
        return None
    now = timezone.localtime(now)
    return {
        "root": root,
        "year": now.year,
        "claims": ExternalTraining.objects.filter(
            status=ReviewStatus.PENDING, worker__community__path__startswith=root.path
        ).count(),
        "reviews": TaskState.objects.reviewable_by(user).count(),
        "classes": classes_this_week(root, today=now.date()),
        "at_risk": at_risk_count(root, year=now.year, now=now),
        "jobs": list(
            Job.objects.filter(
                created_by=user,
                status__in=[JobStatus.DONE, JobStatus.FAILED],
                updated_at__gte=now - dt.timedelta(days=7),
            ).order_by("-updated_at")[:5]
        ),
    }


class AttentionPanel(Component):
    name = "attention"
    order = 50
    template_name = "portal/admin/attention.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(attention(parent_context["request"].user) or {})
        return context
