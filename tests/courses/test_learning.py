"""Heartbeats, completion credit and tests, through the services and the endpoint."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonProgress
from courses.services import (
    lesson_progress_heartbeat,
    lesson_progress_start,
)
from lms.training.models import CreditEntry
from tests.people.factories import WorkerFactory

from .factories import make_course, make_lesson

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


def test_hours_come_from_the_years_policy(worker, lesson):
    """An administrator's YearPolicy changes the hours of a micro-lesson."""
    from courses.services import learning
    from lms.compliance.models import YearPolicy

    YearPolicy.objects.create(
        year=timezone.now().year, online_micro_hours=Decimal("0.3")
    )
    learning._POLICIES.clear()
    lesson_progress_start(worker=worker, lesson=lesson)
    beats(worker, lesson, [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60)])
    assert CreditEntry.objects.get(worker=worker).hours == Decimal("0.3")
    learning._POLICIES.clear()
