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
def live_session(klass):
    """A session running now (started two hours ago, ends in ten minutes)."""
    now = timezone.localtime()
    start = (now - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    end = now + dt.timedelta(minutes=10)
    if end.date() != start.date():  # near midnight: keep the session inside one day
        start = start.replace(hour=0, minute=0)
        end = start + dt.timedelta(hours=23, minutes=59)
    return ClassSessionFactory(
        training_class=klass,
        date=start.date(),
        start_time=start.time(),
        end_time=end.time(),
        length="half",
    )


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
