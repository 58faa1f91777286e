"""The play session's rules, and the cheater's attempts against them: forged beats
without a video, parallel lessons, replayed beats, idle play, hidden pages, answers
read from the page. Each earns nothing it should not."""

import datetime as dt
import json
import random
from decimal import Decimal

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from courses.models import (
    CheckpointEvent,
    LessonProgress,
    PlaySession,
    PlayState,
    PresencePrompt,
    Question,
    QuestionBank,
    VideoCheckpoint,
)
from courses.services import (
    LearningError,
    PlayRefused,
    lesson_checkpoints,
    play_token_issue,
)
from courses.services.playback import CheckpointResult
from lms.compliance.models import YearPolicy
from lms.training.models import CreditEntry
from tests.people.factories import WorkerFactory

from .factories import make_course, make_lesson
from .playing import START, Player

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(tree):
    return WorkerFactory(community=tree["community11"])


@pytest.fixture
def course(tree):
    return make_course(tree["city"])


@pytest.fixture
def lesson(course):
    return make_lesson(course, duration=60)


def _progress(worker, lesson):
    return LessonProgress.objects.get(worker=worker, lesson=lesson)


# --- Forged beats without a video ------------------------------------------------------
def test_first_beat_earns_only_the_time_since_opening(worker, lesson):
    """The reported hole: a 60 s lesson claimed 3.2 s after opening the player
    earns 3 s, and nothing is credited to the ledger."""
    player = Player(worker, lesson)
    beat = player.beat([[0, 60]], after=3.2, paused=True)
    assert (beat.added_seconds, beat.rejected_seconds) == (3, 57)
    assert _progress(worker, lesson).unique_seconds == 3
    assert not CreditEntry.objects.exists()


def test_rapid_forged_beats_never_beat_the_clock(worker, lesson):
    """A script posting a beat every 0.5 s, each claiming 10 s: after 10 s of real
    time the session has added 10 s, never more."""
    player = Player(worker, lesson)
    for i in range(20):
        player.beat([[i * 3, i * 3 + 10]], after=0.5)
    beat = player.beat([], after=0, paused=True)
    assert beat.session.played_seconds <= 10
    assert beat.progress.unique_seconds <= 10
    assert not CreditEntry.objects.exists()


def test_beats_need_a_session_opened_by_the_server(worker, lesson):
    """A made-up session id, or the right id from another device, is refused."""
    player = Player(worker, lesson)
    from courses.services import play_session_beat

    for session_id, device in (
        ("00000000-0000-0000-0000-000000000000", player.device),
        ("not-a-uuid", player.device),
        (player.session.pk, "another-device-99"),
    ):
        with pytest.raises(PlayRefused) as info:
            play_session_beat(
                user_id=worker.user_id,
                lesson_id=lesson.pk,
                session_id=session_id,
                seq=1,
                position=10,
                played=[[0, 10]],
                device=device,
                now=START + dt.timedelta(seconds=10),
            )
        assert info.value.code == "no_session"
    assert _progress(worker, lesson).unique_seconds == 0


def test_play_token_is_signed_single_use_and_bound(worker, lesson, course, tree):
    """Forged, tampered, reused, or another worker's, lesson's or device's tokens
    open nothing."""
    other_lesson = make_lesson(course, duration=60)
    colleague = WorkerFactory(community=tree["community11"])
    player = Player(worker, lesson)
    used = play_token_issue(worker=worker, lesson=lesson, device=player.device)
    player.open(used)
    forged = signing.dumps(
        {"w": worker.pk, "l": lesson.pk, "d": player.device, "n": "x" * 32},
        salt="another-salt",
    )
    bad_tokens = [
        forged,
        used,
        used[:-2] + "xx",
        play_token_issue(worker=colleague, lesson=lesson, device=player.device),
        play_token_issue(worker=worker, lesson=other_lesson, device=player.device),
        play_token_issue(worker=worker, lesson=lesson, device="another-device-99"),
    ]
    for token in bad_tokens:
        with pytest.raises(PlayRefused):
            player.open(token)
    assert PlaySession.objects.count() == 2


