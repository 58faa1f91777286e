"""Study integrity: play sessions opened by the server, presence prompts, and
questions inside a video (随堂弹题) with every answer recorded for the audit."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from ..rules import question_problem
from .banks import QUESTION_PROBLEMS, QuestionKind
from .pages import LessonPage


class VideoCheckpoint(Orderable):
    """A question the author places at a moment of a video lesson. The player pauses
    there; the answer is checked on the server and never sent to the browser."""

    lesson = ParentalKey(
        LessonPage, on_delete=models.CASCADE, related_name="checkpoints"
    )
    at_seconds = models.PositiveIntegerField(
        _("at (seconds)"), help_text=_("The moment of the video the question appears.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    prompt = models.TextField(_("question"))
    options = models.TextField(
        _("options"), blank=True, help_text=_("One per line; not for true/false.")
    )
    answer = models.CharField(
        _("right answer"),
        max_length=50,
        help_text=_(
            "Option numbers, e.g. 2 or 1,3; for true/false 1 = true, 2 = false; "
            "for fill-in the accepted answers separated by |."
        ),
    )

    panels = [
        FieldPanel("at_seconds"),
        FieldPanel("kind"),
        FieldPanel("prompt"),
        FieldPanel("options"),
        FieldPanel("answer"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question inside the video")
        verbose_name_plural = _("questions inside the video")

    def __str__(self):
        return f"{self.at_seconds}s: {self.prompt[:40]}"

    def option_list(self) -> list[str]:
        if self.kind == QuestionKind.TRUE_FALSE:
            return [str(_("True")), str(_("False"))]
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        problem = question_problem(
            kind=self.kind, option_count=len(self.option_list()), answer=self.answer
        )
        if problem:
            raise ValidationError({"answer": QUESTION_PROBLEMS[problem]})


class PlayState(models.TextChoices):
    ACTIVE = "active", _("Playing")
    SUPERSEDED = "superseded", _("Paused: studying on another page")
    STOPPED = "stopped", _("Stopped: presence not confirmed")
    ENDED = "ended", _("Ended")


class PlaySession(models.Model):
    """One playback of a lesson, opened by the server from a single-use play token
    bound to the worker, the lesson and the device. Its clock bounds every credit:
    never more than the real time since it was opened. Seconds played since the
    last presence confirmation stay `pending` until confirmed (or the player stops);
    a missed prompt discards them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    worker = models.ForeignKey(
        "people.Worker", on_delete=models.CASCADE, related_name="play_sessions"
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="play_sessions"
    )
    progress = models.ForeignKey(
        "courses.LessonProgress", on_delete=models.CASCADE, related_name="sessions"
    )
    nonce = models.CharField(_("play token"), max_length=32, unique=True)
    device = models.CharField(_("device"), max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=PlayState.choices, default=PlayState.ACTIVE
    )
    opened_at = models.DateTimeField(_("opened"))
    last_beat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("last heartbeat number"), default=0)
    clock_seconds = models.FloatField(_("real seconds counted"), default=0)
    played_seconds = models.PositiveIntegerField(_("seconds played"), default=0)
    credited_seconds = models.PositiveIntegerField(_("seconds credited"), default=0)
    pending = models.JSONField(
        _("played since the last confirmation"), default=list, blank=True
    )
    day_base_seconds = models.PositiveIntegerField(
        _("seconds played earlier that day"), default=0
    )
    credit_limit = models.PositiveIntegerField(_("credit stops at (seconds)"))
    next_prompt_at = models.PositiveIntegerField(_("next presence prompt at"))
    prompt_shown_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("play session")
        verbose_name_plural = _("play sessions")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["worker", "opened_at"], name="play_worker_opened"),
            models.Index(fields=["opened_at"], name="play_opened"),
        ]
        constraints = [
            # One active playback per worker, whatever the lesson, tab or device.
            models.UniqueConstraint(
                fields=["worker"],
                condition=models.Q(state="active"),
                name="play_one_active_per_worker",
            )
        ]

    def __str__(self):
        return f"{self.worker_id}/{self.lesson_id} {self.opened_at:%Y-%m-%d %H:%M}"


class PresencePrompt(models.Model):
    """One "are you still there?" prompt: shown, then answered or missed."""

    session = models.ForeignKey(
        PlaySession, on_delete=models.CASCADE, related_name="prompts"
    )
    shown_at = models.DateTimeField(_("shown"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    missed_at = models.DateTimeField(_("missed"), null=True, blank=True)

    class Meta:
        verbose_name = _("presence prompt")
        verbose_name_plural = _("presence prompts")
        ordering = ["shown_at"]

    def __str__(self):
        return f"{self.session_id} {self.shown_at:%H:%M:%S}"


class CheckpointEvent(models.Model):
    """A question inside the video shown in a play session, and its answer."""

    session = models.ForeignKey(
        PlaySession, on_delete=models.CASCADE, related_name="checkpoint_events"
    )
    checkpoint = models.ForeignKey(
        VideoCheckpoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    question = models.ForeignKey(
        "courses.Question",
        verbose_name=_("question drawn from the bank"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    shown_at = models.DateTimeField(_("shown"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    correct = models.BooleanField(_("right"), null=True)
    chosen = models.JSONField(_("chosen options or typed answer"), default=list)

    class Meta:
        verbose_name = _("question inside the video shown")
        verbose_name_plural = _("questions inside the video shown")
        ordering = ["shown_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(checkpoint__isnull=True)
                ^ models.Q(question__isnull=True),
                name="checkpoint_event_one_question",
            )
        ]

    def __str__(self):
        key = self.checkpoint_id or f"b{self.question_id}"
        return f"{self.session_id}/{key} {self.shown_at:%H:%M:%S}"
