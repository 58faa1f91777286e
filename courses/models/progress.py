"""Online learning: progress per worker and lesson, and test attempts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonProgress(models.Model):
    """How much of a lesson a worker has really played.

    `intervals` holds the merged [start, end) seconds played and confirmed, so
    credit counts unique seconds only; what a heartbeat may add is bounded by the
    clock of the play session it belongs to (courses.models.playback.PlaySession).
    """

    worker = models.ForeignKey(
        "people.Worker", on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    intervals = models.JSONField(_("played intervals"), default=list)
    unique_seconds = models.PositiveIntegerField(_("seconds played"), default=0)
    position = models.PositiveIntegerField(_("position (seconds)"), default=0)
    checkpoints_passed = models.JSONField(
        _("questions inside the video passed"), default=list, blank=True
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "lesson"], name="progress_once_per_lesson"
            )
        ]

    def __str__(self):
        return f"{self.worker_id}/{self.lesson_id}: {self.unique_seconds}s"


class TestAttempt(models.Model):
    """One submitted attempt at a test lesson; the number allowed is the lesson's
    attempt limit."""

    worker = models.ForeignKey(
        "people.Worker", on_delete=models.CASCADE, related_name="test_attempts"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        ordering = ["lesson_id", "worker_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "lesson", "number"], name="attempt_number_once"
            )
        ]

    def __str__(self):
        return f"{self.worker_id}/{self.lesson_id} #{self.number}: {self.score}%"
