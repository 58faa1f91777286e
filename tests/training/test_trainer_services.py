"""Writes: ratings by participants, linking a trainer's sign-in."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from lms.training.models import Attendance, AttendanceMethod, TrainerRating
from lms.training.services import trainer_rating_submit
from tests.people.factories import WorkerFactory
from tests.trainers.factories import TrainerFactory
from tests.training.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    TrainingClassFactory,
)


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (the Chinese is in the catalogue)."""
    with translation.override("en"):
        yield


@pytest.fixture
def setting(tree):
    trainer = TrainerFactory(org=tree["city"])
    klass = TrainingClassFactory(organiser=tree["district1"])
    klass.trainers.add(trainer)
    session = ClassSessionFactory(training_class=klass, date=dt.date(2026, 5, 1))
    worker = WorkerFactory(community=tree["community11"])
    enrolment = EnrolmentFactory(training_class=klass, worker=worker)
    return trainer, klass, session, worker, enrolment


def _attend(session, enrolment):
    Attendance.objects.create(
        session=session,
        enrolment=enrolment,
        checked_in_at=timezone.now(),
        method=AttendanceMethod.QR,
    )


def test_a_participant_rates_a_trainer_and_a_second_rating_replaces_the_first(
    setting,
):
    trainer, klass, session, worker, enrolment = setting
    _attend(session, enrolment)
    trainer_rating_submit(
        worker=worker, trainer=trainer, training_class=klass, score=3, comment=" 好 "
    )
    trainer_rating_submit(
        worker=worker, trainer=trainer, training_class=klass, score=5, comment="很好"
    )
    rating = TrainerRating.objects.get()
    assert (rating.score, rating.comment) == (5, "很好")


def test_rating_without_attendance_is_refused(setting):
    trainer, klass, _session, worker, _enrolment = setting
    with pytest.raises(ValidationError, match="after attending"):
        trainer_rating_submit(
            worker=worker, trainer=trainer, training_class=klass, score=4
        )
    assert TrainerRating.objects.count() == 0


def test_rating_a_trainer_who_does_not_teach_the_class_is_refused(setting, tree):
    _trainer, klass, session, worker, enrolment = setting
    _attend(session, enrolment)
    stranger = TrainerFactory(org=tree["city"])
    with pytest.raises(ValidationError, match="does not teach"):
        trainer_rating_submit(
            worker=worker, trainer=stranger, training_class=klass, score=4
        )
    assert TrainerRating.objects.count() == 0


def test_a_score_of_six_is_refused_before_the_database(setting):
    trainer, klass, session, worker, enrolment = setting
    _attend(session, enrolment)
    with pytest.raises(ValidationError):
        trainer_rating_submit(
            worker=worker, trainer=trainer, training_class=klass, score=6
        )
    assert TrainerRating.objects.count() == 0
