"""Pure rules of online learning, tests and files: no database."""

import random
from decimal import Decimal

import pytest

from courses.rules import (
    REWATCH_MIN_SECONDS,
    OnlinePolicy,
    beat_budget,
    beat_window,
    checkpoint_moments,
    completion_source_key,
    covered_seconds,
    credit_limit,
    draw_paper,
    fold_segments,
    grade,
    hours_to_days,
    is_complete,
    lesson_earns,
    lesson_hours,
    lessons_left,
    merge_intervals,
    next_prompt_gap,
    parse_answer,
    prompt_overdue,
    question_problem,
    rewatch_complete,
    rewatch_fold,
    rewind_target,
    short_lesson_counts,
    shuffle_options,
    sniff_media_type,
    subtract_intervals,
)
from lms.accounts.files import parse_range

POLICY = OnlinePolicy()


def fold(stored, played, *, pending=(), budget=10, limit=600):
    return fold_segments(
        stored=stored, pending=list(pending), played=played, limit=limit, budget=budget
    )


def test_merge_intervals_joins_overlapping_and_touching():
    assert merge_intervals([(10, 20), (0, 5), (5, 8), (15, 30), (40, 40)]) == [
        (0, 8),
        (10, 30),
    ]


def test_covered_seconds_counts_each_second_once():
    assert covered_seconds([(0, 10), (5, 15), (5, 15)]) == 15


def test_subtract_intervals_keeps_only_uncovered_parts():
    assert subtract_intervals([(0, 30)], [(5, 10), (20, 25)]) == [
        (0, 5),
        (10, 20),
        (25, 30),
    ]


def test_fold_credits_played_segment_as_pending():
    r = fold([], [(0, 10)])
    assert (r.pending, r.added_seconds, r.rejected_seconds) == ([(0, 10)], 10, 0)


def test_seek_ahead_adds_only_what_was_played():
    """Played 0–10, jumped to 300 and played 300–305: 5 s more, not 295."""
    r = fold([(0, 10)], [(300, 305)])
    assert r.pending == [(300, 305)] and r.added_seconds == 5


def test_replaying_watched_or_pending_part_adds_nothing():
    assert fold([(0, 60)], [(20, 30)]).added_seconds == 0
    assert fold([], [(20, 30)], pending=[(0, 60)]).added_seconds == 0


def test_faster_than_real_time_is_cut_to_the_budget():
    """40 s claimed within a 10 s budget: 10 s added, 30 s refused."""
    r = fold([], [(0, 40)], budget=10)
    assert (r.pending, r.added_seconds, r.rejected_seconds) == ([(0, 10)], 10, 30)


def test_nothing_counts_past_the_credit_limit():
    """An unanswered question at 30 s: playing 20–50 adds only 20–30."""
    r = fold([], [(20, 50)], budget=30, limit=30)
    assert r.pending == [(20, 30)] and r.added_seconds == 10


def test_segments_beyond_duration_are_clipped():
    assert fold([], [(55, 70)], limit=60).pending == [(55, 60)]


def test_first_beat_window_is_the_time_since_opening():
    """No grant on the first beat: 3.2 s after opening covers 3.2 s."""
    assert beat_window(since_open=3.2, since_last=None, max_gap=25) == 3.2
    assert beat_window(since_open=3600, since_last=None, max_gap=25) == 25
    assert beat_window(since_open=100, since_last=7.5, max_gap=25) == 7.5
    assert beat_window(since_open=100, since_last=-4, max_gap=25) == 0


def test_budget_never_exceeds_the_real_time_since_opening():
    """Beats 0.5 s apart each count 0.5 s: the session clock (floored) bounds the
    total, so 10 beats in 5 s add 5 s, not the 10 s that rounding each up would."""
    clock, played = 0.0, 0
    for _ in range(10):
        clock += 0.5
        budget = beat_budget(clock_seconds=clock, played_seconds=played, window=0.5)
        assert played + budget <= clock
        played += budget
    assert played == 5


def test_budget_of_one_beat_is_at_most_its_window():
    """Time the session counted while hidden or prompting is not caught up later."""
    assert beat_budget(clock_seconds=300, played_seconds=0, window=10) == 10
    assert beat_budget(clock_seconds=300, played_seconds=295, window=10) == 5
    assert beat_budget(clock_seconds=3, played_seconds=5, window=10) == 0


def test_credit_limit_is_the_first_question_not_passed():
    checkpoints = [(7, 120), (5, 30), (9, 300)]
    assert credit_limit(checkpoints, set(), 600) == 30
    assert credit_limit(checkpoints, {5}, 600) == 120
    assert credit_limit(checkpoints, {5, 7, 9}, 600) == 600
    assert credit_limit([(1, 900)], set(), 600) == 600


