"""The trainer's portal page and the participant's rating page."""

import datetime as dt

import pytest
from django.utils import timezone

from lms.training.models import Attendance, AttendanceMethod, TrainerRating
from tests.people.factories import WorkerFactory
from tests.trainers.factories import TrainerFactory, TrainerUserFactory
from tests.training.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    TrainingClassFactory,
)


@pytest.fixture
def teaching(tree):
    account = TrainerUserFactory(username="t_portal")
    trainer = TrainerFactory(
        org=tree["district1"],
        name="何丽",
        user=account,
        specialities="小区治理、社区营造",
        phone="13800001234",
    )
    klass = TrainingClassFactory(organiser=tree["district1"], title="小区治理专题班")
    klass.trainers.add(trainer)
    session = ClassSessionFactory(
        training_class=klass,
        date=timezone.localdate() - dt.timedelta(days=3),
        start_time=dt.time(9),
        end_time=dt.time(12),
    )
    other = TrainingClassFactory(organiser=tree["district1"], title="别人的班")
    return account, trainer, klass, session, other


def test_trainer_sees_own_profile_classes_and_hours(client, teaching):
    account, trainer, klass, _session, _other = teaching
    client.force_login(account)
    response = client.get("/training/teach/profile/")
    assert response.status_code == 200
    text = response.text
    assert "何丽" in text
    assert "小区治理专题班" in text
    assert "别人的班" not in text
    assert '<strong id="hours-taught">3.0</strong>' in text
    assert '<strong id="classes-taught">1</strong>' in text
    assert "138****1234" in text and "13800001234" not in text


def test_account_without_trainer_profile_gets_a_clear_page(client, tree):
    client.force_login(TrainerUserFactory())
    response = client.get("/training/teach/profile/")
    assert response.status_code == 404
    assert "no-profile" in response.text


def test_portal_needs_sign_in(client):
    response = client.get("/training/teach/profile/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_participant_rates_a_trainer_after_attending(client, teaching, tree):
    _account, trainer, klass, session, _other = teaching
    worker = WorkerFactory(community=tree["community11"])
    enrolment = EnrolmentFactory(training_class=klass, worker=worker)
    client.force_login(worker.user)
    url = f"/training/class/{klass.pk}/rate/"
    response = client.post(url, {"trainer": trainer.pk, "score": "5", "comment": "好"})
    assert response.status_code == 200  # not attended yet: refused with a message
    assert TrainerRating.objects.count() == 0
    assert "after attending" in response.text or "参加" in response.text
    Attendance.objects.create(
        session=session,
        enrolment=enrolment,
        checked_in_at=timezone.now(),
        method=AttendanceMethod.QR,
    )
    response = client.post(url, {"trainer": trainer.pk, "score": "5", "comment": "好"})
    assert response.status_code == 302
    rating = TrainerRating.objects.get()
    assert (rating.trainer, rating.worker, rating.score) == (trainer, worker, 5)


def test_rating_page_of_a_class_the_worker_is_not_in_is_not_found(
    client, teaching, tree
):
    _account, _trainer, klass, _session, _other = teaching
    worker = WorkerFactory(community=tree["community11"])
    client.force_login(worker.user)
    assert client.get(f"/training/class/{klass.pk}/rate/").status_code == 404