def test_expired_play_token_is_refused(worker, lesson, settings):
    settings.LESSON_PLAY_TOKEN_SECONDS = -1
    with pytest.raises(PlayRefused) as info:
        Player(worker, lesson)
    assert info.value.code == "token"


def test_malformed_beats_are_refused_and_change_nothing(worker, lesson):
    player = Player(worker, lesson)
    for played in ([[0, "NaN"]], [[0, float("inf")]], [[0, 1, 2]], "0-10", [[-5, 3]]):
        with pytest.raises(LearningError):
            player.beat(played)
    with pytest.raises(LearningError):
        player.beat([[0, 10]], seq="x")
    session = PlaySession.objects.get()
    assert (session.seq, session.played_seconds) == (0, 0)


# --- Parallel lessons, tabs and devices ---------------------------------------------------
def test_second_playback_pauses_the_first(worker, course, lesson):
    """Opening another lesson (or tab, or device) pauses the first: its beats are
    refused with the reason, and only one lesson advances with the clock."""
    other = make_lesson(course, duration=60)
    first = Player(worker, lesson)
    first.beat([[0, 10]])
    second = Player(worker, other, now=first.now, device="device-two-0002")
    with pytest.raises(PlayRefused) as info:
        first.beat([[10, 20]])
    assert info.value.code == "superseded"
    assert str(info.value) == "您正在其他页面学习。"
    second.watch(0, 20)
    first_session = PlaySession.objects.get(lesson=lesson)
    assert first_session.state == PlayState.SUPERSEDED
    # What the first played before the second opened was kept (a pause).
    assert _progress(worker, lesson).unique_seconds == 10
    assert _progress(worker, other).unique_seconds == 20


def test_three_lessons_in_parallel_earn_one_clock(worker, course):
    """A script alternating beats of three lessons, each opening its session anew
    to take over: 60 s of real time earn at most 60 s in all."""
    lessons = [make_lesson(course, duration=600) for _ in range(3)]
    now = START
    for round_ in range(6):
        for lesson in lessons:
            player = Player(worker, lesson, now=now)
            player.beat([[round_ * 10, round_ * 10 + 10]], after=10 / 3, paused=True)
            now = player.now
    total = sum(p.unique_seconds for p in LessonProgress.objects.filter(worker=worker))
    assert total <= 60


# --- Replays -------------------------------------------------------------------------
def test_replayed_and_out_of_order_beats_are_refused(worker, lesson):
    player = Player(worker, lesson)
    player.beat([[0, 10]], seq=1)
    player.beat([[10, 20]], seq=3)
    for seq in (3, 2, 1):
        with pytest.raises(PlayRefused) as info:
            player.beat([[20, 30]], seq=seq)
        assert info.value.code == "replay"
    session = PlaySession.objects.get()
    assert (session.seq, session.played_seconds) == (3, 20)


# --- Policy: hidden page, short lessons, daily cap -----------------------------------------
def test_hidden_page_earns_nothing(worker, lesson):
    player = Player(worker, lesson)
    player.beat([[0, 10]])
    hidden = player.beat([[10, 20]], hidden=True)
    assert hidden.added_seconds == 0
    # The time away is not caught up when the page is shown again.
    back = player.beat([[10, 40]], paused=True)
    assert back.added_seconds == 10
    assert back.progress.unique_seconds == 20


def test_hidden_page_counts_when_the_year_allows_it(worker, lesson):
    YearPolicy.objects.create(year=2026, online_hidden_stops_credit=False)
    player = Player(worker, lesson)
    assert player.beat([[0, 10]], hidden=True).added_seconds == 10


def test_lesson_shorter_than_the_minimum_earns_nothing(worker, course):
    short = make_lesson(course, duration=50)
    beat = Player(worker, short).watch(0, 50)
    assert beat.progress.completed_at is not None
    assert not CreditEntry.objects.exists()


