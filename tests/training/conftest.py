import datetime as dt

import pytest
from django.utils import timezone

from tests.people.factories import WorkerFactory

from .factories import ClassSessionFactory, TrainingClassFactory, aware


@pytest.fixture
def klass(frozen_now, tree):
    """An open class, made with the clock stopped at `frozen_now` (10:00 Beijing on
    a working day), so its sessions and windows never depend on the real hour."""
    return TrainingClassFactory(organiser=tree["district1"], capacity=2)


@pytest.fixture
def session(klass):
    return ClassSessionFactory(training_class=klass, date=timezone.localdate())


@pytest.fixture
def live_session(klass):
    """A session running now (started two hours ago, ends in ten minutes); the clock
    stands at 10:00 (see `klass`), so it never crosses midnight."""
    now = timezone.localtime()
    start = now - dt.timedelta(hours=2)
    end = now + dt.timedelta(minutes=10)
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
