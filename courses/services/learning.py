"""Online learning: the player's heartbeats, completion, and their credit."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.training.models import CreditKind, TrainingForm
from lms.training.services import credit_entry_create

from ..models import LessonPage, LessonProgress
from ..policy import online_policy
from ..rules import (
    apply_heartbeat,
    completion_source_key,
    hours_to_days,
    is_complete,
    lesson_hours,
)


def max_gap_seconds() -> int:
    """The longest wall-clock gap one heartbeat may claim: time away (a closed tab, a
    long pause) never turns into credit. Also the first heartbeat's allowance."""
    return 2 * settings.LESSON_HEARTBEAT_SECONDS + 5


class LearningError(Exception):
    pass


def lesson_progress_start(*, worker, lesson: LessonPage) -> LessonProgress:
    """The worker's progress on the lesson, made on first opening the player."""
    progress, _created = LessonProgress.objects.get_or_create(
        worker=worker, lesson=lesson
    )
    return progress


def _parse_segments(played) -> list[tuple[int, int]]:
    segments = []
    for item in (played or [])[:50]:
        try:
            start, end = int(float(item[0])), int(float(item[1]))
        except (TypeError, ValueError, IndexError):
            raise LearningError(_("Invalid playback segments.")) from None
        if end > start >= 0:
            segments.append((start, end))
    return segments


@transaction.atomic
def lesson_progress_heartbeat(
    *, user_id: int, lesson_id: int, position, played, now=None
) -> LessonProgress | None:
    """Record one heartbeat: the segments played since the previous one and the
    position. Two queries on the usual path (read the row locked, write it); the
    credit is written once when the lesson becomes complete. None when the worker has
    not opened the lesson's player."""
    now = now or timezone.now()
    segments = _parse_segments(played)
    try:
        position = int(float(position or 0))
    except (TypeError, ValueError):
        raise LearningError(_("Invalid position.")) from None
    progress = (
        LessonProgress.objects.select_for_update(of=("self",))
        .select_related("lesson")
        .filter(lesson_id=lesson_id, worker__user_id=user_id)
        .first()
    )
    if progress is None:
        return None
    lesson = progress.lesson
    elapsed = (
        None
        if progress.heartbeat_at is None
        else (now - progress.heartbeat_at).total_seconds()
    )
    policy = _policy_cache(timezone.localdate(now).year)
    result = apply_heartbeat(
        stored=progress.intervals,
        played=segments,
        position=position,
        duration=lesson.duration_seconds,
        elapsed_seconds=elapsed,
        max_rate=policy.max_playback_rate,
        max_gap=max_gap_seconds(),
    )
    progress.intervals = [list(i) for i in result.intervals]
    progress.unique_seconds = result.unique_seconds
    progress.position = result.position
    progress.heartbeat_at = now
    fields = ["intervals", "unique_seconds", "position", "heartbeat_at"]
    newly_complete = progress.completed_at is None and is_complete(
        result.unique_seconds, lesson.duration_seconds, policy.complete_share
    )
    if newly_complete:
        progress.completed_at = now
        fields.append("completed_at")
    progress.save(update_fields=fields)
    if newly_complete:
        _credit_lesson(progress=progress, lesson=lesson, when=now)
    progress.added_seconds = result.added_seconds
    progress.rejected_seconds = result.rejected_seconds
    return progress


_POLICIES: dict = {}


def _policy_cache(year: int):
    """The year's online policy, re-read at most once a minute per process, so a
    heartbeat does not pay a policy query."""
    now = timezone.now().timestamp()
    cached = _POLICIES.get(year)
    if cached is None or now - cached[0] > 60:
        cached = (now, online_policy(year))
        _POLICIES[year] = cached
    return cached[1]


def course_title_org(lesson):
    course = lesson.get_course()
    return course, f"{course.title} · {lesson.title}"


def _credit_lesson(*, progress, lesson, when) -> None:
    day = timezone.localdate(when)
    policy = online_policy(day.year)
    hours = lesson_hours(lesson.duration_seconds, policy)
    course, title = course_title_org(lesson)
    _entry, created = credit_entry_create(
        worker=progress.worker,
        date=day,
        days=hours_to_days(hours, policy),
        hours=hours,
        kind=CreditKind.ONLINE,
        form=TrainingForm.ONLINE,
        organiser=course.owner_org,
        title=title[:200],
        source_key=completion_source_key(lesson.pk, lesson.kind),
        evidence={
            "lesson": lesson.pk,
            "course": course.pk,
            "unique_seconds": progress.unique_seconds,
            "duration_seconds": lesson.duration_seconds,
        },
    )
    if created:
        course_certificate_on_commit(worker_id=progress.worker_id, course=course)


def course_certificate_on_commit(*, worker_id: int, course) -> None:
    """Once the lesson's credit commits, see whether it completed the course: the
    task issues the course's completion certificate then, and only once."""
    from certificates.tasks import course_certificate_issue_task

    transaction.on_commit(
        lambda: course_certificate_issue_task.delay(worker_id, course.pk)
    )