def test_daily_cap_on_online_play(worker, course):
    """A cap of 0.01 h (36 s) a day: 60 s played credit 36 s, and the next
    session the same day adds nothing."""
    YearPolicy.objects.create(year=2026, online_daily_cap_hours=Decimal("0.01"))
    first_lesson, second_lesson = (make_lesson(course, duration=60) for _ in range(2))
    first = Player(worker, first_lesson)
    assert first.watch(0, 60).progress.unique_seconds == 36
    second = Player(worker, second_lesson, now=first.now)
    assert second.watch(0, 30).progress.unique_seconds == 0
    # The next day counts again.
    third = Player(worker, second_lesson, now=first.now + dt.timedelta(days=1))
    assert third.watch(0, 30).progress.unique_seconds == 30


# --- Presence -----------------------------------------------------------------------
@pytest.fixture
def prompt_every_30s():
    return YearPolicy.objects.create(
        year=2026,
        presence_min_seconds=30,
        presence_max_seconds=30,
        presence_timeout_seconds=60,
    )


def test_presence_prompt_answered_commits_the_time(worker, course, prompt_every_30s):
    lesson = make_lesson(course, duration=120)
    player = Player(worker, lesson)
    player.beat([[0, 10]])
    player.beat([[10, 20]])
    beat = player.beat([[20, 30]])
    assert beat.prompt_deadline == 60
    assert beat.progress.unique_seconds == 0  # pending until confirmed
    # While the prompt is up nothing more is added.
    assert player.beat([[30, 40]]).added_seconds == 0
    session = player.confirm(after=20)
    assert session.state == PlayState.ACTIVE
    assert _progress(worker, lesson).unique_seconds == 30
    prompt = PresencePrompt.objects.get()
    assert prompt.answered_at is not None and prompt.missed_at is None


def test_idle_play_loses_the_time_since_the_last_confirmation(
    worker, course, prompt_every_30s
):
    """The video plays on with nobody there: the prompt is missed, playback stops,
    and the 30 s since the last confirmation are not credited."""
    lesson = make_lesson(course, duration=120)
    player = Player(worker, lesson)
    for s in (0, 10, 20):
        player.beat([[s, s + 10]])
    stopped = player.beat([[30, 40]], after=61)
    assert stopped.session.state == PlayState.STOPPED
    with pytest.raises(PlayRefused) as info:
        player.beat([[40, 50]])
    assert info.value.code == "stopped"
    with pytest.raises(PlayRefused):
        player.confirm()
    assert _progress(worker, lesson).unique_seconds == 0
    assert PresencePrompt.objects.get().missed_at is not None
    assert not CreditEntry.objects.exists()


def test_late_confirmation_is_a_miss(worker, course, prompt_every_30s):
    lesson = make_lesson(course, duration=120)
    player = Player(worker, lesson)
    for s in (0, 10, 20):
        player.beat([[s, s + 10]])
    assert player.confirm(after=61).state == PlayState.STOPPED
    assert _progress(worker, lesson).unique_seconds == 0


def test_opening_another_page_during_a_prompt_misses_it(
    worker, course, prompt_every_30s
):
    lesson = make_lesson(course, duration=120)
    player = Player(worker, lesson)
    for s in (0, 10, 20):
        player.beat([[s, s + 10]])
    Player(worker, lesson, now=player.now, device="device-two-0002")
    assert PresencePrompt.objects.get().missed_at is not None
    assert _progress(worker, lesson).unique_seconds == 0


