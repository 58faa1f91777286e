"""What needs attention in an administrator's subtree, on the Wagtail dashboard.

Reads every layer below (training, compliance, courses' review workflow, jobs), so it
lives at the top. One query per panel row, none per item. The at-risk count is
never computed on a page load: it is read as stored by at_risk.py's refresh, so it is
stale by at most ADMIN_HOME_AT_RISK_REFRESH_SECONDS (the panel shows when it was
taken)."""

import datetime as dt

from django.db.models import Count, Min, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from lms.accounts.scoping import scope_root
from lms.jobs.models import Job, JobStatus
from lms.training.models import (
    ClassSession,
    EnrolmentStatus,
    ExternalTraining,
    ReviewStatus,
    TrainingClass,
)

from .at_risk import at_risk_refresh_claim, at_risk_stored
from .tasks import at_risk_counts_refresh_task


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


def at_risk_count(root, *, year) -> dict | None:
    """{"count", "at"}: the stored count of `root`'s subtree, or None while it is
    being taken: a miss (before the beat's first run, or after the cache was
    cleared) queues one evaluation of the whole tree, never evaluates it here."""
    stored = at_risk_stored(root, year=year)
    if stored is None and at_risk_refresh_claim(year=year):
        at_risk_counts_refresh_task.delay(year=year)
        stored = at_risk_stored(root, year=year)  # done already when run in-process
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
        "at_risk": at_risk_count(root, year=now.year),
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
