"""What a worker's home shows: the year's progress, what to do next, what is new.

The home reads every layer below (compliance, training, courses, certificates), so it
lives at the top, beside the API. A fixed number of queries whatever the history."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from courses.models import LessonPage, LessonProgress
from courses.selectors import next_lesson
from lms.compliance.models import Notification
from lms.compliance.selectors import worker_compliance
from lms.training.models import ClassSession, EnrolmentStatus
from lms.training.selectors import open_classes_for

NEW_CERTIFICATE_DAYS = 30


@dataclass(frozen=True)
class NextLesson:
    lesson: LessonPage
    course_title: str
    progress: LessonProgress | None


def continue_learning(worker) -> NextLesson | None:
    """The lesson to open next: the last one played if unfinished, else the lesson
    after it in its course (None when nothing was started or the course is done)."""
    last = (
        LessonProgress.objects.filter(worker=worker)
        .select_related("lesson")
        .order_by("-started_at", "-id")
        .first()
    )
    if last is None:
        return None
    lesson = last.lesson
    course = lesson.get_parent()
    if last.completed_at is None:
        return NextLesson(lesson, course.title, last)
    following = next_lesson(lesson)
    if following is None:
        return None
    return NextLesson(following, course.title, None)


def upcoming_sessions(worker, *, now=None, limit=2) -> list[ClassSession]:
    """Today's and the next sessions of the classes the worker is enrolled in."""
    now = timezone.localtime(now)
    return list(
        ClassSession.objects.filter(
            training_class__enrolments__worker=worker,
            training_class__enrolments__status=EnrolmentStatus.ENROLLED,
        )
        .filter(Q(date__gt=now.date()) | Q(date=now.date(), end_time__gte=now.time()))
        .select_related("training_class", "training_class__organiser")
        .order_by("date", "start_time")[:limit]
    )


def worker_home(worker, *, now=None) -> dict:
    now = timezone.localtime(now)
    year = now.year
    result = worker_compliance(worker, year, as_of=now.date()).result
    classes = []
    if result.shortfall_days or (result.rotation_required and not result.rotation_done):
        wants_rotation = result.rotation_required and not result.rotation_done
        types = ["rotation"] if wants_rotation else None
        classes = open_classes_for(worker, now=now, types=types)[:3]
        if not classes and wants_rotation:
            classes = open_classes_for(worker, now=now)[:3]
    sessions = upcoming_sessions(worker, now=now)
    return {
        "worker": worker,
        "year": year,
        "today": now.date(),
        "result": result,
        "next": continue_learning(worker),
        "sessions": sessions,
        "open_classes": classes,
        "notifications": list(
            Notification.objects.filter(
                recipient_id=worker.user_id, read_at__isnull=True
            ).order_by("-id")[:3]
        ),
        "certificates": list(
            Certificate.objects.filter(
                worker=worker,
                status=CertificateStatus.VALID,
                issued_at__gte=now - dt.timedelta(days=NEW_CERTIFICATE_DAYS),
            )[:3]
        ),
    }
