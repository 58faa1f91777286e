"""No query per row: the class lists and the certificate claims of a class read the
same number of queries for 3 enrolments as for 12."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import claims
from lms.training.models import Attendance, EnrolmentStatus, Grade
from lms.training.services import credit_entry_create
from tests.people.factories import WorkerFactory

from .factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    TrainingClassFactory,
    aware,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 12)
SIZES = (3, 12)


def _attend(enrolment, session) -> None:
    entry, _ = credit_entry_create(
        worker=enrolment.worker,
        date=session.date,
        days=Decimal("1"),
        hours=Decimal("6"),
        kind="in_person",
        title="t",
        source_key=f"session:{session.pk}",
    )
    Attendance.objects.create(
        session=session,
        enrolment=enrolment,
        checked_in_at=aware(session.date, dt.time(9, 0)),
        checked_out_at=aware(session.date, dt.time(17, 0)),
        method="qr",
        credit=entry,
    )
    Grade.objects.create(enrolment=enrolment, component="test", score=Decimal("90"))


def _class_of(tree, size: int):
    """A class with two sessions and `size` enrolled workers, each attended once."""
    klass = TrainingClassFactory(
        organiser=tree["district1"], extra_requirement="test", capacity=50
    )
    sessions = [
        ClassSessionFactory(training_class=klass, date=DAY + dt.timedelta(days=i))
        for i in range(2)
    ]
    for _ in range(size):
        enrolment = EnrolmentFactory(
            training_class=klass,
            worker=WorkerFactory(community=tree["community11"]),
            requested_at=aware(DAY, dt.time(8, 0)),
        )
        _attend(enrolment, sessions[0])
    return klass


def _worker_with(tree, size: int):
    """A worker with `size` classes (enrolled and attended, or on a waiting list) and
    one more open for enrolment."""
    worker = WorkerFactory(community=tree["community11"])
    ClassSessionFactory(
        training_class=TrainingClassFactory(organiser=tree["district1"]), date=DAY
    )
    for i in range(size):
        klass = TrainingClassFactory(organiser=tree["district1"])
        session = ClassSessionFactory(training_class=klass, date=DAY)
        waiting = i % 3 == 2
        enrolment = EnrolmentFactory(
            training_class=klass,
            worker=worker,
            status=EnrolmentStatus.WAITING if waiting else EnrolmentStatus.ENROLLED,
            requested_at=aware(DAY, dt.time(8, 0)),
        )
        if not waiting:
            _attend(enrolment, session)
    return worker


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries)


def test_trainer_roster_queries_do_not_grow_with_the_class(
    client, tree, district_admin
):
    """The trainer's class list reads a fixed number of queries."""
    client.force_login(district_admin)
    counts = []
    for size in SIZES:
        klass = _class_of(tree, size)
        url = reverse("training:roster", args=[klass.pk])
        page = client.get(url).content.decode()  # warms the site-root cache
        names = klass.enrolments.values_list("worker__name", flat=True)
        assert all(name in page for name in names)
        counts.append(_queries(lambda url=url: client.get(url)))
    print(counts)
    assert counts[0] == counts[1], counts


def test_worker_class_list_queries_do_not_grow_with_the_list(client, tree):
    """The worker's class list (completion, waiting places, ratings) reads a fixed
    number of queries."""
    counts = []
    for size in SIZES:
        worker = _worker_with(tree, size)
        client.force_login(worker.user)
        url = reverse("training:classes")
        page = client.get(url).content.decode()
        titles = worker.enrolments.values_list("training_class__title", flat=True)
        assert all(title in page for title in titles)
        counts.append(_queries(lambda url=url: client.get(url)))
    print(counts)
    assert counts[0] == counts[1], counts


def test_completion_claims_queries_do_not_grow_with_the_class(tree):
    """The completion certificates a class's run considers: a fixed number of
    queries, and each claim counts only its standing credit."""
    counts = []
    for size in SIZES:
        klass = _class_of(tree, size)
        found = []
        counts.append(
            _queries(
                lambda k=klass, f=found: f.extend(
                    claims.completion_claims(class_id=k.pk)
                )
            )
        )
        assert len(found) == size
        assert {(c.days, c.hours) for c in found} == {(Decimal("1"), Decimal("6"))}
    print(counts)
    assert counts[0] == counts[1], counts
