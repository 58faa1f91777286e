"""Online learning: progress, a video lesson's credit, tests, and their credit. The
player's play sessions and heartbeats are in courses.services.playback."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.training.models import CreditKind, TrainingForm
from lms.training.services import credit_entry_create

from ..models import LessonKind, LessonPage, LessonProgress, TestAttempt
from ..policy import online_policy
from ..rules import completion_source_key, grade, hours_to_days, lesson_hours


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


def _course_title_org(lesson):
    course = lesson.get_course()
    return course, f"{course.title} · {lesson.title}"


def credit_lesson(*, progress, lesson, when) -> None:
    """Write a completed video lesson's credit to the ledger (once per lesson)."""
    day = timezone.localdate(when)
    policy = online_policy(day.year)
    hours = lesson_hours(lesson.duration_seconds, policy)
    course, title = _course_title_org(lesson)
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
        _course_certificate_on_commit(worker_id=progress.worker_id, course=course)


def _course_certificate_on_commit(*, worker_id: int, course) -> None:
    """Once the lesson's credit commits, see whether it completed the course: the
    task issues the course's completion certificate then, and only once."""
    from certificates.tasks import course_certificate_issue_task

    transaction.on_commit(
        lambda: course_certificate_issue_task.delay(worker_id, course.pk)
    )


@transaction.atomic
def test_attempt_submit(*, worker, lesson: LessonPage, answers: dict) -> TestAttempt:
    """Grade one attempt; refused past the attempt limit or after a pass. A pass
    writes the test's credit once."""
    if lesson.kind != LessonKind.TEST:
        raise LearningError(_("This lesson is not a test."))
    previous = list(
        TestAttempt.objects.select_for_update()
        .filter(worker=worker, lesson=lesson)
        .values_list("passed", flat=True)
    )
    if any(previous):
        raise LearningError(_("You have already passed this test."))
    if len(previous) >= lesson.attempt_limit:
        raise LearningError(_("You have used all your attempts at this test."))
    questions = list(lesson.questions.all())
    if not questions:
        raise LearningError(_("This test has no questions yet."))
    chosen = {}
    for q in questions:
        raw = answers.get(str(q.pk)) or answers.get(q.pk) or []
        if isinstance(raw, (str, int)):
            raw = [raw]
        try:
            chosen[q.pk] = frozenset(int(a) for a in raw)
        except (TypeError, ValueError):
            raise LearningError(_("Invalid answer.")) from None
    score = grade([(q.pk, q.answer_set()) for q in questions], chosen)
    passed = score >= lesson.pass_mark
    attempt = TestAttempt(
        worker=worker,
        lesson=lesson,
        number=len(previous) + 1,
        answers={str(k): sorted(v) for k, v in chosen.items()},
        score=score,
        passed=passed,
    )
    attempt.full_clean()
    attempt.save()
    if passed:
        today = timezone.localdate()
        policy = online_policy(today.year)
        hours = Decimal(policy.passed_test_hours)
        course, title = _course_title_org(lesson)
        _entry, created = credit_entry_create(
            worker=worker,
            date=today,
            days=hours_to_days(hours, policy),
            hours=hours,
            kind=CreditKind.TEST,
            form=TrainingForm.ONLINE,
            organiser=course.owner_org,
            title=title[:200],
            source_key=completion_source_key(lesson.pk, lesson.kind),
            evidence={"lesson": lesson.pk, "attempt": attempt.number, "score": score},
        )
        if created:
            _course_certificate_on_commit(worker_id=worker.pk, course=course)
    return attempt