# --- Questions inside the video -------------------------------------------------------
@pytest.fixture
def quiz_lesson(course):
    lesson = make_lesson(course, duration=90)
    VideoCheckpoint.objects.create(
        lesson=lesson,
        sort_order=0,
        at_seconds=30,
        kind="single",
        prompt="网格一般服务多少户？",
        options="50-100户\n300-500户\n2000户",
        answer="2",
    )
    VideoCheckpoint.objects.create(
        lesson=lesson,
        sort_order=1,
        at_seconds=60,
        kind="multiple",
        prompt="培训形式包括哪些？",
        options="实体培训班\n网络课堂\n旅游",
        answer="1,2",
    )
    return lesson


def test_segment_after_an_unanswered_question_is_not_credited(worker, quiz_lesson):
    player = Player(worker, quiz_lesson)
    beat = player.watch(0, 90)
    assert beat.progress.unique_seconds == 30
    assert beat.progress.completed_at is None


def test_right_answers_continue_wrong_rewinds(worker, quiz_lesson):
    first, second = quiz_lesson.checkpoints.order_by("at_seconds")
    player = Player(worker, quiz_lesson)
    player.watch(0, 30)
    question = player.show(first)
    assert question.pk == first.pk
    assert player.answer(first, [2]).passed
    player.watch(30, 60)
    player.show(second)
    wrong = player.answer(second, [1])
    assert (wrong.correct, wrong.passed, wrong.rewind_to) == (False, False, 30)
    with pytest.raises(PlayRefused):  # answered: must be asked again first
        player.answer(second, [1, 2])
    player.watch(30, 60)  # watched again: adds nothing new
    player.show(second)
    assert player.answer(second, [2, 1]).passed
    beat = player.watch(60, 90)
    assert beat.progress.unique_seconds == 90
    assert beat.progress.completed_at is not None
    assert CreditEntry.objects.filter(worker=worker).count() == 1
    events = list(CheckpointEvent.objects.values_list("checkpoint_id", "correct"))
    assert events == [
        (first.pk, True),
        (second.pk, False),
        (second.pk, True),
    ]


def test_wrong_answer_passes_when_the_year_does_not_rewind(worker, quiz_lesson):
    YearPolicy.objects.create(year=2026, checkpoint_wrong_rewinds=False)
    first = quiz_lesson.checkpoints.order_by("at_seconds").first()
    player = Player(worker, quiz_lesson)
    player.show(first)
    result = player.answer(first, [3])
    assert (result.correct, result.passed, result.rewind_to) == (False, True, None)


def test_answers_are_never_sent_to_the_browser(client, worker, quiz_lesson):
    """The page and the question's JSON hold neither the answers nor the options
    before the moment comes; a guessed answer without the question is refused."""
    client.force_login(worker.user)
    html = client.get(quiz_lesson.url).content.decode()
    assert "300-500户" not in html and "网格一般服务" not in html
    assert '"at": 30' in html
    token = html.split('data-play-token="')[1].split('"')[0]
    session = client.post(
        reverse("courses:play_open", args=[quiz_lesson.pk]),
        json.dumps({"token": token}),
        content_type="application/json",
    ).json()["session"]
    first = quiz_lesson.checkpoints.order_by("at_seconds").first()
    answer_url = reverse("courses:checkpoint_answer", args=[quiz_lesson.pk, first.pk])
    guessed = client.post(
        answer_url,
        json.dumps({"session": session, "chosen": [2]}),
        content_type="application/json",
    )
    assert guessed.status_code == 409
    question = client.post(
        reverse("courses:checkpoint", args=[quiz_lesson.pk, first.pk]),
        json.dumps({"session": session}),
        content_type="application/json",
    ).json()
    assert question == {
        "id": first.pk,
        "kind": "single",
        "prompt": "网格一般服务多少户？",
        "options": ["50-100户", "300-500户", "2000户"],
    }
    answered = client.post(
        answer_url,
        json.dumps({"session": session, "chosen": [2]}),
        content_type="application/json",
    ).json()
    assert answered == {"correct": True, "passed": True, "rewind_to": None}


