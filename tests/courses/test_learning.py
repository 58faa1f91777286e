"""Heartbeats, completion credit and tests, through the services and the endpoint."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import models as course_models
from courses import services
from courses.models import LessonProgress, QuestionKind
from courses.services import (
    LearningError,
    lesson_progress_heartbeat,
    lesson_progress_start,
)
from lms.training.models import CreditEntry
from tests.conftest import BEIJING
from tests.people.factories import WorkerFactory

from .factories import make_course, make_lesson, make_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(tree):
    return WorkerFactory(community=tree["community11"])


@pytest.fixture
def lesson(tree):
    return make_lesson(make_course(tree["city"]), duration=60)


def beats(worker, lesson, segments, start=None, step=10):
    """Send one heartbeat per segment, `step` wall-clock seconds apart."""
    now = start or timezone.now()
    progress = None
    for i, seg in enumerate(segments):
        progress = lesson_progress_heartbeat(
            user_id=worker.user_id,
            lesson_id=lesson.pk,
            position=seg[1],
            played=[seg],
            now=now + dt.timedelta(seconds=step * (i + 1)),
        )
    return progress


def test_heartbeat_without_opening_the_player_is_ignored(worker, lesson):
    assert (
        lesson_progress_heartbeat(
            user_id=worker.user_id, lesson_id=lesson.pk, position=5, played=[[0, 5]]
        )
        is None
    )
    assert not LessonProgress.objects.exists()


def test_watching_whole_lesson_completes_and_credits_once(worker, lesson):
    lesson_progress_start(worker=worker, lesson=lesson)
    progress = beats(
        worker, lesson, [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60)]
    )
    assert progress.unique_seconds == 60
    assert progress.completed_at is not None
    entry = CreditEntry.objects.get(worker=worker)
    assert entry.source_key == f"lesson:{lesson.pk}"
    assert entry.kind == "online" and entry.form == "online"
    assert entry.hours == Decimal("0.25")  # a 1-minute micro-lesson
    assert entry.days == Decimal("0.04")
    # Watching again never credits twice.
    beats(worker, lesson, [(0, 10)], start=timezone.now() + dt.timedelta(minutes=5))
    assert CreditEntry.objects.filter(worker=worker).count() == 1


def test_seek_ahead_counts_only_watched_time(worker, lesson):
    lesson_progress_start(worker=worker, lesson=lesson)
    progress = beats(worker, lesson, [(0, 10), (50, 60)])
    assert progress.unique_seconds == 20
    assert progress.intervals == [[0, 10], [50, 60]]
    assert progress.completed_at is None
    assert not CreditEntry.objects.exists()


def test_fast_playback_is_capped(worker, lesson, settings):
    settings.LESSON_MAX_PLAYBACK_RATE = 1.0
    from courses.services import learning

    learning._POLICIES.clear()
    lesson_progress_start(worker=worker, lesson=lesson)
    # 10 s, then 40 s claimed within the next 10 s of wall clock (4× speed).
    progress = beats(worker, lesson, [(0, 10), (10, 50)], step=10)
    assert progress.unique_seconds == 21  # 10 + (10 s × 1.0 + 1 s rounding)
    learning._POLICIES.clear()


def test_heartbeat_costs_two_queries(worker, lesson):
    lesson_progress_start(worker=worker, lesson=lesson)
    beats(worker, lesson, [(0, 5)])  # warm the policy cache
    with CaptureQueriesContext(connection) as ctx:
        beats(
            worker, lesson, [(5, 10)], start=timezone.now() + dt.timedelta(seconds=30)
        )
    # Reading the row (locked) and writing it; savepoints are only transaction marks.
    assert len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]) == 2


def test_heartbeat_endpoint(client, worker, lesson):
    client.force_login(worker.user)
    response = client.get(lesson.url)
    assert response.status_code == 200
    url = reverse("courses:heartbeat", args=[lesson.pk])
    response = client.post(
        url,
        json.dumps({"position": 8, "played": [[0, 8]]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["unique_seconds"] == 8
    bad = client.post(url, "not json", content_type="application/json")
    assert bad.status_code == 400
    assert LessonProgress.objects.get().unique_seconds == 8


def test_player_page_resumes_at_saved_position(client, worker, lesson):
    lesson_progress_start(worker=worker, lesson=lesson)
    beats(worker, lesson, [(0, 10), (10, 20)])
    client.force_login(worker.user)
    html = client.get(lesson.url).content.decode()
    assert 'data-resume="20"' in html


QUESTIONS = [
    (
        QuestionKind.SINGLE,
        "社区党组织书记每年至少参加几天集中培训？",
        ["3天", "7天", "10天"],
        "2",
    ),
    (
        QuestionKind.MULTIPLE,
        "培训形式包括？",
        ["实体培训班", "网络课堂", "旅游"],
        "1,2",
    ),
    (QuestionKind.TRUE_FALSE, "网格员服务300至500户。", [], "1"),
]


def test_passed_test_credits_half_hour_once(worker, tree):
    course = make_course(tree["city"])
    test = make_test(course, QUESTIONS, attempt_limit=2, pass_mark=60)
    q = list(test.questions.all())
    failed = services.test_attempt_submit(
        worker=worker, lesson=test, answers={str(q[0].pk): ["1"]}
    )
    assert (failed.score, failed.passed) == (0, False)
    passed = services.test_attempt_submit(
        worker=worker,
        lesson=test,
        answers={str(q[0].pk): ["2"], str(q[1].pk): ["1", "2"], str(q[2].pk): ["2"]},
    )
    assert (passed.score, passed.passed) == (67, True)
    entry = CreditEntry.objects.get(worker=worker)
    assert (entry.kind, entry.hours, entry.source_key) == (
        "test",
        Decimal("0.5"),
        f"test:{test.pk}",
    )
    with pytest.raises(LearningError):
        services.test_attempt_submit(worker=worker, lesson=test, answers={})


def test_attempt_limit_refuses_and_changes_nothing(worker, tree):
    test = make_test(make_course(tree["city"]), QUESTIONS, attempt_limit=1)
    services.test_attempt_submit(worker=worker, lesson=test, answers={})
    with pytest.raises(LearningError, match="作答次数已用完"):
        services.test_attempt_submit(worker=worker, lesson=test, answers={})
    assert course_models.TestAttempt.objects.count() == 1
    assert not CreditEntry.objects.exists()


def test_hours_come_from_the_years_policy(frozen_now, worker, lesson):
    """An administrator's YearPolicy changes the hours of a micro-lesson."""
    from courses.services import learning
    from lms.compliance.models import YearPolicy

    YearPolicy.objects.create(year=frozen_now.year, online_micro_hours=Decimal("0.3"))
    learning._POLICIES.clear()
    lesson_progress_start(worker=worker, lesson=lesson)
    beats(worker, lesson, [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60)])
    assert CreditEntry.objects.get(worker=worker).hours == Decimal("0.3")
    learning._POLICIES.clear()


@pytest.mark.time_machine(dt.datetime(2027, 1, 1, 0, 30, tzinfo=BEIJING), tick=False)
def test_half_past_midnight_on_new_years_day_credits_the_new_year(worker, lesson):
    """00:30 in Beijing is still 31 December in UTC: the credit is dated and
    counted in the new year, under the new year's policy."""
    from courses.services import learning
    from lms.compliance.models import YearPolicy

    YearPolicy.objects.create(year=2027, online_micro_hours=Decimal("0.3"))
    learning._POLICIES.clear()
    lesson_progress_start(worker=worker, lesson=lesson)
    beats(worker, lesson, [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60)])
    entry = CreditEntry.objects.get(worker=worker)
    assert (entry.date, entry.hours) == (dt.date(2027, 1, 1), Decimal("0.3"))
    learning._POLICIES.clear()
