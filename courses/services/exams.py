"""Tests drawn from question banks: start (draw), save, leave, submit, expire.

Every attempt draws its own paper by the lesson's rules and shuffles the options;
answers are saved on the server as the worker goes, so at the deadline the server
grades what it holds whatever the browser does. The right answers stay on the server
until the attempt is graded.
"""

import random
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.compliance.selectors import policy_for_year
from lms.training.models import CreditKind, TrainingForm
from lms.training.services import credit_entry_create

from ..models import AttemptEnd, LessonKind, LessonPage, Question, TestAttempt
from ..policy import online_policy
from ..rules import (
    attempt_deadline,
    completion_source_key,
    draw_paper,
    grade,
    hours_to_days,
    option_count,
    shuffle_options,
)
from .learning import LearningError, course_title_org, lesson_credited_on_commit

MAX_TEXT_ANSWER = 200


def test_paper_draw(*, lesson: LessonPage, rng: random.Random | None = None) -> list:
    """A new paper for `lesson` by its rules: [[question id, [option order]]].

    One query per rule for the ids of its pool and one for the drawn questions."""
    rng = rng or random.SystemRandom()
    rules = list(lesson.test_rules.all())
    if not rules:
        raise LearningError(_("This test has no questions yet."))
    pools = [
        (
            list(
                Question.objects.filter(**rule.question_filter())
                .order_by()
                .values_list("pk", flat=True)
            ),
            rule.count,
        )
        for rule in rules
    ]
    try:
        ids = draw_paper(pools, rng)
    except ValueError:
        raise LearningError(
            _("The question banks hold fewer questions than this test draws.")
        ) from None
    options = {
        pk: (option_count(kind, text), kind in ("single", "multiple"))
        for pk, kind, text in Question.objects.filter(pk__in=ids).values_list(
            "pk", "kind", "options"
        )
    }
    return shuffle_options(ids, options, rng)


def _validate(attempt: TestAttempt) -> None:
    """Check the attempt's own fields. Its worker and lesson are the rows the caller
    holds and its uniqueness is the database's (a clash is an IntegrityError), so
    no query re-reads them: drawing and grading stay a fixed few queries."""
    attempt.full_clean(
        exclude=["worker", "lesson"], validate_unique=False, validate_constraints=False
    )


def _locked_attempts(worker, lesson) -> list[TestAttempt]:
    return list(
        TestAttempt.objects.select_for_update()
        .select_related("lesson")
        .filter(worker=worker, lesson=lesson)
        .order_by("number")
    )


def _expire_if_due(attempt: TestAttempt, now) -> bool:
    if attempt.is_open and attempt.deadline and now >= attempt.deadline:
        _finish(attempt, reason=AttemptEnd.DEADLINE, when=attempt.deadline)
        return True
    return False


@transaction.atomic
def test_attempt_current(*, worker, lesson: LessonPage, now=None) -> list[TestAttempt]:
    """The worker's attempts at `lesson`, an open one past its deadline graded first."""
    now = now or timezone.now()
    attempts = _locked_attempts(worker, lesson)
    for attempt in attempts:
        _expire_if_due(attempt, now)
    return attempts


@transaction.atomic
def test_attempt_start(
    *, worker, lesson: LessonPage, now=None, rng=None
) -> TestAttempt:
    """The worker's open attempt, or a new one with its own paper. Refused after a
    pass or once the attempts are used up (an open attempt counts)."""
    if lesson.kind != LessonKind.TEST:
        raise LearningError(_("This lesson is not a test."))
    now = now or timezone.now()
    attempts = _locked_attempts(worker, lesson)
    open_attempt = next((a for a in attempts if a.is_open), None)
    if open_attempt is not None and not _expire_if_due(open_attempt, now):
        return open_attempt
    if any(a.passed for a in attempts):
        raise LearningError(_("You have already passed this test."))
    if len(attempts) >= lesson.attempt_limit:
        raise LearningError(_("You have used all your attempts at this test."))
    attempt = TestAttempt(
        worker=worker,
        lesson=lesson,
        number=len(attempts) + 1,
        questions=test_paper_draw(lesson=lesson, rng=rng),
        started_at=now,
        deadline=attempt_deadline(now, lesson.time_limit_minutes),
    )
    _validate(attempt)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # a second tab started it at the same moment
        return TestAttempt.objects.get(worker=worker, lesson=lesson, submitted_at=None)
    return attempt


def _open_attempt(worker, lesson, now) -> TestAttempt:
    """The worker's open attempt, locked; graded and returned closed when its
    deadline has passed (the caller then changes nothing)."""
    attempt = (
        TestAttempt.objects.select_for_update()
        .select_related("lesson")
        .filter(worker=worker, lesson=lesson, submitted_at=None)
        .first()
    )
    if attempt is None:
        raise LearningError(_("Start the test first."))
    _expire_if_due(attempt, now)
    return attempt