def test_a_wrong_answer_cannot_be_followed_by_another_guess(worker, quiz_lesson):
    """The cheater guessing through the options: after a wrong answer the question
    is not asked again until the segment since the previous question has been
    played again in real time, whatever the player (or a new play session, or a
    forged beat) says. Every answer is recorded."""
    first = quiz_lesson.checkpoints.order_by("at_seconds").first()
    player = Player(worker, quiz_lesson)
    player.watch(0, 30)
    player.show(first)
    assert player.answer(first, [1]).rewind_to == 0
    with pytest.raises(PlayRefused) as refused:
        player.show(first)
    assert refused.value.code == "rewatch"
    player.open()  # a fresh play session changes nothing
    player.beat([[0, 30]], after=2)  # a forged re-watch: 2 s of real time
    with pytest.raises(PlayRefused):
        player.show(first)
    player.watch(2, 30)  # the rest played again in real time
    player.show(first)
    assert player.answer(first, [3]).rewind_to == 0
    player.watch(0, 30)
    player.show(first)
    assert player.answer(first, [2]).passed
    answers = CheckpointEvent.objects.filter(answered_at__isnull=False)
    assert [(e.chosen, e.correct) for e in answers] == [
        ([1], False),
        ([3], False),
        ([2], True),
    ]


@pytest.mark.parametrize("at", [0, 1, 3])
def test_a_question_at_the_start_cannot_be_guessed_a_second_apart(worker, lesson, at):
    """The cheater's shortcut: a question at (or a second or three after) the
    start has next to nothing to watch again, yet a wrong guess followed by a
    faked one-second replay is refused; the next guess waits 10 s of real time."""
    question = VideoCheckpoint.objects.create(
        lesson=lesson,
        at_seconds=at,
        kind="single",
        prompt="哪一项？",
        options="甲\n乙\n丙",
        answer="3",
    )
    player = Player(worker, lesson)
    if at:
        player.watch(0, at)
    player.show(question)
    assert player.answer(question, [1]).rewind_to == 0
    player.beat([[0, max(at, 1)]], after=1)  # the segment "played again" at once
    with pytest.raises(PlayRefused) as refused:
        player.show(question)
    assert refused.value.code == "rewatch"
    assert "9 秒后" in str(refused.value)  # 10 s after the wrong answer, not 1
    if at:
        player.watch(0, at)  # the segment, played again in real time
    player.now += dt.timedelta(seconds=10)
    player.show(question)
    assert player.answer(question, [3]).passed


def test_the_year_may_allow_a_retry_before_the_rewind(worker, quiz_lesson):
    YearPolicy.objects.create(year=2026, checkpoint_wrong_limit=2)
    first = quiz_lesson.checkpoints.order_by("at_seconds").first()
    player = Player(worker, quiz_lesson)
    player.watch(0, 30)
    player.show(first)
    assert player.answer(first, [1]) == CheckpointResult(False, False, None)
    player.show(first)  # asked again at once
    assert player.answer(first, [3]) == CheckpointResult(False, False, 0)
    with pytest.raises(PlayRefused):
        player.show(first)


def test_fill_in_questions_are_graded_like_the_bank(worker, lesson):
    """A typed answer is compared as bank fill-in answers are: any accepted answer,
    blanks, full-width forms and letter case aside."""
    question = VideoCheckpoint.objects.create(
        lesson=lesson,
        at_seconds=20,
        kind="fill_in",
        prompt="社区治理的基本单元是？",
        answer="网格|网格单元",
    )
    question.full_clean()
    YearPolicy.objects.create(year=2026, checkpoint_wrong_limit=2)
    player = Player(worker, lesson)
    player.show(question)
    assert not player.answer(question, text="小区").correct
    player.show(question)
    assert player.answer(question, text=" 网格 单元 ").passed
    events = CheckpointEvent.objects.order_by("pk")
    assert [e.chosen for e in events] == [["小区"], [" 网格 单元 "]]


