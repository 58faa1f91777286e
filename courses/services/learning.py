"""Online learning: progress and a video lesson's credit. The player's play sessions
and heartbeats are in courses.services.playback; tests in courses.services.exams."""

from django.db import transaction
from django.utils import timezone

from lms.training.models import CreditKind, TrainingForm
from lms.training.services import credit_entry_create

from ..models import LessonPage, LessonProgress
from ..policy import online_policy
from ..rules import completion_source_key, hours_to_days, lesson_hours
from ..signals import lesson_credited


class LearningError(Exception):
    pass


def lesson_progress_start(*, worker, lesson: LessonPage) -> LessonProgress:
    """The worker's progress on the lesson, made on first opening the player."""
    progress, _created = LessonProgress.objects.get_or_create(
        worker=worker, lesson=lesson
    )
    return progress


_POLICIES: dict = {}


def policy_cached(year: int):
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


def credit_lesson(*, progress, lesson, when) -> None:
    """Write a completed video lesson's credit to the ledger (once per lesson)."""
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
        lesson_credited_on_commit(worker_id=progress.worker_id, course=course)


def lesson_credited_on_commit(*, worker_id: int, course) -> None:
    """Once the lesson's credit commits, tell whoever listens (certificates checks
    whether it completed the course)."""
    transaction.on_commit(
        lambda: lesson_credited.send(
            sender=type(course), worker_id=worker_id, course_id=course.pk
        )
    )
