"""The study audit: a worker's play sessions and the suspicious patterns, within
the administrator's subtree only, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import PlaySession
from tests.people.factories import WorkerFactory

from .factories import make_course, make_lesson
from .playing import Player

pytestmark = pytest.mark.django_db


def _night(days_ago: int, hour: int) -> dt.datetime:
    """`hour` o'clock (local) `days_ago` days before today: inside the audit's
    default 30 days whatever the time of day the test runs."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def scene(tree):
    """In district 1: a worker who ran five lessons in one hour at night on a
    device shared with a colleague. In district 2: the same patterns."""
    course = make_course(tree["city"])
    lessons = [make_lesson(course, duration=3 * 3600) for _ in range(5)]
    people = {}
    for district, community in ((1, "community11"), (2, "community21")):
        cheat = WorkerFactory(name=f"甲{district}", community=tree[community])
        colleague = WorkerFactory(name=f"乙{district}", community=tree[community])
        device = f"shared-device-{district}"
        now = _night(3, 1)
        for lesson in lessons:
            player = Player(cheat, lesson, now=now, device=device)
            player.watch(0, 60)
            now = player.now
        # Two hours and a half of one lesson, the same night.
        player = Player(cheat, lessons[0], now=now, device=device)
        player.watch(60, 60 + 9000, step=20)
        Player(colleague, lessons[1], now=_night(2, 15), device=device).watch(0, 30)
        people[district] = (cheat, colleague)
    return people


def test_suspicious_patterns_within_the_subtree(client, district_admin, scene):
    client.force_login(district_admin)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("courses:audit"))
    assert response.status_code == 200
    html = response.content.decode()
    busy, nights, devices = (
        response.context["busy_hours"],
        response.context["nights"],
        response.context["devices"],
    )
    cheat, colleague = scene[1]
    assert [(r["worker_id"], r["lessons"]) for r in busy] == [(cheat.pk, 5)]
    assert [r["worker_id"] for r in nights] == [cheat.pk]
    assert nights[0]["credited"] > 2 * 3600
    assert [d["device"] for d in devices] == ["shared-device-1"]
    assert {w["worker_id"] for w in devices[0]["worker_rows"]} == {
        cheat.pk,
        colleague.pk,
    }
    assert "甲2" not in html and "乙2" not in html
    # Aggregated in the database: a handful of queries whatever the rows.
    assert len(ctx.captured_queries) <= 12


def test_worker_page_lists_sessions_prompts_and_questions(
    client, district_admin, scene
):
    cheat, _colleague = scene[1]
    client.force_login(district_admin)
    response = client.get(reverse("courses:audit_worker", args=[cheat.pk]))
    assert response.status_code == 200
    sessions = list(response.context["sessions"])
    assert len(sessions) == 6
    longest = sessions[0]  # the newest
    assert longest.credited_seconds == 9000
    # A prompt every 10–20 min of play over 150 min: 7 to 15, all answered.
    assert 7 <= longest.prompts_answered <= 15
    assert (longest.prompts_missed, longest.prompts_open) == (0, 0)
    assert [s.credited_seconds for s in sessions[1:]] == [60] * 5
    assert {s.device for s in sessions} == {"shared-device-1"}
    assert {s.ip_address for s in sessions} == {"10.0.0.8"}
    assert PlaySession.objects.filter(worker=cheat).count() == 6


def test_worker_of_another_district_is_refused(client, district_admin, scene):
    outsider, _colleague = scene[2]
    client.force_login(district_admin)
    response = client.get(reverse("courses:audit_worker", args=[outsider.pk]))
    assert response.status_code == 403


def test_workers_cannot_see_the_audit(client, scene):
    cheat, _colleague = scene[1]
    client.force_login(cheat.user)
    assert client.get(reverse("courses:audit")).status_code == 403
