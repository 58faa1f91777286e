"""Trainers: their courses, chunked uploads of lectures, submission for review."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page, WorkflowState

from ..models import (
    CoursePage,
    LessonPage,
    Upload,
    UploadKind,
)
from ..permissions import is_course_trainer
from ..selectors import (
    trainer_courses,
)
from ..services import (
    UploadError,
    lesson_submit_for_review,
    upload_append,
    upload_complete,
    upload_create,
)
from ..services.library import ReviewError
from . import int_or

PAGE_SIZES = (10, 20, 50)


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
        CoursePage.objects.filter(pk=int_or(data.get("course")))
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
            size=int_or(data.get("size")),
            duration_seconds=int_or(round(float(data.get("duration") or 0))),
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
    offset = int_or(request.headers.get("Upload-Offset"), -1)
    length = int_or(request.headers.get("Content-Length"), 0)
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
