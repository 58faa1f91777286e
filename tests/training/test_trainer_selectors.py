"""Teaching figures aggregated from lms.training: classes, hours, ratings."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.training.models import TrainerRating
from lms.training.trainer_selectors import (
    TrainerStats,
    trainer_portal,
    trainer_stats,
)
from tests.people.factories import WorkerFactory
from tests.trainers.factories import TrainerFactory
from tests.training.factories import ClassSessionFactory, TrainingClassFactory

TODAY = dt.date(2026, 6, 15)


def _class(tree, trainers, sessions, experts=()):
    klass = TrainingClassFactory(organiser=tree["district1"])
    klass.trainers.set(trainers)
    klass.experts.set(experts)
    for date, start, end in sessions:
        ClassSessionFactory(
            training_class=klass, date=date, start_time=start, end_time=end
        )
    return klass


def test_trainer_stats_counts_held_classes_hours_upcoming_and_ratings(tree):
    """Held sessions count (clock hours); future-only classes are upcoming."""
    a = TrainerFactory(org=tree["city"])
    b = TrainerFactory(org=tree["city"])
    idle = TrainerFactory(org=tree["city"])
    morning, day = (dt.time(9), dt.time(12)), (dt.time(9), dt.time(17))
    past = _class(
        tree,
        [a, b],
        [(dt.date(2026, 5, 1), *day), (dt.date(2026, 5, 2), *morning)],
    )
    # A class spanning today: only its held session counts.
    _class(tree, [a], [(TODAY, *morning), (TODAY + dt.timedelta(days=1), *day)])
    _class(tree, [a], [(TODAY + dt.timedelta(days=30), *day)])
    _class(tree, [b], [])  # no sessions: neither taught nor upcoming
    w1 = WorkerFactory(community=tree["community11"])
    w2 = WorkerFactory(community=tree["community12"])
    TrainerRating.objects.create(trainer=a, training_class=past, worker=w1, score=5)
    TrainerRating.objects.create(trainer=a, training_class=past, worker=w2, score=4)
    TrainerRating.objects.create(trainer=b, training_class=past, worker=w1, score=3)

    stats = trainer_stats([a.pk, b.pk, idle.pk], today=TODAY)

    assert stats[a.pk] == TrainerStats(
        classes_taught=2,
        hours_taught=Decimal("14.0"),
        upcoming_classes=1,
        rating_average=Decimal("4.5"),
        rating_count=2,
    )
    assert stats[b.pk] == TrainerStats(
        classes_taught=1,
        hours_taught=Decimal("11.0"),
        upcoming_classes=0,
        rating_average=Decimal("3.0"),
        rating_count=1,
    )
    assert stats[idle.pk] == TrainerStats()


def test_trainer_stats_takes_one_query_whatever_the_number_of_trainers(tree):
    trainers = [TrainerFactory(org=tree["city"]) for _ in range(12)]
    for t in trainers:
        _class(tree, [t], [(dt.date(2026, 5, 1), dt.time(9), dt.time(12))])
    with CaptureQueriesContext(connection) as few:
        trainer_stats([t.pk for t in trainers[:2]], today=TODAY)
    with CaptureQueriesContext(connection) as many:
        result = trainer_stats([t.pk for t in trainers], today=TODAY)
    assert len(few) == len(many) == 1
    assert {s.classes_taught for s in result.values()} == {1}


def test_trainer_stats_of_no_ids_queries_nothing(tree):
    with CaptureQueriesContext(connection) as queries:
        assert trainer_stats([]) == {}
    assert len(queries) == 0


def test_trainer_portal_lists_the_trainers_classes_with_dates(tree):
    trainer = TrainerFactory(org=tree["city"])
    other = TrainerFactory(org=tree["city"])
    mine = _class(
        tree,
        [trainer],
        [
            (dt.date(2026, 5, 1), dt.time(9), dt.time(12)),
            (dt.date(2026, 5, 3), dt.time(9), dt.time(12)),
        ],
    )
    _class(tree, [other], [(dt.date(2026, 5, 1), dt.time(9), dt.time(12))])
    data = trainer_portal(trainer, today=TODAY)
    classes = list(data["classes"])
    assert [c.pk for c in classes] == [mine.pk]
    assert classes[0].first_date == dt.date(2026, 5, 1)
    assert classes[0].last_date == dt.date(2026, 5, 3)
    assert classes[0].session_count == 2
    assert data["stats"].hours_taught == Decimal("6.0")
