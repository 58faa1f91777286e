"""Portal views of a test lesson: start an attempt, save answers as the worker goes,
record leaving the page, submit; and the test part of the lesson page."""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lms.compliance.selectors import policy_for_year

from ..models import AttemptEnd, LessonKind, LessonPage
from ..selectors import attempt_paper, attempt_review, can_view_course
from ..services import (
    LearningError,
    test_attempt_current,
    test_attempt_leave,
    test_attempt_save,
    test_attempt_start,
    test_attempt_submit,
)

ENDED_MESSAGES = {
    AttemptEnd.DEADLINE: gettext_lazy(
        "Time is up: the answers saved before the deadline were graded."
    ),
    AttemptEnd.DEPARTURES: gettext_lazy(
        "You left the test page too often: the attempt was submitted with the "
        "answers saved so far."
    ),
}


def exam_context(*, worker, lesson: LessonPage, now=None) -> dict:
    """The test part of a lesson page: attempts (one past its deadline graded
    first), the open paper with its time left, the last result question by question."""
    now = now or timezone.now()
    attempts = test_attempt_current(worker=worker, lesson=lesson, now=now)
    policy = policy_for_year(timezone.localdate(now).year)
    open_attempt = next((a for a in attempts if a.is_open), None)
    graded = [a for a in attempts if not a.is_open]
    passed = any(a.passed for a in graded)
    context = {
        "attempts": graded,
        "passed": passed,
        "attempts_left": max(0, lesson.attempt_limit - len(attempts)),
        "open_attempt": open_attempt,
        "max_departures": policy.test_max_departures,
    }
    if open_attempt is not None:
        context["paper"] = attempt_paper(open_attempt)
        if open_attempt.deadline:
            context["seconds_left"] = max(
                0, math.ceil((open_attempt.deadline - now).total_seconds())
            )
    if graded:
        last = graded[-1]
        final = passed or len(attempts) >= lesson.attempt_limit
        reveal = final and policy.test_reveal_answers
        context["last_attempt"] = last
        context["review"] = attempt_review(last, reveal=reveal)
        context["revealed"] = reveal
        context["ended_message"] = ENDED_MESSAGES.get(last.end_reason, "")
    return context


def _test_lesson(request, pk):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=pk, kind=LessonKind.TEST)
    worker = getattr(request.user, "worker", None)
    if worker is None or not can_view_course(request.user, lesson.get_course()):
        raise PermissionDenied
    return lesson, worker


def _posted_answers(request) -> dict:
    return {
        key[2:]: request.POST.getlist(key)
        for key in request.POST
        if key.startswith("q-")
    }


@login_required
@require_POST
def test_start(request, pk):
    lesson, worker = _test_lesson(request, pk)
    try:
        test_attempt_start(worker=worker, lesson=lesson)
    except LearningError as exc:
        messages.error(request, str(exc))
    return redirect(lesson.url)


@login_required
@require_POST
def test_save(request, pk):
    """The page saves the answers after each change; JSON with the time left."""
    lesson, worker = _test_lesson(request, pk)
    try:
        attempt = test_attempt_save(
            worker=worker, lesson=lesson, answers=_posted_answers(request)
        )
    except LearningError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"open": attempt.is_open})


@login_required
@require_POST
def test_leave(request, pk):
    """The page reports that it was hidden (another tab, app or window)."""
    lesson, worker = _test_lesson(request, pk)
    try:
        attempt = test_attempt_leave(worker=worker, lesson=lesson)
    except LearningError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(
        {"open": attempt.is_open, "departures": len(attempt.departures)}
    )


@login_required
@require_POST
def test_submit(request, pk):
    lesson, worker = _test_lesson(request, pk)
    try:
        attempt = test_attempt_submit(
            worker=worker, lesson=lesson, answers=_posted_answers(request)
        )
    except LearningError as exc:
        messages.error(request, str(exc))
        return redirect(lesson.url)
    if attempt.end_reason in ENDED_MESSAGES:
        messages.warning(request, ENDED_MESSAGES[attempt.end_reason])
    elif attempt.passed:
        messages.success(
            request, _("Passed with %(score)s%%.") % {"score": attempt.score}
        )
    else:
        messages.error(
            request,
            _("Not passed: %(score)s%% (pass mark %(mark)s%%).")
            % {"score": attempt.score, "mark": lesson.pass_mark},
        )
    return redirect(lesson.url)
