"""Course and lesson pages (served by Wagtail) and lesson media."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
)
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lms.accounts.files import serve_file

from ..models import (
    CoursePage,
    LessonKind,
    LessonPage,
)
from ..permissions import can_manage_course, is_course_trainer
from ..selectors import (
    can_view_course,
    course_detail,
    next_lesson,
)
from ..services import (
    lesson_checkpoints,
    lesson_progress_start,
    play_token_issue,
)
from ..services.learning import policy_cached
from .exams import exam_context
from .player import device_cookie_set, device_new, device_of

PAGE_SIZES = (10, 20, 50)


# --- Course and lesson pages (served by Wagtail) ---------------------------------------
def course_serve(request, course: CoursePage):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_view_course(request.user, course):
        raise PermissionDenied
    return render(
        request,
        "courses/course_page.html",
        course_detail(course=course, user=request.user),
    )


def lesson_serve(request, lesson: LessonPage, *, preview=False):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    course = lesson.get_course()
    if not can_view_course(request.user, course):
        raise PermissionDenied
    worker = None if preview else getattr(request.user, "worker", None)
    context = {
        "course": course,
        "lesson": lesson,
        "page": lesson,
        "next_lesson": next_lesson(lesson),
    }
    if lesson.kind == LessonKind.VIDEO and worker is not None and lesson.live:
        context.update(player_context(request, worker, lesson))
    if lesson.kind == LessonKind.TEST and worker is not None and lesson.live:
        context.update(exam_context(worker=worker, lesson=lesson))
    context["heartbeat_seconds"] = settings.LESSON_HEARTBEAT_SECONDS
    response = render(request, "courses/lesson_page.html", context)
    if "device" in context:
        device_cookie_set(request, response, context["device"])
    return response


def player_context(request, worker, lesson) -> dict:
    """The player's progress, its single-use play token (bound to this browser's
    device cookie, set with the response if new) and the moments of the questions
    inside the video (never their answers)."""
    device = device_of(request) or device_new()
    return {
        "device": device,
        "hidden_stops": policy_cached(timezone.localdate().year).hidden_stops_credit,
        "progress": lesson_progress_start(worker=worker, lesson=lesson),
        "play_token": play_token_issue(worker=worker, lesson=lesson, device=device),
        "checkpoint_times": lesson_checkpoints(worker=worker, lesson=lesson),
    }


# --- Media: through the one private-file helper -------------------------------------
@login_required
@require_http_methods(["GET", "HEAD"])
def lesson_media(request, pk):
    """A lesson's video or PDF, only for users allowed to see its course."""
    lesson = get_object_or_404(LessonPage, pk=pk)
    if not lesson.file:
        raise Http404
    course = lesson.get_course()
    if not can_view_course(request.user, course):
        raise PermissionDenied
    # A draft is only for those who review it (its subtree's administrators) and
    # the course's trainers: being staff somewhere else is not enough.
    if not lesson.live and not (
        can_manage_course(request.user, course)
        or is_course_trainer(request.user, course)
    ):
        raise Http404
    return serve_file(request, lesson.file, inline=True)
