"""Completion credit and tests, through the services and the player's endpoints.
The play session's rules and the cheater's attempts are in test_playback.py."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import LessonProgress, PlaySession
from lms.training.models import CreditEntry
from tests.conftest import BEIJING
from tests.people.factories import WorkerFactory

from .factories import make_course, make_lesson
from .playing import Player

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(tree):
    return WorkerFactory(community=tree["community11"])


@pytest.fixture
def lesson(tree):
    return make_lesson(make_course(tree["city"]), duration=60)


def test_watching_whole_lesson_completes_and_credits_once(worker, lesson):
    player = Player(worker, lesson)
    beat = player.watch(0, 60)
    progress = beat.progress
    assert progress.unique_seconds == 60
    assert progress.completed_at is not None
    entry = CreditEntry.objects.get(worker=worker)
    assert entry.source_key == f"lesson:{lesson.pk}"
    assert entry.kind == "online" and entry.form == "online"
    assert entry.hours == Decimal("0.25")  # a 1-minute micro-lesson
    assert entry.days == Decimal("0.04")
    # Watching again never credits twice.
    again = Player(worker, lesson, now=player.now)
    again.watch(0, 10)
    assert CreditEntry.objects.filter(worker=worker).count() == 1


def test_seek_ahead_counts_only_watched_time(worker, lesson):
    player = Player(worker, lesson)
    player.beat([[0, 10]])
    progress = player.beat([[50, 60]], paused=True).progress
    assert progress.unique_seconds == 20
    assert progress.intervals == [[0, 10], [50, 60]]
    assert progress.completed_at is None
    assert not CreditEntry.objects.exists()


def test_fast_playback_earns_real_time_only(worker, lesson):
    """10 s, then 40 s claimed within the next 10 s (4× speed): 20 s."""
    player = Player(worker, lesson)
    player.beat([[0, 10]])
    beat = player.beat([[10, 50]], paused=True)
    assert (beat.progress.unique_seconds, beat.rejected_seconds) == (20, 30)


def test_heartbeat_costs_three_queries(worker, lesson):
    player = Player(worker, lesson)
    player.beat([[0, 5]], after=5)  # warm the policy cache
    with CaptureQueriesContext(connection) as ctx:
        player.beat([[5, 10]], after=5)
    # Read session and progress (locked), write each; savepoints are only marks.
    assert len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]) == 3


def _open_in_browser(client, lesson):
    html = client.get(lesson.url).content.decode()
    token = html.split('data-play-token="')[1].split('"')[0]
    response = client.post(
        reverse("courses:play_open", args=[lesson.pk]),
        json.dumps({"token": token}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["session"]


def test_heartbeat_endpoint(client, worker, lesson):
    """The page's token opens a session; a beat 0 s later earns nothing (no real
    time has passed); a malformed body is refused and changes nothing."""
    client.force_login(worker.user)
    session = _open_in_browser(client, lesson)
    url = reverse("courses:heartbeat", args=[lesson.pk])
    response = client.post(
        url,
        json.dumps({"session": session, "seq": 1, "position": 8, "played": [[0, 8]]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["added"] == 0 and response.json()["rejected"] == 8
    bad = client.post(url, "not json", content_type="application/json")
    assert bad.status_code == 400
    nan = client.post(
        url,
        json.dumps({"session": session, "seq": 2, "position": "NaN"}),
        content_type="application/json",
    )
    assert nan.status_code == 400
    assert LessonProgress.objects.get().unique_seconds == 0
    assert PlaySession.objects.get().seq == 1


def test_player_page_resumes_at_saved_position(client, worker, lesson):
    Player(worker, lesson).watch(0, 20)
    client.force_login(worker.user)
    html = client.get(lesson.url).content.decode()
    assert 'data-resume="20"' in html


def test_hours_come_from_the_years_policy(worker, lesson):
    """An administrator's YearPolicy changes the hours of a micro-lesson."""
    from lms.compliance.models import YearPolicy

    YearPolicy.objects.create(year=2026, online_micro_hours=Decimal("0.3"))
    Player(worker, lesson).watch(0, 60)
    assert CreditEntry.objects.get(worker=worker).hours == Decimal("0.3")


@pytest.mark.time_machine(dt.datetime(2027, 1, 1, 0, 30, tzinfo=BEIJING), tick=False)
def test_half_past_midnight_on_new_years_day_credits_the_new_year(worker, lesson):
    """00:30 in Beijing is still 31 December in UTC: the credit is dated and
    counted in the new year, under the new year's policy."""
    from lms.compliance.models import YearPolicy

    YearPolicy.objects.create(year=2027, online_micro_hours=Decimal("0.3"))
    start = dt.datetime(2027, 1, 1, 0, 30, tzinfo=BEIJING)
    Player(worker, lesson, now=start).watch(0, 60)
    entry = CreditEntry.objects.get(worker=worker)
    assert (entry.date, entry.hours) == (dt.date(2027, 1, 1), Decimal("0.3"))
