"""A trainer rating: the database keeps scores 1–5 and one rating per trainer,
class and worker."""

import pytest
from django.db import IntegrityError, transaction

from lms.training.models import TrainerRating
from tests.people.factories import WorkerFactory
from tests.trainers.factories import TrainerFactory
from tests.training.factories import TrainingClassFactory


def test_rating_score_outside_1_to_5_is_refused_by_the_database(tree):
    trainer = TrainerFactory(org=tree["city"])
    worker = WorkerFactory(community=tree["community11"])
    klass = TrainingClassFactory(organiser=tree["district1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainerRating.objects.create(
            trainer=trainer, training_class=klass, worker=worker, score=6
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainerRating.objects.create(
            trainer=trainer, training_class=klass, worker=worker, score=0
        )
    assert TrainerRating.objects.count() == 0


def test_one_rating_per_trainer_class_and_worker(tree):
    trainer = TrainerFactory(org=tree["city"])
    worker = WorkerFactory(community=tree["community11"])
    klass = TrainingClassFactory(organiser=tree["district1"])
    TrainerRating.objects.create(
        trainer=trainer, training_class=klass, worker=worker, score=4
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainerRating.objects.create(
            trainer=trainer, training_class=klass, worker=worker, score=5
        )
    assert TrainerRating.objects.get().score == 4