# --- Questions drawn from the course's bank at random moments --------------------------
@pytest.fixture
def drawing_lesson(course, tree):
    bank = QuestionBank.objects.create(title="随堂题库", org=tree["city"])
    for n in range(6):
        Question.objects.create(
            bank=bank,
            kind="single",
            prompt=f"第{n}题",
            options="甲\n乙\n丙",
            answer="3",
        )
    lesson = make_lesson(course, duration=120)
    lesson.checkpoint_bank = bank
    lesson.checkpoint_draw_count = 2
    lesson.save()
    return lesson


def test_each_learner_gets_questions_of_their_own_from_the_bank(
    client, worker, drawing_lesson
):
    """Two questions from the bank at moments of the learner's own, away from the
    lesson's first and last seconds, drawn once; never their answers on the page."""
    mine = lesson_checkpoints(
        worker=worker, lesson=drawing_lesson, rng=random.Random(1)
    )
    assert lesson_checkpoints(worker=worker, lesson=drawing_lesson) == mine
    assert len(mine) == 2 and all(str(c["id"]).startswith("b") for c in mine)
    assert all(12 <= c["at"] < 108 for c in mine)
    colleague = WorkerFactory(community=worker.community)
    theirs = lesson_checkpoints(
        worker=colleague, lesson=drawing_lesson, rng=random.Random(2)
    )
    assert theirs != mine
    client.force_login(worker.user)
    html = client.get(drawing_lesson.url).content.decode()
    assert f'"id": "{mine[0]["id"]}"' in html
    assert "第" not in html.split("checkpoint-times")[1].split("</script>")[0]


def test_a_drawn_question_holds_credit_until_answered(worker, drawing_lesson):
    moments = lesson_checkpoints(
        worker=worker, lesson=drawing_lesson, rng=random.Random(3)
    )
    first, second = (c["id"] for c in moments)
    player = Player(worker, drawing_lesson)
    beat = player.watch(0, 120)
    assert beat.progress.unique_seconds == moments[0]["at"]
    with pytest.raises(PlayRefused):
        player.show("b999999")  # not drawn for this learner
    assert player.show(first).prompt.startswith("第")
    assert player.answer(first, [1]).rewind_to == 0
    with pytest.raises(PlayRefused):
        player.show(first)
    player.watch(0, moments[0]["at"])
    player.show(first)
    assert player.answer(first, [3]).passed
    player.watch(moments[0]["at"], moments[1]["at"])
    player.show(second)
    assert player.answer(second, [3]).passed
    beat = player.watch(moments[1]["at"], 120)
    assert beat.progress.unique_seconds == 120
    assert beat.progress.completed_at is not None
    assert CheckpointEvent.objects.filter(question__isnull=False).count() == 3


def test_authors_ask_for_drawn_questions_in_the_lesson_editor(admin_client, lesson):
    from django.core.exceptions import ValidationError

    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    html = edit.content.decode()
    assert 'name="checkpoint_bank"' in html
    assert 'name="checkpoint_draw_count"' in html
    lesson.checkpoint_draw_count = 3
    with pytest.raises(ValidationError) as info:
        lesson.full_clean()
    assert "checkpoint_bank" in info.value.message_dict


def test_the_api_answers_a_drawn_question(client, worker, drawing_lesson):
    moments = lesson_checkpoints(worker=worker, lesson=drawing_lesson)
    player = Player(worker, drawing_lesson, device="app-device-0001")
    client.force_login(worker.user)
    base = f"/api/v1/learning/lessons/{drawing_lesson.pk}/checkpoints/"
    body = {"session": str(player.session.pk), "device": player.device}
    key = moments[0]["id"]
    shown = client.post(f"{base}{key}", body, content_type="application/json")
    assert shown.status_code == 200, shown.content
    assert "answer" not in shown.json()
    answered = client.post(
        f"{base}{key}/answer", {**body, "chosen": [3]}, content_type="application/json"
    )
    assert answered.json() == {"correct": True, "passed": True, "rewind_to": None}


