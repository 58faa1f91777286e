"""Reads of the study audit: a worker's play sessions with their prompts and
questions, and the suspicious patterns of a subtree. Aggregated in the database
(one query per list), always within the administrator's subtree."""

import datetime as dt

from django.conf import settings
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import ExtractHour, TruncDate, TruncHour

from lms.accounts.scoping import scope_queryset

from .models import PlaySession, TestAttempt

NIGHT_END_HOUR = 6  # "night" is from midnight to 06:00, local time


def sessions_in_scope(user):
    return scope_queryset(
        PlaySession.objects.all(), user, org_field="worker__community"
    )


def worker_sessions(worker, *, since: dt.datetime):
    """The worker's play sessions since `since`, newest first, each with its lesson
    and the counts of presence prompts and questions inside the video."""
    return (
        PlaySession.objects.filter(worker=worker, opened_at__gte=since)
        .select_related("lesson")
        .annotate(
            prompts_answered=Count(
                "prompts", filter=Q(prompts__answered_at__isnull=False), distinct=True
            ),
            prompts_missed=Count(
                "prompts", filter=Q(prompts__missed_at__isnull=False), distinct=True
            ),
            prompts_open=Count(
                "prompts",
                filter=Q(
                    prompts__answered_at__isnull=True, prompts__missed_at__isnull=True
                ),
                distinct=True,
            ),
            questions_right=Count(
                "checkpoint_events",
                filter=Q(checkpoint_events__correct=True),
                distinct=True,
            ),
            questions_wrong=Count(
                "checkpoint_events",
                filter=Q(checkpoint_events__correct=False),
                distinct=True,
            ),
            questions_unanswered=Count(
                "checkpoint_events",
                filter=Q(checkpoint_events__answered_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("-opened_at")
    )


def worker_test_attempts(worker, *, since: dt.datetime):
    return (
        TestAttempt.objects.filter(worker=worker, started_at__gte=since)
        .select_related("lesson")
        .order_by("-started_at")
    )


def many_lessons_per_hour(user, *, since: dt.datetime) -> list[dict]:
    """Workers who played more distinct lessons within one clock hour than the
    threshold (a script running lessons one after another)."""
    return list(
        sessions_in_scope(user)
        .filter(opened_at__gte=since, played_seconds__gt=0)
        .annotate(hour=TruncHour("opened_at"))
        .values("worker_id", "worker__name", "worker__community__name", "hour")
        .annotate(
            lessons=Count("lesson", distinct=True), credited=Sum("credited_seconds")
        )
        .filter(lessons__gt=settings.STUDY_AUDIT_LESSONS_PER_HOUR)
        .order_by("-lessons", "-hour")[:200]
    )


def night_credit(user, *, since: dt.datetime) -> list[dict]:
    """Workers credited more than the threshold between midnight and 06:00 of one
    night (local time)."""
    return list(
        sessions_in_scope(user)
        .filter(opened_at__gte=since)
        .annotate(hour=ExtractHour("opened_at"), day=TruncDate("opened_at"))
        .filter(hour__lt=NIGHT_END_HOUR)
        .values("worker_id", "worker__name", "worker__community__name", "day")
        .annotate(credited=Sum("credited_seconds"), sessions=Count("id"))
        .filter(credited__gt=settings.STUDY_AUDIT_NIGHT_HOURS * 3600)
        .order_by("-credited")[:200]
    )


def shared_devices(user, *, since: dt.datetime) -> list[dict]:
    """Devices that played for more workers than the threshold, with the workers
    (two queries: the devices, then their workers)."""
    scoped = sessions_in_scope(user).filter(opened_at__gte=since)
    devices = list(
        scoped.values("device")
        .annotate(
            workers=Count("worker", distinct=True),
            first=Min("opened_at"),
            last=Max("opened_at"),
        )
        .filter(workers__gt=settings.STUDY_AUDIT_WORKERS_PER_DEVICE)
        .order_by("-workers")[:200]
    )
    names: dict[str, list] = {d["device"]: [] for d in devices}
    for row in (
        scoped.filter(device__in=names)
        .values("device", "worker_id", "worker__name")
        .distinct()
        .order_by("device", "worker__name")
    ):
        names[row["device"]].append(row)
    for d in devices:
        d["worker_rows"] = names[d["device"]]
    return devices
