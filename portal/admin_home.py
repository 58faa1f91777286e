"""What needs attention in an administrator's subtree, on the Wagtail dashboard.

Reads every layer below (training, compliance, courses' review workflow, jobs), so it
lives at the top. One query per panel row, none per item; the at-risk count (a full
compliance evaluation of the subtree) is cached briefly."""

import datetime as dt

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


def at_risk_count(root, *, year) -> int:
    key = f"admin-home:at-risk:{root.pk}:{year}"
    count = cache.get(key)
    if count is None:
        rows = compliance_rows(year=year, root=root)
        count = sum(1 for r in rows if r.status in RISK_STATUSES)
        cache.set(key, count, settings.ADMIN_HOME_AT_RISK_CACHE_SECONDS)
    return count


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