def _api_open(client, lesson, device):
    """A play token, and a play session opened with it, through the API."""
    base = f"/api/v1/learning/lessons/{lesson.pk}"
    token = client.post(
        f"{base}/play-token", device, content_type="application/json"
    ).json()["token"]
    opened = client.post(
        f"{base}/play", {"token": token, **device}, content_type="application/json"
    )
    return token, opened


def test_the_api_lists_the_drawn_questions_when_it_opens_a_session(
    client, worker, drawing_lesson
):
    """An app opening a play session gets the learner's questions drawn from the
    bank, as the portal's player does (same keys and moments), with their text and
    options but never their answers, and answers one through the API."""
    client.force_login(worker.user)
    base = f"/api/v1/learning/lessons/{drawing_lesson.pk}"
    device = {"device": "app-device-0001"}
    _token, opened = _api_open(client, drawing_lesson, device)
    assert opened.status_code == 200, opened.content
    listed = opened.json()["checkpoints"]
    portal = lesson_checkpoints(worker=worker, lesson=drawing_lesson)
    assert [(c["key"], c["at"]) for c in listed] == [(c["id"], c["at"]) for c in portal]
    assert len(listed) == 2 and all(c["key"].startswith("b") for c in listed)
    for item in listed:
        question = Question.objects.get(pk=item["key"][1:])
        assert item == {
            "key": item["key"],
            "at": item["at"],
            "kind": "single",
            "prompt": question.prompt,
            "options": ["甲", "乙", "丙"],
        }
    body = {"session": opened.json()["session"], **device}
    key = listed[0]["key"]
    shown = client.post(
        f"{base}/checkpoints/{key}", body, content_type="application/json"
    )
    assert shown.status_code == 200, shown.content
    answered = client.post(
        f"{base}/checkpoints/{key}/answer",
        {**body, "chosen": [3]},
        content_type="application/json",
    )
    assert answered.json() == {"correct": True, "passed": True, "rewind_to": None}
    assert _progress(worker, drawing_lesson).checkpoints_passed == [key]


def test_the_api_lists_authored_questions_by_their_id(client, worker, quiz_lesson):
    client.force_login(worker.user)
    player = Player(worker, quiz_lesson, device="app-device-0001")
    token = play_token_issue(worker=worker, lesson=quiz_lesson, device=player.device)
    opened = client.post(
        f"/api/v1/learning/lessons/{quiz_lesson.pk}/play",
        {"token": token, "device": player.device},
        content_type="application/json",
    ).json()
    first, second = quiz_lesson.checkpoints.order_by("at_seconds")
    assert [(c["key"], c["at"], c["kind"]) for c in opened["checkpoints"]] == [
        (str(first.pk), 30, "single"),
        (str(second.pk), 60, "multiple"),
    ]
    assert "answer" not in json.dumps(opened)


def test_another_lessons_question_is_refused(worker, quiz_lesson, lesson):
    other = VideoCheckpoint.objects.create(
        lesson=lesson, at_seconds=5, kind="true_false", prompt="对吗？", answer="1"
    )
    player = Player(worker, quiz_lesson)
    with pytest.raises(PlayRefused):
        player.show(other)


