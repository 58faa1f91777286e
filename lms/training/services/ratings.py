"""Participants' ratings of the trainers of a class."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.people.models import Worker
from trainers.models import Trainer

from ..models import TrainerRating
from ..trainer_selectors import worker_attended_class


@transaction.atomic
def trainer_rating_submit(
    *,
    worker: Worker,
    trainer: Trainer,
    training_class,
    score: int,
    comment: str = "",
) -> TrainerRating:
    """Rate a trainer of a class the worker attended; a second rating replaces the first.

    Refused unless the trainer teaches the class and the worker was checked in to at
    least one of its sessions.
    """
    if not training_class.trainers.filter(pk=trainer.pk).exists():
        raise ValidationError(_("This trainer does not teach this class."))
    if not worker_attended_class(worker, training_class):
        raise ValidationError(
            _("You can rate the trainers of a class only after attending it.")
        )
    rating = (
        TrainerRating.objects.select_for_update()
        .filter(trainer=trainer, training_class=training_class, worker=worker)
        .first()
    ) or TrainerRating(trainer=trainer, training_class=training_class, worker=worker)
    rating.score = score
    rating.comment = comment.strip()
    rating.full_clean()
    rating.save()
    return rating
