"""Mentor–mentee pairs (传帮带): a pairing for a period with goals, monthly records
written by either side, and an evaluation by both at the end."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PairSide(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class Pairing(models.Model):
    mentor = models.ForeignKey(
        "Mentor",
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    mentee = models.ForeignKey(
        "people.Worker",
        verbose_name=_("mentee"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"))
    goals = models.TextField(_("goals"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paired by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor–mentee pair")
        verbose_name_plural = _("mentor–mentee pairs")
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="pairing_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["mentor", "mentee", "start"], name="one_pairing_per_start"
            ),
        ]

    def __str__(self):
        return f"{self.mentor} · {self.mentee.name}"


class PairRecord(models.Model):
    """One side's record of a month: what was learned, problems handled."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="records"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    side = models.CharField(_("written by"), max_length=8, choices=PairSide.choices)
    learned = models.TextField(_("what was learned"), max_length=4000)
    problems = models.TextField(_("problems handled"), max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monthly record")
        verbose_name_plural = _("monthly records")
        ordering = ["month", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "month", "side"], name="one_record_per_side_month"
            )
        ]

    def __str__(self):
        return f"{self.pairing_id} {self.month:%Y-%m} {self.side}"


class PairEvaluation(models.Model):
    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="evaluations"
    )
    side = models.CharField(_("written by"), max_length=8, choices=PairSide.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("evaluation"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("end-of-pairing evaluation")
        verbose_name_plural = _("end-of-pairing evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "side"], name="one_evaluation_per_side"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="pair_score_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.pairing_id} {self.side}: {self.score}"


class PairReminder(models.Model):
    """Sent once per pairing and month without a record."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="reminders"
    )
    month = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "month"], name="one_pair_reminder_per_month"
            )
        ]

    def __str__(self):
        return f"{self.pairing_id} {self.month:%Y-%m}"
