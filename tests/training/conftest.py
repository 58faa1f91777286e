import datetime as dt

import pytest
from django.utils import timezone

from tests.people.factories import WorkerFactory

from .factories import ClassSessionFactory, TrainingClassFactory, aware


@pytest.fixture
def klass(tree):
    return TrainingClassFactory(organiser=tree["district1"], capacity=2)


@pytest.fixture
def session(klass):
    return ClassSessionFactory(training_class=klass, date=timezone.localdate())


@pytest.fixture
def workers(tree):
    return [WorkerFactory(community=tree["community11"]) for _ in range(4)]


@pytest.fixture
def during(session):
    """A moment inside the session (10:00 local)."""
    return aware(session.date, dt.time(10, 0))


@pytest.fixture
def after(session):
    return aware(session.date, dt.time(17, 5))
