"""Resumable chunked uploads of lecture videos and slides by trainers.

Protocol (courses.api): create → PUT chunks at the current offset → complete. Chunks
are staged in a file under settings.UPLOAD_TEMP_DIR; on completion the file goes to
Django's default storage (local or S3) and becomes a lesson. Uploads left incomplete
past `expires_at` are removed with their staged file by a Celery beat task.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadKind(models.TextChoices):
    VIDEO = "video", _("Video")
    SLIDES = "slides", _("Slides (PDF)")


class UploadStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETE = "complete", _("Complete")
    EXPIRED = "expired", _("Expired")


class Upload(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="uploads"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=UploadKind.choices)
    title = models.CharField(_("lesson title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    received = models.PositiveBigIntegerField(_("received"), default=0)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    content_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=UploadStatus.choices,
        default=UploadStatus.ACTIVE,
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received__lte=models.F("size")),
                name="upload_received_le_size",
            )
        ]

    def __str__(self):
        return f"{self.filename} ({self.received}/{self.size})"
