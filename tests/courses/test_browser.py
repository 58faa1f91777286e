"""User journeys in Debian's chromium: upload → review → publish → find → play."""

import re

import pytest
from django.contrib.auth.models import Group

from courses.models import LessonPage, LessonProgress
from lms.accounts.groups import ensure_admin_groups
from tests.conftest import play_video, sign_in
from tests.people.factories import AdminFactory, WorkerFactory

from .factories import DEMO_VIDEO, TrainerFactory, make_course, make_lesson

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(wagtail_site):
    ensure_admin_groups()
    return wagtail_site


def leave(page):
    """Leave the player and let its last heartbeat (sent on pagehide) finish before
    the database is flushed."""
    page.goto("about:blank")
    page.wait_for_timeout(1500)


def test_trainer_uploads_admin_publishes_worker_finds_and_plays(
    live_server, page, tree, site
):
    trainer = TrainerFactory(org=tree["city"], user__username="lecturer")
    course = make_course(
        tree["district1"], title="党建引领社区治理增效", trainers=[trainer]
    )
    admin = AdminFactory(username="d1admin", org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    WorkerFactory(community=tree["community11"], user__username="worker1")

    # 1. The trainer uploads a recorded lecture in chunks and submits it for review.
    sign_in(page, live_server, "lecturer")
    page.goto(f"{live_server.url}/learn/teach/")
    page.fill("#upload-title", "第一讲 党建引领的总体要求")
    page.set_input_files("#upload-file", str(DEMO_VIDEO))
    page.click("#upload-button")
    page.wait_for_selector("button.submit-review", timeout=30000)
    assert page.locator("#upload-progress").count() == 1
    page.click("button.submit-review")
    page.wait_for_selector("text=等待审核")
    lesson = LessonPage.objects.get(title="第一讲 党建引领的总体要求")
    assert not lesson.live and lesson.get_parent().pk == course.pk

    # 2. The district administrator approves it in Wagtail: it is published.
    page.context.clear_cookies()
    sign_in(page, live_server, "d1admin")
    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    page.locator("[data-workflow-action-name=approve]").first.evaluate("b => b.click()")
    page.wait_for_load_state("networkidle")
    lesson.refresh_from_db()
    assert lesson.live

    # 3. A worker of the district finds it with a Chinese search and plays it.
    page.context.clear_cookies()
    sign_in(page, live_server, "worker1")
    page.goto(f"{live_server.url}/learn/")
    page.fill("#q", "社区治理")
    page.click("#search-button")
    page.click("text=党建引领社区治理增效")
    ranges = []
    page.on(
        "response",
        lambda r: ranges.append(r.status) if "/media/" in r.url else None,
    )
    page.click("text=第一讲 党建引领的总体要求")
    play_video(page, 2)
    page.evaluate("() => { document.getElementById('player').currentTime = 40; }")
    page.wait_for_function("() => document.getElementById('player').currentTime >= 40")
    page.wait_for_timeout(1000)
    assert page.evaluate("() => document.getElementById('player').currentTime") >= 40
    assert 206 in ranges
    leave(page)


def test_seek_ahead_counts_only_watched_time(live_server, page, tree, site):
    lesson = make_lesson(make_course(tree["city"], title="社区应急管理"), duration=60)
    WorkerFactory(community=tree["community11"], user__username="worker2")
    sign_in(page, live_server, "worker2")
    page.goto(f"{live_server.url}{lesson.url}")
    play_video(page, 4)
    page.evaluate("() => { document.getElementById('player').currentTime = 45; }")
    page.wait_for_function("() => document.getElementById('player').currentTime >= 45")
    play_video(page, 3)
    page.evaluate("() => document.getElementById('player').pause()")
    page.wait_for_function(
        "() => Number(document.getElementById('watched').textContent) > 0"
    )
    page.wait_for_timeout(500)
    progress = LessonProgress.objects.get(lesson=lesson)
    # About 4 s + 3 s played; the 41 s skipped never count.
    assert 5 <= progress.unique_seconds <= 10, progress.intervals
    assert progress.intervals[0][0] == 0 and progress.intervals[-1][0] >= 44
    assert progress.completed_at is None
    shown = page.locator("#watched").text_content()
    assert re.fullmatch(r"\d+", shown) and int(shown) == progress.unique_seconds
    leave(page)


def test_learner_answers_questions_and_prompts_and_completes(
    live_server, page, tree, site, settings
):
    """A learner plays a lesson with a question at 3 s and a presence prompt every
    8 s of play: a wrong answer rewinds to the start, the right one continues, the
    prompt is confirmed, and the lesson completes and is credited once."""
    from django.utils import timezone

    from courses.models import CheckpointEvent, PresencePrompt, VideoCheckpoint
    from lms.compliance.models import YearPolicy
    from lms.training.models import CreditEntry

    settings.LESSON_HEARTBEAT_SECONDS = 5
    YearPolicy.objects.create(
        year=timezone.localdate().year,
        presence_min_seconds=8,
        presence_max_seconds=8,
        online_min_lesson_seconds=5,
    )
    lesson = make_lesson(make_course(tree["city"], title="网格化管理"), duration=14)
    VideoCheckpoint.objects.create(
        lesson=lesson,
        at_seconds=3,
        kind="single",
        prompt="网格一般服务多少户？",
        options="50-100户\n300-500户\n2000户",
        answer="2",
    )
    WorkerFactory(community=tree["community11"], user__username="worker3")
    sign_in(page, live_server, "worker3")
    page.goto(f"{live_server.url}{lesson.url}")
    assert "300-500户" not in page.content()  # the question is not in the page
    play_video(page, 0)
    page.wait_for_selector("#checkpoint:not([hidden])", timeout=15000)
    page.check("#checkpoint-options input[value='1']")
    page.click("#checkpoint button[type=submit]")
    page.wait_for_selector("#checkpoint[hidden]", state="attached")
    # Asked again once [0, 3) is played again and 10 s have passed since the guess.
    page.wait_for_selector("#checkpoint:not([hidden])", timeout=30000)
    page.check("#checkpoint-options input[value='2']")
    page.click("#checkpoint button[type=submit]")
    page.wait_for_selector("#presence-prompt:not([hidden])", timeout=20000)
    page.click("#presence-confirm")
    page.wait_for_function(
        "() => document.getElementById('player').currentTime >= 14.5", timeout=20000
    )
    page.evaluate("() => document.getElementById('player').pause()")
    page.wait_for_selector("#complete-badge:not([hidden])", timeout=10000)
    progress = LessonProgress.objects.get(lesson=lesson)
    assert progress.completed_at is not None and progress.unique_seconds >= 13
    assert CreditEntry.objects.filter(source_key=f"lesson:{lesson.pk}").count() == 1
    assert list(CheckpointEvent.objects.values_list("correct", flat=True)) == [
        False,
        True,
    ]
    prompts = PresencePrompt.objects.all()
    assert prompts and all(p.answered_at for p in prompts if p.missed_at is None)
    assert not prompts.filter(missed_at__isnull=False).exists()
    leave(page)


def test_a_question_at_the_start_waits_without_looping(
    live_server, page, tree, site, settings
):
    """A question at 0 s has nothing to play again: after a wrong guess the player
    stays on it, says when it is asked again, and asks about once a second (not in
    a tight rewind loop) until the server's real-time wait is over."""
    from courses.models import CheckpointEvent, VideoCheckpoint

    settings.LESSON_HEARTBEAT_SECONDS = 5
    lesson = make_lesson(make_course(tree["city"], title="开篇"), duration=14)
    VideoCheckpoint.objects.create(
        lesson=lesson,
        at_seconds=0,
        kind="single",
        prompt="本课的主题是？",
        options="网格化治理\n财务审计",
        answer="1",
    )
    WorkerFactory(community=tree["community11"], user__username="worker5")
    sign_in(page, live_server, "worker5")
    asked = []
    page.on(
        "request",
        lambda r: (
            asked.append(r.url)
            if "/checkpoints/" in r.url and not r.url.endswith("/answer/")
            else None
        ),
    )
    page.goto(f"{live_server.url}{lesson.url}")
    play_video(page, 0)
    page.wait_for_selector("#checkpoint:not([hidden])", timeout=15000)
    page.check("#checkpoint-options input[value='2']")
    page.click("#checkpoint button[type=submit]")
    page.wait_for_selector("#checkpoint-rewatch:not([hidden])", timeout=10000)
    assert "秒" in page.locator("#checkpoint-rewatch").text_content()
    page.wait_for_selector("#checkpoint:not([hidden])", timeout=20000)
    assert len(asked) <= 16  # the first asking, then about one a second for 10 s
    page.check("#checkpoint-options input[value='1']")
    page.click("#checkpoint button[type=submit]")
    page.wait_for_selector("#checkpoint[hidden]", state="attached")
    assert list(CheckpointEvent.objects.values_list("correct", flat=True)) == [
        False,
        True,
    ]
    leave(page)


def test_learner_types_the_answer_of_a_question_drawn_from_the_bank(
    live_server, page, tree, site, settings
):
    """A lesson asking for one question drawn from its bank: the learner's own
    question appears at their own moment, a typed (fill-in) answer is checked on
    the server (a wrong one asked again, the year allowing two tries), and the
    lesson completes."""
    from django.utils import timezone

    from courses.models import CheckpointEvent, Question, QuestionBank
    from lms.compliance.models import YearPolicy
    from lms.training.models import CreditEntry

    settings.LESSON_HEARTBEAT_SECONDS = 5
    YearPolicy.objects.create(
        year=timezone.localdate().year,
        online_min_lesson_seconds=5,
        checkpoint_wrong_limit=2,
    )
    bank = QuestionBank.objects.create(title="随堂题库", org=tree["city"])
    Question.objects.create(
        bank=bank, kind="fill_in", prompt="社区治理的基本单元是？", answer="网格"
    )
    lesson = make_lesson(
        make_course(tree["city"], title="网格化管理"),
        duration=14,
        checkpoint_bank=bank,
        checkpoint_draw_count=1,
    )
    WorkerFactory(community=tree["community11"], user__username="worker4")
    sign_in(page, live_server, "worker4")
    page.goto(f"{live_server.url}{lesson.url}")
    assert "社区治理的基本单元" not in page.content()
    play_video(page, 0)
    page.wait_for_selector("#checkpoint:not([hidden])", timeout=20000)
    assert "社区治理的基本单元" in page.locator("#checkpoint-prompt").text_content()
    page.fill("#checkpoint-text", "小区")
    page.click("#checkpoint button[type=submit]")
    page.wait_for_selector("#checkpoint-wrong:not([hidden])")  # asked again
    page.fill("#checkpoint-text", " 网 格 ")
    page.click("#checkpoint button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('player').currentTime >= 14.5", timeout=20000
    )
    page.evaluate("() => document.getElementById('player').pause()")
    page.wait_for_selector("#complete-badge:not([hidden])", timeout=10000)
    progress = LessonProgress.objects.get(lesson=lesson)
    assert progress.completed_at is not None
    assert CreditEntry.objects.filter(source_key=f"lesson:{lesson.pk}").count() == 1
    events = CheckpointEvent.objects.order_by("pk")
    assert [(e.chosen, e.correct) for e in events] == [
        (["小区"], False),
        ([" 网 格 "], True),
    ]
    leave(page)