def test_rewind_goes_to_the_previous_question_or_the_start():
    assert rewind_target([30, 120, 300], 120) == 30
    assert rewind_target([30, 120, 300], 30) == 0


@pytest.mark.parametrize(("draw", "gap"), [(0.0, 600), (0.5, 900), (0.999999, 1200)])
def test_next_prompt_gap_stays_within_the_range(draw, gap):
    assert next_prompt_gap(600, 1200, draw) == gap


def test_prompt_overdue_after_the_timeout():
    assert not prompt_overdue(shown_seconds_ago=60, timeout=60)
    assert prompt_overdue(shown_seconds_ago=60.5, timeout=60)


def test_short_lesson_earns_nothing():
    assert not lesson_earns(59, 60)
    assert lesson_earns(60, 60)


def test_completion_at_share():
    assert is_complete(54, 60, Decimal("0.9"))
    assert not is_complete(53, 60, Decimal("0.9"))
    assert not is_complete(0, 0, Decimal("0.9"))


@pytest.mark.parametrize(
    ("seconds", "hours"),
    [
        (30 * 60, Decimal("1")),
        (45 * 60, Decimal("1")),
        (30 * 60 - 1, Decimal("0.5")),
        (15 * 60, Decimal("0.5")),
        (15 * 60 - 1, Decimal("0.25")),
        (60, Decimal("0.25")),
    ],
)
def test_lesson_hours_follow_policy_bands(seconds, hours):
    assert lesson_hours(seconds, POLICY) == hours


def test_lesson_hours_use_the_numbers_given():
    policy = OnlinePolicy(long_lesson_minutes=40, long_lesson_hours=Decimal("2"))
    assert lesson_hours(40 * 60, policy) == Decimal("2")
    assert lesson_hours(35 * 60, policy) == Decimal("0.5")


def test_six_hours_make_one_day():
    assert hours_to_days(Decimal("6"), POLICY) == Decimal("1.00")
    assert hours_to_days(Decimal("0.5"), POLICY) == Decimal("0.08")


def test_parse_answer():
    assert parse_answer("1,3") == frozenset({1, 3})
    assert parse_answer("2，4") == frozenset({2, 4})
    assert parse_answer("A") is None


@pytest.mark.parametrize(
    ("kind", "count", "answer", "problem"),
    [
        ("single", 4, "2", None),
        ("single", 4, "1,2", "single_needs_one"),
        ("multiple", 4, "1,3", None),
        ("multiple", 3, "4", "out_of_range"),
        ("multiple", 1, "1", "too_few_options"),
        ("true_false", 2, "2", None),
        ("true_false", 2, "x", "bad_answer"),
        ("multiple", 4, "2", "multiple_needs_two"),
        ("single", 7, "1", "too_many_options"),
        ("fill_in", 0, "网格|网格单元", None),
        ("fill_in", 0, " | ", "fill_in_needs_answer"),
        ("fill_in", 2, "网格", "fill_in_no_options"),
    ],
)
def test_question_problem(kind, count, answer, problem):
    assert question_problem(kind=kind, option_count=count, answer=answer) == problem


def test_grade_counts_exact_answers_only():
    """Exactly the right options, or an accepted text (blanks, case and full-width
    forms aside); anything else, a missing answer included, is wrong."""
    questions = [
        (1, "single", "2"),
        (2, "multiple", "1,3"),
        (3, "true_false", "1"),
        (4, "fill_in", "网格|Grid"),
        (5, "fill_in", "网格"),
        (6, "single", "1"),
    ]
    answers = {1: [2], 2: [1], 3: [1], 4: " ＧＲＩＤ ", 5: ["网格"]}
    assert grade(questions, answers) == (50, [2, 5, 6])


def test_draw_paper_takes_each_rules_count_without_repeats():
    """Overlapping pools never give one question twice; a short pool is refused."""
    rng = random.Random(3)
    ids = draw_paper([([1, 2, 3, 4], 2), ([3, 4, 5, 6, 7], 3)], rng)
    assert len(ids) == 5 and len(set(ids)) == 5
    assert len(set(ids) & {1, 2, 3, 4}) >= 2
    with pytest.raises(ValueError):
        draw_paper([([1, 2], 2), ([1, 2], 1)], rng)


def test_shuffle_options_keeps_true_false_in_order():
    paper = shuffle_options(
        [7, 8, 9], {7: (4, True), 8: (2, False), 9: (0, False)}, random.Random(1)
    )
    assert sorted(paper[0][1]) == [1, 2, 3, 4]
    assert paper[1:] == [[8, [1, 2]], [9, []]]


