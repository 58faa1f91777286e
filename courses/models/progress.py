"""Online learning: progress per worker and lesson, and test attempts."""

from django.db import models
from django.utils import timezone
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
    # [[question id, at seconds]]: drawn from the lesson's bank once per learner.
    drawn_checkpoints = models.JSONField(
        _("questions drawn from the bank"), default=list, blank=True
    )
    checkpoint_wrong = models.PositiveSmallIntegerField(
        _("wrong answers since the last re-watch"), default=0
    )
    rewatch = models.JSONField(
        _("segment to watch again"),
        default=dict,
        blank=True,
        help_text=_(
            '{"from": s, "to": s, "done": [[start, end]]} after wrong answers.'
        ),
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


class AttemptEnd(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    DEADLINE = "deadline", _("Time ran out")
    DEPARTURES = "departures", _("Left the page too often")


class TestAttempt(models.Model):
    """One attempt at a test lesson, from the draw to its grade.

    `questions` is the paper drawn for this attempt: [[question id, [original option
    numbers in the order shown]]]; `answers` {question id: [original option numbers]}
    or {question id: "text"} for fill-in, saved as the worker goes so that the server
    can grade at the deadline whatever the browser does. `departures` holds the times
    the worker left the page. The number allowed is the lesson's attempt limit; an
    attempt counts from its draw.
    """

    worker = models.ForeignKey(
        "people.Worker", on_delete=models.CASCADE, related_name="test_attempts"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    questions = models.JSONField(_("questions drawn"), default=list)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    departures = models.JSONField(
        _("times the page was left"), default=list, blank=True
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    end_reason = models.CharField(
        _("ended by"), max_length=16, choices=AttemptEnd.choices, blank=True
    )
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        ordering = ["lesson_id", "worker_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "lesson", "number"], name="attempt_number_once"
            ),
            models.UniqueConstraint(
                fields=["worker", "lesson"],
                condition=models.Q(submitted_at__isnull=True),
                name="attempt_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True)
                | models.Q(score__isnull=False, passed__isnull=False),
                name="attempt_submitted_is_graded",
            ),
        ]

    def __str__(self):
        return f"{self.worker_id}/{self.lesson_id} #{self.number}: {self.score}%"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None
