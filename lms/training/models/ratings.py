"""Workers' ratings of the trainers of the classes they attended."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .classes import TrainingClass


class TrainerRating(models.Model):
    """A participant's rating (1–5) of one trainer of a class they attended."""

    trainer = models.ForeignKey(
        "trainers.Trainer",
        verbose_name=_("trainer"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="trainer_ratings",
    )
    worker = models.ForeignKey(
        "people.Worker",
        verbose_name=_("worker"),
        on_delete=models.CASCADE,
        related_name="trainer_ratings",
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Moved from the trainers app: the table keeps its name.
        db_table = "trainers_trainerrating"
        verbose_name = _("trainer rating")
        verbose_name_plural = _("trainer ratings")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "training_class", "worker"],
                name="one_rating_per_trainer_class_worker",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="rating_score_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.trainer_id}/{self.training_class_id}: {self.score}"
