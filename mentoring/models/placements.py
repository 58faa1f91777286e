"""Learning from each other: studios and mentors (工作室、导师) and shadowing
placements (跟班学习、上挂、轮岗) that the host signs off into the credit ledger."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from trainers.models import SpecialitiesMixin


class Studio(SpecialitiesMixin):
    """A studio (工作室) led by a named worker, usually a model community secretary."""

    name = models.CharField(_("name"), max_length=100, db_index=True)
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("community or owning organisation"),
        on_delete=models.PROTECT,
        related_name="studios",
    )
    leader = models.ForeignKey(
        "people.Worker",
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="studios_led",
    )
    base = models.ForeignKey(
        "bases.Base",
        verbose_name=_("teaching base"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="studios",
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in the library"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("studio")
        verbose_name_plural = _("studios")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class MentorKind(models.TextChoices):
    WORKER = "worker", _("Community worker")
    TRAINER = "trainer", _("Trainer")
    EXPERT = "expert", _("Expert")


class Mentor(SpecialitiesMixin):
    """A worker, trainer or expert marked as a mentor, with specialities and an
    account (linked like a trainer's) from which they sign off placements."""

    name = models.CharField(_("full name"), max_length=50, db_index=True)
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="mentors",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MentorKind.choices)
    worker = models.OneToOneField(
        "people.Worker",
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentor_profile",
    )
    trainer = models.OneToOneField(
        "trainers.Trainer",
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentor_profile",
    )
    expert = models.OneToOneField(
        "trainers.Expert",
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentor_profile",
    )
    studio = models.ForeignKey(
        Studio,
        verbose_name=_("studio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentors",
    )
    bio = models.TextField(_("biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentor_profile",
        help_text=_("The sign-in from which the mentor records and signs off."),
    )
    is_active = models.BooleanField(_("in the library"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="worker", worker__isnull=False)
                    | models.Q(kind="trainer", trainer__isnull=False)
                    | models.Q(kind="expert", expert__isnull=False)
                ),
                name="mentor_names_its_record",
            )
        ]

    def __str__(self):
        return self.name


class PlacementKind(models.TextChoices):
    SHADOWING = "shadowing", _("Shadowing (跟班学习)")
    SECONDMENT = "secondment", _("Secondment upward (上挂)")
    ROTATION = "rotation", _("Job rotation (轮岗)")


class PlacementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SIGNED_OFF = "signed_off", _("Signed off")
    CANCELLED = "cancelled", _("Cancelled")


class Placement(models.Model):
    """A worker placed with a mentor (and their studio) for a period. The mentor
    records the days attended and an assessment, then signs it off: that writes one
    ledger entry (lms.training credit_entry_create, form "shadowing")."""

    worker = models.ForeignKey(
        "people.Worker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    mentor = models.ForeignKey(
        Mentor,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    studio = models.ForeignKey(
        Studio,
        verbose_name=_("studio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=PlacementKind.choices,
        default=PlacementKind.SHADOWING,
    )
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"))
    planned_days = models.DecimalField(
        _("planned days"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    goals = models.TextField(_("goals"), blank=True)
    recorded_days = models.DecimalField(
        _("days attended"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    assessment = models.TextField(_("assessment"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PlacementStatus.choices,
        default=PlacementStatus.PLANNED,
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    credit = models.OneToOneField(
        "training.CreditEntry",
        verbose_name=_("ledger entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placement",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_days__gt=0), name="placement_days_positive"
            ),
            models.UniqueConstraint(
                fields=["worker", "mentor", "start"],
                condition=~models.Q(status="cancelled"),
                name="one_placement_per_worker_mentor_start",
            ),
        ]
        indexes = [models.Index(fields=["mentor", "status"])]

    def __str__(self):
        return f"{self.worker} → {self.mentor} ({self.start:%Y-%m-%d})"