# --- The API enforces the same rules -----------------------------------------------------
def test_api_enforces_the_same_rules(client, worker, lesson):
    client.force_login(worker.user)
    base = f"/api/v1/learning/lessons/{lesson.pk}"
    device = {"device": "app-device-0001"}
    token, opened = _api_open(client, lesson, device)
    assert opened.status_code == 200, opened.content
    session = opened.json()["session"]
    again = client.post(
        f"{base}/play", {"token": token, **device}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "token_used"
    beat = {"session": session, "seq": 1, "played": [[0, 60]], "paused": True}
    first = client.post(
        f"{base}/heartbeat", {**beat, **device}, content_type="application/json"
    )
    assert first.status_code == 200
    assert first.json()["added_seconds"] <= 1  # no real time has passed
    replay = client.post(
        f"{base}/heartbeat", {**beat, **device}, content_type="application/json"
    )
    assert replay.status_code == 409 and replay.json()["code"] == "replay"
    assert not CreditEntry.objects.exists()


def test_an_ordinary_heartbeat_makes_five_queries(
    client, worker, lesson, django_assert_num_queries, settings
):
    """The portal's heartbeat mid-lesson (no prompt, question or completion): the
    session and the user (sign-in), then the session and its progress read locked
    with the lesson's length, and one UPDATE of each; the savepoint pair is the
    test's own transaction. No Wagtail page, policy or worker query: a change that
    adds one fails here. Sessions in the database whatever the run's settings (with
    Redis, production reads them from the cache: one query less)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    player = Player(worker, lesson)
    client.force_login(worker.user)
    client.cookies["lms_device"] = player.device
    url = reverse("courses:heartbeat", args=[lesson.pk])

    def beat(seq, played):
        player.now += dt.timedelta(seconds=10)
        body = {"session": str(player.session.pk), "seq": seq, "played": played}
        with time_machine.travel(player.now, tick=False):
            return client.post(url, json.dumps(body), content_type="application/json")

    beat(1, [[0, 10]])  # reads the year's policy (kept per process for a minute)
    with django_assert_num_queries(5 + 2):
        response = beat(2, [[10, 20]])
    assert (response.json()["added"], response.json()["pending_seconds"]) == (10, 20)


def test_an_api_heartbeat_makes_the_same_queries(
    client, worker, lesson, django_assert_num_queries, settings
):
    """The API's heartbeat pays no query to look up the worker (only a refused
    caller is checked for being one)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    player = Player(worker, lesson, device="app-device-0001")
    client.force_login(worker.user)
    url = f"/api/v1/learning/lessons/{lesson.pk}/heartbeat"

    def beat(seq, played):
        player.now += dt.timedelta(seconds=10)
        body = {"session": str(player.session.pk), "seq": seq, "played": played}
        with time_machine.travel(player.now, tick=False):
            return client.post(
                url, {**body, "device": player.device}, content_type="application/json"
            )

    beat(1, [[0, 10]])
    with django_assert_num_queries(5 + 2):
        response = beat(2, [[10, 20]])
    assert response.json()["added_seconds"] == 10


def test_silent_sessions_are_ended_and_their_prompt_missed(
    worker, course, prompt_every_30s
):
    """A browser that crashed with a prompt on screen: the sweep records the miss
    and loses the pending seconds; a silent session without a prompt keeps what it
    played. Active sessions that beat recently are left alone."""
    from courses.services import play_sessions_stale_close

    crashed_lesson, quiet_lesson = (make_lesson(course, duration=120) for _ in "ab")
    crashed = Player(worker, crashed_lesson)
    for s in (0, 10, 20):
        crashed.beat([[s, s + 10]])
    colleague = WorkerFactory(community=worker.community)
    quiet = Player(colleague, quiet_lesson, now=crashed.now)
    quiet.beat([[0, 10]])
    assert play_sessions_stale_close(now=quiet.now + dt.timedelta(minutes=29)) == 0
    assert play_sessions_stale_close(now=quiet.now + dt.timedelta(minutes=31)) == 2
    assert PresencePrompt.objects.get().missed_at is not None
    assert _progress(worker, crashed_lesson).unique_seconds == 0
    assert _progress(colleague, quiet_lesson).unique_seconds == 10
    assert set(PlaySession.objects.values_list("state", flat=True)) == {
        PlayState.STOPPED,
        PlayState.ENDED,
    }


def test_presence_range_must_be_ordered():
    """An administrator cannot save a longest gap below the shortest one."""
    from django.core.exceptions import ValidationError

    policy = YearPolicy(year=2026, presence_min_seconds=900, presence_max_seconds=600)
    with pytest.raises(ValidationError) as info:
        policy.full_clean()
    assert "presence_max_seconds" in info.value.message_dict