def parse_answers(attempt: TestAttempt, raw: dict) -> dict:
    """Answers as posted ({question id: [positions shown] or [text]}) turned into
    {question id: [original option numbers]} or {question id: text}; anything not
    on this attempt's paper, or out of range, is refused."""
    paper = {str(qid): order for qid, order in attempt.questions}
    answers = {}
    for key, values in raw.items():
        if key not in paper:
            raise LearningError(_("Invalid answer."))
        order = paper[key]
        values = [v for v in values if str(v).strip()]
        if not values:
            continue
        if not order:  # fill-in
            if len(values) != 1 or len(str(values[0])) > MAX_TEXT_ANSWER:
                raise LearningError(_("Invalid answer."))
            answers[key] = str(values[0]).strip()
            continue
        try:
            positions = {int(v) for v in values}
        except (TypeError, ValueError):
            raise LearningError(_("Invalid answer.")) from None
        if any(p < 1 or p > len(order) for p in positions):
            raise LearningError(_("Invalid answer."))
        answers[key] = sorted(order[p - 1] for p in positions)
    return answers


@transaction.atomic
def test_attempt_save(*, worker, lesson: LessonPage, answers: dict, now=None):
    """Keep the worker's answers so far (the page saves each change)."""
    now = now or timezone.now()
    attempt = _open_attempt(worker, lesson, now)
    if attempt.is_open:
        attempt.answers = parse_answers(attempt, answers)
        attempt.save(update_fields=["answers"])
    return attempt


@transaction.atomic
def test_attempt_leave(*, worker, lesson: LessonPage, now=None) -> TestAttempt:
    """Record that the worker left the test page; the year's allowed number of
    departures reached, the attempt is submitted with the answers saved so far."""
    now = now or timezone.now()
    attempt = _open_attempt(worker, lesson, now)
    if not attempt.is_open:
        return attempt
    attempt.departures = [*attempt.departures, now.isoformat()]
    attempt.save(update_fields=["departures"])
    limit = policy_for_year(timezone.localdate(now).year).test_max_departures
    if limit and len(attempt.departures) >= limit:
        _finish(attempt, reason=AttemptEnd.DEPARTURES, when=now)
    return attempt


@transaction.atomic
def test_attempt_submit(
    *, worker, lesson: LessonPage, answers: dict, now=None
) -> TestAttempt:
    """Grade the open attempt with `answers`. An attempt with no answer at all is
    refused and stays open; past the deadline the answers saved before it are graded
    instead (the attempt comes back ended by the deadline). A pass writes the test's
    credit once."""
    now = now or timezone.now()
    attempt = _open_attempt(worker, lesson, now)
    if not attempt.is_open:
        return attempt
    attempt.answers = parse_answers(attempt, answers)
    if not attempt.answers:
        raise LearningError(_("Answer at least one question before submitting."))
    _finish(attempt, reason=AttemptEnd.SUBMITTED, when=now)
    return attempt


def _finish(attempt: TestAttempt, *, reason: str, when) -> None:
    """Grade `attempt` (locked by the caller) and credit a pass."""
    ids = [qid for qid, _order in attempt.questions]
    answers = {int(k): v for k, v in attempt.answers.items()}
    rows = Question.objects.filter(pk__in=ids).values_list("pk", "kind", "answer")
    score, _wrong = grade(list(rows), answers)
    lesson = attempt.lesson
    attempt.score = score
    attempt.passed = score >= lesson.pass_mark
    attempt.submitted_at = when
    attempt.end_reason = reason
    _validate(attempt)
    attempt.save()
    if attempt.passed:
        _credit_pass(attempt, lesson, when)


def _credit_pass(attempt: TestAttempt, lesson: LessonPage, when) -> None:
    today = timezone.localdate(when)
    policy = online_policy(today.year)
    hours = Decimal(policy.passed_test_hours)
    course, title = course_title_org(lesson)
    _entry, created = credit_entry_create(
        worker=attempt.worker,
        date=today,
        days=hours_to_days(hours, policy),
        hours=hours,
        kind=CreditKind.TEST,
        form=TrainingForm.ONLINE,
        organiser=course.owner_org,
        title=title[:200],
        source_key=completion_source_key(lesson.pk, lesson.kind),
        evidence={
            "lesson": lesson.pk,
            "attempt": attempt.number,
            "score": attempt.score,
        },
    )
    if created:
        lesson_credited_on_commit(worker_id=attempt.worker_id, course=course)


def test_attempts_expire(*, now=None) -> int:
    """Grade every open attempt past its deadline (the minute beat); returns how many."""
    now = now or timezone.now()
    done = 0
    due = TestAttempt.objects.filter(submitted_at=None, deadline__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            attempt = (
                TestAttempt.objects.select_for_update()
                .select_related("lesson")
                .filter(pk=pk, submitted_at=None)
                .first()
            )
            if attempt is not None:
                _expire_if_due(attempt, now)
                done += 1
    return done
