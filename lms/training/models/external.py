"""External training claims (学时认定)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.accounts.files import RandomName, private_storage

from .ledger import CreditEntry, TrainingForm, TrainingType


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class StudyKind(models.TextChoices):
    """What an external claim is, converted by the year's table (lms.training.rules)."""

    TRAINING = "training", _("Training (days or study hours as attended)")
    PARTY_SCHOOL = "party_school", _("Study at a party school (days)")
    TEACHING = "teaching", _("Teaching (hours taught)")
    PAPER = "paper", _("Published paper")


class ExternalTraining(models.Model):
    """Training a worker took outside the platform, submitted for approval."""

    worker = models.ForeignKey(
        "people.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="external_trainings",
    )
    title = models.CharField(_("training name"), max_length=200)
    organiser_name = models.CharField(_("organised by"), max_length=200, blank=True)
    type = models.CharField(
        _("training type"),
        max_length=16,
        choices=TrainingType.choices,
        default=TrainingType.CONTINUING,
    )
    form = models.CharField(
        _("form"),
        max_length=16,
        choices=TrainingForm.choices,
        default=TrainingForm.IN_PERSON,
    )
    study_kind = models.CharField(
        _("kind of study"),
        max_length=16,
        choices=StudyKind.choices,
        default=StudyKind.TRAINING,
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    days = models.DecimalField(
        _("days"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField(
        _("study hours"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    papers = models.PositiveSmallIntegerField(
        _("papers published"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(20)],
    )
    certificate = models.FileField(
        _("certificate"), upload_to=RandomName("external"), storage=private_storage
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True)
    credit = models.ForeignKey(
        CreditEntry,
        verbose_name=_("ledger entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("external training")
        verbose_name_plural = _("external training")
        ordering = ["-submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="external_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(days__isnull=False)
                | models.Q(hours__isnull=False)
                | models.Q(study_kind="paper", papers__gte=1),
                name="external_days_or_hours",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.study_kind == StudyKind.PAPER:
            if not self.papers:
                errors["papers"] = _("Give how many papers were published.")
        elif self.days is None and self.hours is None:
            errors["days"] = _("Give the days or the study hours.")
        for name in ("days", "hours"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                errors[name] = _("Must be more than zero.")
        if errors:
            raise ValidationError(errors)
