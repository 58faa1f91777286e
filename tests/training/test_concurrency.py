"""Never more enrolled than capacity, also under parallel requests (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from lms.training.models import Enrolment
from lms.training.services import enrolment_create
from tests.org.factories import make_tree
from tests.people.factories import WorkerFactory

from .factories import TrainingClassFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update)")


def test_parallel_enrolments_never_exceed_capacity():
    """24 workers enrol at the same instant into 5 seats: 5 enrolled, 19 waiting."""
    tree = make_tree()
    klass = TrainingClassFactory(organiser=tree["district1"], capacity=5)
    workers = [WorkerFactory(community=tree["community11"]) for _ in range(24)]
    barrier = threading.Barrier(len(workers))
    errors = []

    def enrol(worker):
        try:
            barrier.wait()
            enrolment_create(training_class=klass, worker=worker)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    enrolled = Enrolment.objects.filter(training_class=klass, status="enrolled").count()
    waiting = Enrolment.objects.filter(training_class=klass, status="waiting").count()
    assert (enrolled, waiting) == (5, 19)


def test_parallel_enrolment_of_the_same_worker_creates_one_row():
    tree = make_tree()
    klass = TrainingClassFactory(organiser=tree["district1"], capacity=5)
    worker = WorkerFactory(community=tree["community11"])
    barrier = threading.Barrier(6)

    def enrol():
        try:
            barrier.wait()
            enrolment_create(training_class=klass, worker=worker)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Enrolment.objects.filter(training_class=klass).count() == 1