def test_sniff_media_type_by_content():
    assert sniff_media_type(b"%PDF-1.7 ...") == "application/pdf"
    assert sniff_media_type(b"\x00\x00\x00\x20ftypisom\x00\x00") == "video/mp4"
    assert (
        sniff_media_type(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm")
        == "video/webm"
    )
    assert sniff_media_type(b"MZ\x90\x00 an exe renamed .mp4") is None
    assert sniff_media_type(b"\x1a\x45\xdf\xa3 matroska") is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=900-5000", (900, 999)),
        ("bytes=1000-", False),
        ("bytes=5-1", False),
        ("bytes=0-1,5-9", None),
        ("items=0-1", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1000) == expected


def test_completion_source_keys_by_lesson_kind():
    """Videos and tests record completion in the ledger; slides and text do not."""
    assert completion_source_key(7, "video") == "lesson:7"
    assert completion_source_key(8, "test") == "test:8"
    assert completion_source_key(9, "slides") is None
    assert completion_source_key(10, "text") is None


def test_lessons_left_ignores_lessons_without_completion():
    lessons = [(1, "video"), (2, "text"), (3, "test"), (4, "slides"), (5, "video")]
    assert lessons_left(lessons, set()) == [1, 3, 5]
    assert lessons_left(lessons, {"lesson:1", "test:3"}) == [5]
    assert lessons_left(lessons, {"lesson:1", "test:3", "lesson:5"}) == []
    assert lessons_left(lessons, {"test:1", "lesson:3"}) == [1, 3, 5]  # wrong kinds
    assert lessons_left([(2, "text")], set()) == []


def test_a_rewatch_counts_only_its_segment_and_the_beats_real_time():
    done = rewatch_fold(done=[], played=[[0, 60]], start=30, end=60, budget=10)
    assert done == [(30, 40)]
    done = rewatch_fold(done=done, played=[[30, 50]], start=30, end=60, budget=10)
    assert done == [(30, 50)]  # replaying [30, 40) adds nothing
    done = rewatch_fold(done=done, played=[[50, 90]], start=30, end=60, budget=60)
    assert covered_seconds(done) == 30


@pytest.mark.parametrize(
    ("done", "start", "end", "waited", "expected"),
    [
        ([], 30, 60, 100, False),  # nothing played again
        ([(30, 56)], 30, 60, 100, False),  # under 90 % of the segment
        ([(30, 57)], 30, 60, 100, True),
        ([(30, 60)], 30, 60, 9.9, False),  # (a forged beat claiming it at once)
        ([(30, 60)], 30, 60, 10, True),
        ([], 0, 0, 9.9, False),  # a question at the very start: the wait alone
        ([], 0, 0, 10, True),
        ([(0, 1)], 0, 1, 1, False),  # a one-second segment still costs 10 s
        ([(0, 1)], 0, 1, 10, True),
        ([], 40, 40, 10, True),  # two questions at the same moment
    ],
)
def test_a_rewatch_needs_its_segment_and_a_minimum_of_real_time(
    done, start, end, waited, expected
):
    """Watched again: 90 % of the segment since the previous question (the start
    for the first), and REWATCH_MIN_SECONDS since the wrong answer however short
    the segment is."""
    assert REWATCH_MIN_SECONDS == 10
    result = rewatch_complete(
        done=done, start=start, end=end, share=Decimal("0.9"), waited=waited
    )
    assert result is expected


@pytest.mark.parametrize("seed", range(20))
def test_drawn_moments_avoid_the_edges_of_the_lesson(seed):
    moments = checkpoint_moments(600, 5, random.Random(seed))
    assert len(set(moments)) == 5 and moments == sorted(moments)
    assert all(15 <= m < 585 for m in moments)
    short = checkpoint_moments(40, 3, random.Random(seed))
    assert all(4 <= m < 36 for m in short)


def test_a_lesson_too_short_holds_fewer_drawn_moments():
    assert checkpoint_moments(4, 3, random.Random(0)) == [1, 2, 3]
    assert checkpoint_moments(0, 3, random.Random(0)) == []


def test_a_short_lesson_watched_counts_for_its_course():
    lessons = [(1, "video"), (2, "video"), (3, "text")]
    assert lessons_left(lessons, {"lesson:1"}) == [2]
    assert lessons_left(lessons, {"lesson:1"}, {2}) == []
    assert short_lesson_counts(duration_seconds=30, min_seconds=60)
    assert not short_lesson_counts(duration_seconds=60, min_seconds=60)
