"""Trainer library models: encrypted phones, rating constraints."""

import pytest
from django.db import IntegrityError, transaction

from tests.people.factories import WorkerFactory
from tests.trainers.factories import ExpertFactory, TrainerFactory
from tests.training.factories import TrainingClassFactory
from trainers.models import TrainerRating


def test_trainer_phone_is_stored_encrypted_with_a_masked_copy(tree):
    trainer = TrainerFactory(org=tree["district1"], phone="13812345678")
    trainer.refresh_from_db()
    assert trainer.phone == "13812345678"
    assert trainer.phone_masked == "138****5678"
    assert "13812345678" not in trainer.phone_encrypted


def test_expert_str_names_the_affiliation(tree):
    expert = ExpertFactory(org=tree["city"], name="张教授", affiliation="四川大学")
    assert str(expert) == "张教授（四川大学）"


def test_speciality_list_splits_the_text(tree):
    trainer = TrainerFactory(
        org=tree["city"], specialities="小区治理，社区营造、社工站"
    )
    assert trainer.speciality_list() == ["小区治理", "社区营造", "社工站"]


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
