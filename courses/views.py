"""Portal views of the course library: catalogue, course and lesson pages, media
with range requests, the player's heartbeat, tests, and the trainer's uploads."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Page, WorkflowState

from lms.accounts.files import serve_file
from lms.people.models import Post

from .models import (
    CourseIndexPage,
    CourseLevel,
    CoursePage,
    CourseTopic,
    LessonKind,
    LessonPage,
    Series,
    Upload,
    UploadKind,
)
from .permissions import can_manage_course, is_course_trainer
from .player_views import device_cookie_set, device_new, device_of
from .selectors import (
    can_view_course,
    catalogue_courses,
    catalogue_textbooks,
    course_detail,
    next_lesson,
    textbook_detail,
    trainer_courses,
)
from .services import (
    UploadError,
    lesson_checkpoints,
    lesson_progress_start,
    lesson_submit_for_review,
    play_token_issue,
    upload_append,
    upload_complete,
    upload_create,
)
from .services.learning import policy_cached
from .services.library import ReviewError
from .views_exams import exam_context

PAGE_SIZES = (10, 20, 50)


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- Catalogue -----------------------------------------------------------------------
@login_required
@require_GET
def catalogue(request):

    filters = {
        "q": request.GET.get("q", "").strip()[:50],
        "series": request.GET.get("series", "")
        if request.GET.get("series") in Series.values
        else "",
        "topic": request.GET.get("topic", "")
        if request.GET.get("topic") in CourseTopic.values
        else "",
        "level": request.GET.get("level", "")
        if request.GET.get("level") in CourseLevel.values
        else "",
        "post": request.GET.get("post", "")
        if request.GET.get("post") in Post.values
        else "",
        "premium": request.GET.get("premium") == "1",
    }
    per_page = _int(request.GET.get("size"), 20)
    if per_page not in PAGE_SIZES:
        per_page = 20
    page = catalogue_courses(
        user=request.user,
        filters=filters,
        page=_int(request.GET.get("page"), 1),
        per_page=per_page,
    )
    query = request.GET.copy()
    query.pop("page", None)
    # Every course sits directly under the one course index: its URL is computed
    # once, not per course (Wagtail's per-page URL routing costs ~1 ms a course).
    index = CourseIndexPage.objects.only("id", "url_path", "path").first()
    return render(
        request,
        "courses/catalogue.html",
        {
            "page": page,
            "course_base_url": index.get_url(request) if index else "",
            "filters": filters,
            "query": query.urlencode(),
            "series_choices": Series.choices,
            "topic_choices": CourseTopic.choices,
            "level_choices": CourseLevel.choices,
            "post_choices": Post.choices,
        },
    )


@login_required
@require_GET
def textbooks(request):
    filters = {
        "q": request.GET.get("q", "").strip()[:50],
        "series": request.GET.get("series", "")
        if request.GET.get("series") in Series.values
        else "",
    }
    page = catalogue_textbooks(filters=filters, page=_int(request.GET.get("page"), 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/textbooks.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "series_choices": Series.choices,
        },
    )


@login_required
@require_GET
def textbook(request, pk):
    book = textbook_detail(pk)
    if book is None:
        raise Http404
    return render(request, "courses/textbook.html", {"book": book})


@login_required
@require_GET
def textbook_attachment(request, pk, attachment_pk):
    book = textbook_detail(pk)
    attachment = (
        next((a for a in book.attachments.all() if a.pk == attachment_pk), None)
        if book
        else None
    )
    if attachment is None:
        raise Http404
    return serve_file(request, attachment.file)


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


# --- Online learning -------------------------------------------------------------------


# --- Trainer: my courses, uploads, review ---------------------------------------------
def _trainer_required(request):
    if not request.user.is_authenticated:
        return False
    return request.user.role == "trainer" or request.user.is_staff


@login_required
def teach(request):
    """The trainer's courses, their lessons and their review state."""
    if not _trainer_required(request):
        raise PermissionDenied
    rows = trainer_courses(request.user)
    lesson_ids = [str(lesson.pk) for _c, lessons in rows for lesson in lessons]
    in_review = set(
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=lesson_ids,
            status=WorkflowState.STATUS_IN_PROGRESS,
        ).values_list("object_id", flat=True)
    )
    return render(
        request,
        "courses/teach.html",
        {
            "rows": rows,
            "in_review": in_review,
            "chunk_bytes": settings.UPLOAD_CHUNK_BYTES,
            "max_bytes": settings.UPLOAD_MAX_BYTES,
        },
    )


@login_required
@require_POST
def lesson_submit(request, pk):
    lesson = get_object_or_404(LessonPage, pk=pk)
    course = lesson.get_course()
    if not is_course_trainer(request.user, course):
        raise PermissionDenied
    try:
        lesson_submit_for_review(lesson=lesson, user=request.user)
    except ReviewError as exc:
        messages.error(request, str(exc))
    except Exception as exc:  # a ValidationError from full_clean: say what is missing
        if not isinstance(exc, ValidationError):
            raise
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Submitted for review: %(title)s") % {"title": lesson.title}
        )
    return redirect("courses:teach")


def _json_error(exc: UploadError):
    body = {"error": exc.message}
    if exc.offset is not None:
        body["offset"] = exc.offset
    return JsonResponse(body, status=exc.status)


@login_required
@require_POST
def upload_start(request):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": _("Invalid request.")}, status=400)
    course = (
        CoursePage.objects.filter(pk=_int(data.get("course")))
        .select_related("owner_org")
        .first()
    )
    if course is None:
        return JsonResponse({"error": _("Choose one of your courses.")}, status=400)
    try:
        upload = upload_create(
            user=request.user,
            course=course,
            kind=str(data.get("kind", "")),
            title=str(data.get("title", "")),
            filename=str(data.get("filename", "")),
            size=_int(data.get("size")),
            duration_seconds=_int(round(float(data.get("duration") or 0))),
        )
    except UploadError as exc:
        return _json_error(exc)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc) or _("Not allowed.")}, status=403)
    return JsonResponse(
        {
            "id": str(upload.pk),
            "offset": 0,
            "size": upload.size,
            "chunk_bytes": settings.UPLOAD_CHUNK_BYTES,
            "url": reverse("courses:upload", args=[upload.pk]),
        },
        status=201,
    )


@login_required
@require_http_methods(["GET", "PUT"])
def upload_chunk(request, pk):
    """GET: where to resume. PUT: a chunk, `Upload-Offset` says where it starts."""
    upload = get_object_or_404(Upload, pk=pk, owner=request.user)
    if request.method == "GET":
        return JsonResponse(
            {"offset": upload.received, "size": upload.size, "status": upload.status}
        )
    offset = _int(request.headers.get("Upload-Offset"), -1)
    length = _int(request.headers.get("Content-Length"), 0)
    try:
        new_offset = upload_append(
            upload=upload,
            user=request.user,
            offset=offset,
            stream=request,
            length=length,
        )
    except UploadError as exc:
        return _json_error(exc)
    return JsonResponse({"offset": new_offset, "size": upload.size})


@login_required
@require_POST
def upload_finish(request, pk):
    upload = get_object_or_404(Upload, pk=pk, owner=request.user)
    try:
        lesson = upload_complete(upload=upload, user=request.user)
    except UploadError as exc:
        return _json_error(exc)
    return JsonResponse(
        {
            "lesson": lesson.pk,
            "title": lesson.title,
            "submit_url": reverse("courses:lesson_submit", args=[lesson.pk]),
        },
        status=201,
    )


UPLOAD_KINDS = UploadKind.choices
