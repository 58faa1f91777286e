"""The worker's home: the year's progress, what to do next, what is new."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import LessonKind, LessonProgress
from lms.accounts.templatetags.numbers import num
from lms.training.models import TrainingType
from portal.selectors import worker_home
from tests.compliance.factories import credit
from tests.courses.factories import make_course, make_lesson
from tests.people.factories import WorkerFactory
from tests.training.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    TrainingClassFactory,
)

NOW = timezone.make_aware(dt.datetime(2026, 9, 10, 8, 0))


@pytest.fixture
def worker(tree):
    return WorkerFactory(community=tree["community11"], user__username="w1")


def test_num_writes_numbers_as_people_do():
    """Trailing zeros go, at most two decimals stay."""
    assert num(Decimal("10.2000000000000")) == "10.2"
    assert num(Decimal("7.00")) == "7"
    assert num(0.25) == "0.25"
    assert num(Decimal("1.005"), 1) == "1"
    assert num(None) == "—"


@pytest.mark.django_db
def test_home_shows_the_gap_and_the_classes_that_close_it(worker, tree):
    """A worker short of the year's days sees "还差 X 天" and an open class."""
    credit(worker, "2026-03-02", days="1.5")
    TrainingClassFactory(
        organiser=tree["district1"],
        title="社区治理专题班",
        enrol_opens=NOW - dt.timedelta(days=1),
        enrol_closes=NOW + dt.timedelta(days=5),
    )
    context = worker_home(worker, now=NOW)
    assert context["result"].achieved_days == Decimal("1.5")
    assert [c.title for c in context["open_classes"]] == ["社区治理专题班"]


@pytest.mark.django_db
def test_continue_learning_offers_the_unfinished_lesson_then_the_next(worker, tree):
    """An unfinished lesson is offered again; once finished, the next one."""
    course = make_course(tree["city"], title="社区治理")
    first = make_lesson(course, title="第一讲")
    second = make_lesson(course, title="第二讲")
    progress = LessonProgress.objects.create(worker=worker, lesson=first)
    assert worker_home(worker, now=NOW)["next"].lesson.pk == first.pk
    progress.completed_at = NOW
    progress.save()
    following = worker_home(worker, now=NOW)["next"]
    assert following.lesson.pk == second.pk and following.progress is None


@pytest.mark.django_db
def test_today_and_next_session_are_listed(worker, tree):
    """Sessions of enrolled classes from now on, soonest first; past ones are not."""
    klass = TrainingClassFactory(organiser=tree["district1"], title="轮训班")
    for day in (9, 10, 12, 20):
        ClassSessionFactory(training_class=klass, date=dt.date(2026, 9, day))
    EnrolmentFactory(training_class=klass, worker=worker)
    dates = [s.date.day for s in worker_home(worker, now=NOW)["sessions"]]
    assert dates == [10, 12]


@pytest.mark.django_db
def test_home_page_for_a_phone(client, worker, tree):
    """The page: the gap in words, the shortfall links to the classes, the bottom tabs
    (首页 学习 培训班 我的) and a plain number."""
    worker.post = "secretary"
    worker.save()
    credit(worker, "2026-03-02", days="2.5")
    # Signed in at the same instant the page is read (a session signed in "later"
    # than the page's clock would be refused).
    with time_machine.travel(NOW, tick=False):
        client.force_login(worker.user)
        html = client.get("/portal/").content.decode()
    assert "还差" in html
    assert 'class="tabbar"' in html
    for label in ("首页", "学习", "培训班", "我的"):
        assert f"</span>{label}</a>" in html
    assert "2.5000" not in html


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_history(client, worker, tree):
    """The home costs the same number of queries with 1 or 40 ledger lines,
    sessions and lessons played (the worker stays short of the year's days)."""

    def grow(n):
        course = make_course(tree["city"])
        klass = TrainingClassFactory(
            organiser=tree["district1"], type=TrainingType.ON_THE_JOB
        )
        EnrolmentFactory(training_class=klass, worker=worker)
        for i in range(n):
            credit(worker, dt.date(2026, 1, 1) + dt.timedelta(days=i), days="0.05")
            lesson = make_lesson(course, kind=LessonKind.TEXT, body="<p>x</p>")
            LessonProgress.objects.create(worker=worker, lesson=lesson)
            ClassSessionFactory(
                training_class=klass, date=dt.date(2026, 9, 11) + dt.timedelta(days=i)
            )

    with time_machine.travel(NOW, tick=False):
        client.force_login(worker.user)

    def count():
        with time_machine.travel(NOW, tick=False):
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/portal/").status_code == 200
        return len(queries)

    grow(1)
    count()  # warm the site cache
    small = count()
    grow(40)
    assert count() == small
