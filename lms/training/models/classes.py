"""Training classes, their sessions, enrolment, attendance and grades."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from lms.people.models import Post

from .ledger import CreditEntry, TrainingForm, TrainingType


class TrainingLevel(models.TextChoices):
    CITY = "city", _("City demonstration")
    DISTRICT = "district", _("District general")
    STREET = "street", _("Street baseline")


class ExtraRequirement(models.TextChoices):
    NONE = "", _("Attendance only")
    TEST = "test", _("Attendance and a test")
    PAPER_DEFENCE = "paper_defence", _("Attendance, a paper and its defence")


class TrainingClass(ClusterableModel):
    """A class (培训班) planned by an organiser for workers of a subtree and posts."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=16, choices=TrainingLevel.choices)
    type = models.CharField(
        _("training type"), max_length=16, choices=TrainingType.choices
    )
    form = models.CharField(
        _("form"),
        max_length=16,
        choices=TrainingForm.choices,
        default=TrainingForm.IN_PERSON,
    )
    organiser = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_classes",
    )
    target_org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("for workers of"),
        on_delete=models.PROTECT,
        related_name="targeted_classes",
        help_text=_("Workers of this organisation and everything below it may enrol."),
    )
    target_posts = models.JSONField(
        _("for posts"),
        default=list,
        blank=True,
        help_text=_("Post codes; empty means every post."),
    )
    trainers = models.ManyToManyField(
        "trainers.Trainer",
        verbose_name=_("trainers"),
        blank=True,
        related_name="classes",
    )
    experts = models.ManyToManyField(
        "trainers.Expert",
        verbose_name=_("advising experts"),
        blank=True,
        related_name="classes",
    )
    base = models.ForeignKey(
        "bases.Base",
        verbose_name=_("teaching base"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classes",
    )
    institution = models.ForeignKey(
        "bases.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classes",
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    enrol_opens = models.DateTimeField(_("enrolment opens"))
    enrol_closes = models.DateTimeField(_("enrolment closes"))
    cancel_deadline = models.DateTimeField(
        _("cancellation deadline"),
        null=True,
        blank=True,
        help_text=_("After this time a worker can no longer cancel."),
    )
    published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Only published classes are shown to workers."),
    )
    # Completion rule
    min_attendance_share = models.DecimalField(
        _("attendance share to complete"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    extra_requirement = models.CharField(
        _("also required"),
        max_length=16,
        choices=ExtraRequirement.choices,
        blank=True,
        default=ExtraRequirement.NONE,
    )
    pass_score = models.DecimalField(
        _("pass score"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-enrol_opens", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enrol_closes__gte=models.F("enrol_opens")),
                name="class_enrol_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="class_capacity_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):

        errors = {}
        if (
            self.enrol_opens
            and self.enrol_closes
            and self.enrol_closes < self.enrol_opens
        ):
            errors["enrol_closes"] = _("Enrolment must close after it opens.")
        known = set(Post.values)
        if (
            not isinstance(self.target_posts, list)
            or not set(self.target_posts) <= known
        ):
            errors["target_posts"] = _("Unknown post.")
        if (
            self.organiser_id
            and self.target_org_id
            and not self.target_org.path.startswith(self.organiser.path)
        ):
            errors["target_org"] = _(
                "The target organisation must lie within the organiser's subtree."
            )
        if errors:
            raise ValidationError(errors)


class SessionLength(models.TextChoices):
    FULL_DAY = "full", _("Full day")
    HALF_DAY = "half", _("Half day")


class ClassSession(models.Model):
    training_class = ParentalKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    length = models.CharField(
        _("length"),
        max_length=8,
        choices=SessionLength.choices,
        default=SessionLength.FULL_DAY,
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.date} {self.start_time:%H:%M}–{self.end_time:%H:%M} {self.topic}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError(
                {"end_time": _("A session must end after it starts.")}
            )

    @property
    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.end_time))


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolment")
    ADMIN = "admin", _("Enrolled by an administrator")
    BULK = "bulk", _("Bulk enrolment")


class Enrolment(models.Model):
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    worker = models.ForeignKey(
        "people.Worker",
        verbose_name=_("worker"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices
    )
    source = models.CharField(
        _("source"),
        max_length=8,
        choices=EnrolmentSource.choices,
        default=EnrolmentSource.SELF,
    )
    # The waiting list is served in order of `requested_at`, then id.
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The bulk enrolment (its job) that wrote this row, so that it can be undone.
    batch = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("bulk enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["training_class_id", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "worker"], name="one_enrolment_per_class"
            )
        ]
        indexes = [models.Index(fields=["training_class", "status", "requested_at"])]

    def __str__(self):
        return f"{self.worker.name} · {self.training_class.title}"


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("QR code")
    MANUAL = "manual", _("Marked by a trainer")
    CODE = "code", _("Check-in code entered by the trainer")


class AttendanceFlag(models.TextChoices):
    """Why a check-in needs the trainer's eye (it still counts)."""

    FAR = "far", _("Far from the venue")
    NO_LOCATION = "no_location", _("No location given")
    SHARED_DEVICE = "shared_device", _("Same phone as another worker")


class Attendance(models.Model):
    """A worker's presence at one session: check-in, check-out and the credit given."""

    session = models.ForeignKey(
        ClassSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    method = models.CharField(
        _("method"), max_length=8, choices=AttendanceMethod.choices
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    credit = models.ForeignKey(
        CreditEntry,
        verbose_name=_("ledger entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    distance_m = models.PositiveIntegerField(
        _("distance from the venue (m)"), null=True, blank=True
    )
    device = models.CharField(
        _("device"), max_length=64, blank=True, db_index=True, editable=False
    )
    flags = models.JSONField(_("flags"), default=list, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session_id", "checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="one_attendance_per_session"
            )
        ]

    def __str__(self):
        return f"{self.enrolment.worker.name} · {self.session}"


class GradeComponent(models.TextChoices):
    TEST = "test", _("Test")
    PAPER = "paper", _("Paper")
    DEFENCE = "defence", _("Defence")


class Grade(models.Model):
    """A trainer's score for one part of a class's completion rule."""

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="grades",
    )
    component = models.CharField(
        _("component"), max_length=8, choices=GradeComponent.choices
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    comment = models.TextField(_("comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_at = models.DateTimeField(_("graded at"), auto_now=True)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "component"], name="one_grade_per_component"
            )
        ]

    def __str__(self):
        return f"{self.get_component_display()} {self.score}"
