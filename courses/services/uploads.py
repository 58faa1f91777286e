"""Resumable chunked uploads: create → append chunks at the current offset → complete.

Bytes are staged in settings.UPLOAD_TEMP_DIR/<upload id>.part and moved into Django's
default storage on completion (a rename on local storage, a multipart upload on S3).
"""

import datetime as dt
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lms.accounts.files import RandomName, private_storage
from lms.accounts.uploads import is_damaged

from ..models import (
    CoursePage,
    LessonKind,
    LessonPage,
    Upload,
    UploadKind,
    UploadStatus,
)
from ..permissions import can_manage_course, is_course_trainer
from ..rules import KIND_TYPES, sniff_media_type

HEAD_BYTES = 64
EXTENSIONS = {"video/mp4": "mp4", "video/webm": "webm", "application/pdf": "pdf"}


class UploadError(Exception):
    """A refused upload request; `status` is the HTTP status the API answers with."""

    def __init__(self, message, *, status=400, offset=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.offset = offset


def staged_path(upload_id) -> Path:
    return Path(settings.UPLOAD_TEMP_DIR) / f"{upload_id}.part"


def _expiry():
    return timezone.now() + dt.timedelta(hours=settings.UPLOAD_EXPIRY_HOURS)


def may_upload_to(user, course) -> bool:
    return is_course_trainer(user, course) or can_manage_course(user, course)


@transaction.atomic
def upload_create(
    *,
    user,
    course: CoursePage,
    kind: str,
    title: str,
    filename: str,
    size: int,
    duration_seconds: int = 0,
) -> Upload:
    """Start an upload of `size` bytes into `course`; refused before any byte moves
    when the user may not add to the course or the size is over the limit."""
    if not may_upload_to(user, course):
        raise PermissionDenied(_("You may upload only into your own courses."))
    if kind not in UploadKind.values:
        raise UploadError(_("Choose a video or slides."))
    if size <= 0:
        raise UploadError(_("The file is empty."))
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadError(
            _("The file is too large: at most %(max)s MB.")
            % {"max": settings.UPLOAD_MAX_BYTES // 1024**2},
            status=413,
        )
    title = (title or "").strip()
    if not title:
        raise UploadError(_("Give the lesson a title."))
    if kind == UploadKind.VIDEO and duration_seconds <= 0:
        raise UploadError(_("The video's duration could not be read."))
    upload = Upload(
        owner=user,
        course=course,
        kind=kind,
        title=title[:200],
        filename=os.path.basename(filename or "upload")[:255],
        size=size,
        duration_seconds=max(0, int(duration_seconds)),
        expires_at=_expiry(),
    )
    upload.full_clean()
    upload.save()
    path = staged_path(upload.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return upload


def _discard(upload: Upload) -> None:
    staged_path(upload.pk).unlink(missing_ok=True)
    upload.delete()


def upload_append(*, upload: Upload, user, offset: int, stream, length: int) -> int:
    """Write `length` bytes read from `stream` at `offset`; returns the new offset.

    The offset must be the bytes received so far (409 with the right offset
    otherwise, so a client resumes after an interruption). The first chunk's content
    must be of the upload's kind, else the upload is discarded (415)."""
    if upload.owner_id != user.pk:
        raise PermissionDenied
    if upload.status != UploadStatus.ACTIVE:
        raise UploadError(_("This upload is no longer open."), status=410)
    if offset != upload.received:
        raise UploadError(
            _("Resume from byte %(offset)s.") % {"offset": upload.received},
            status=409,
            offset=upload.received,
        )
    if length <= 0:
        raise UploadError(_("The chunk is empty."))
    if length > settings.UPLOAD_CHUNK_MAX_BYTES:
        raise UploadError(_("The chunk is too large."), status=413)
    if offset + length > upload.size:
        raise UploadError(
            _("The upload is larger than announced."), status=413, offset=offset
        )
    path = staged_path(upload.pk)
    if not path.exists():
        raise UploadError(_("This upload is no longer open."), status=410)
    written = 0
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.truncate()
        while written < length:
            block = stream.read(min(1024 * 1024, length - written))
            if not block:
                break
            if written == 0 and offset == 0:
                if sniff_media_type(block[:HEAD_BYTES]) not in KIND_TYPES[upload.kind]:
                    fh.close()
                    _discard(upload)
                    raise UploadError(_wrong_type(upload.kind), status=415)
            fh.write(block)
            written += len(block)
    if written != length:
        # The connection broke mid-chunk: keep what is whole, the client resumes.
        with open(path, "r+b") as fh:
            fh.truncate(offset)
        raise UploadError(
            _("The chunk was cut short; resume from byte %(offset)s.")
            % {"offset": offset},
            status=409,
            offset=offset,
        )
    new_offset = offset + written
    updated = Upload.objects.filter(pk=upload.pk, received=offset).update(
        received=new_offset, expires_at=_expiry(), updated_at=timezone.now()
    )
    if not updated:
        upload.refresh_from_db()
        raise UploadError(
            _("Resume from byte %(offset)s.") % {"offset": upload.received},
            status=409,
            offset=upload.received,
        )
    upload.received = new_offset
    return new_offset


def _wrong_type(kind: str) -> str:
    if kind == UploadKind.VIDEO:
        return _("This file is not an MP4 or WebM video.")
    return _("This file is not a PDF.")


class _StagedFile(File):
    """A staged file that FileSystemStorage moves into place instead of copying."""

    def temporary_file_path(self):
        return self.file.name


@transaction.atomic
def upload_complete(*, upload: Upload, user) -> LessonPage:
    """Check the whole file, move it into storage and add it to the course as a draft
    lesson (submitted for review separately)."""
    if upload.owner_id != user.pk:
        raise PermissionDenied
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != UploadStatus.ACTIVE:
        raise UploadError(_("This upload is no longer open."), status=410)
    if upload.received != upload.size:
        raise UploadError(
            _("The upload is not finished: %(received)s of %(size)s bytes.")
            % {"received": upload.received, "size": upload.size},
            status=409,
            offset=upload.received,
        )
    path = staged_path(upload.pk)
    with open(path, "rb") as fh:
        media_type = sniff_media_type(fh.read(HEAD_BYTES))
        damaged = media_type is not None and is_damaged(fh, EXTENSIONS[media_type])
    if media_type not in KIND_TYPES[upload.kind] or damaged:
        _discard(upload)
        raise UploadError(_wrong_type(upload.kind), status=415)
    name = RandomName("lessons")(None, f"lesson.{EXTENSIONS[media_type]}")
    with open(path, "rb") as fh:
        stored = private_storage().save(name, _StagedFile(fh, name=str(path)))
    path.unlink(missing_ok=True)
    course = CoursePage.objects.get(pk=upload.course_id)
    slug = slugify(f"{upload.pk.hex[:12]}") or upload.pk.hex
    lesson = LessonPage(
        title=upload.title,
        slug=slug,
        kind=LessonKind.VIDEO if upload.kind == UploadKind.VIDEO else LessonKind.SLIDES,
        duration_seconds=upload.duration_seconds,
        file=stored,
        file_size=upload.size,
        live=False,
        owner=user,
    )
    course.add_child(instance=lesson)
    lesson.save_revision(user=user)
    upload.status = UploadStatus.COMPLETE
    upload.lesson = lesson
    upload.save(update_fields=["status", "lesson", "updated_at"])
    return lesson


def uploads_expired_delete(*, now=None) -> int:
    """Delete incomplete uploads past their expiry and every staged file that no open
    upload owns (left by a crash); returns how many uploads were removed."""
    now = now or timezone.now()
    expired = list(
        Upload.objects.filter(status=UploadStatus.ACTIVE, expires_at__lt=now)
    )
    for upload in expired:
        staged_path(upload.pk).unlink(missing_ok=True)
    Upload.objects.filter(pk__in=[u.pk for u in expired]).update(
        status=UploadStatus.EXPIRED, received=0
    )
    folder = Path(settings.UPLOAD_TEMP_DIR)
    if folder.is_dir():
        active = {
            str(pk.hex)
            for pk in Upload.objects.filter(status=UploadStatus.ACTIVE).values_list(
                "pk", flat=True
            )
        }
        # A file younger than an hour may belong to an upload being created right now.
        settled = now.timestamp() - 3600
        for part in folder.glob("*.part"):
            stem = part.stem.replace("-", "")
            if stem not in active and part.stat().st_mtime < settled:
                part.unlink(missing_ok=True)
    return len(expired)
