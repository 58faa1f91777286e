"""Pure rules of the course library: played intervals, credit, study hours, tests,
file types. No ORM and no settings here; the numbers come in as arguments."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

Interval = tuple[int, int]


# --- Played intervals ----------------------------------------------------------------
def merge_intervals(intervals) -> list[Interval]:
    """Sorted, non-overlapping [start, end) intervals covering the same seconds;
    touching intervals are joined and empty ones dropped."""
    items = sorted((int(s), int(e)) for s, e in intervals if int(e) > int(s))
    merged: list[Interval] = []
    for start, end in items:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def covered_seconds(intervals) -> int:
    return sum(end - start for start, end in merge_intervals(intervals))


def clip_intervals(intervals, duration: int) -> list[Interval]:
    """Intervals cut to [0, duration)."""
    out = []
    for s, e in intervals:
        s, e = max(0, int(s)), min(duration, int(e))
        if e > s:
            out.append((s, e))
    return out


def trim_to_budget(intervals, budget: int) -> list[Interval]:
    """Keep the first `budget` seconds of `intervals` (in the order given): what a
    heartbeat may add is never more than the wall-clock time it covers allows."""
    out = []
    left = max(0, int(budget))
    for s, e in intervals:
        if left <= 0:
            break
        length = min(e - s, left)
        if length > 0:
            out.append((s, s + length))
            left -= length
    return out


# --- The play session's clock --------------------------------------------------------
def beat_window(*, since_open: float, since_last: float | None, max_gap: int) -> float:
    """Real seconds one heartbeat covers: the time since the session's previous
    accepted beat (since the server opened it, for the first), at most `max_gap` so
    that time away (a closed lid, a long pause) never turns into credit."""
    window = since_open if since_last is None else since_last
    return max(0.0, min(float(window), float(max_gap)))


def beat_budget(*, clock_seconds: float, played_seconds: int, window: float) -> int:
    """New seconds a beat may add. `clock_seconds` is the real time the session has
    counted so far (this beat's window included) and `played_seconds` what it has
    already added: the session never adds more than the real time since it was
    opened, and one beat never more than its own window."""
    return max(0, min(int(clock_seconds) - int(played_seconds), math.ceil(window)))


@dataclass(frozen=True)
class FoldResult:
    pending: list[Interval]
    added_seconds: int
    rejected_seconds: int


def fold_segments(*, stored, pending, played, limit: int, budget: int) -> FoldResult:
    """Add the segments `played` since the previous beat to `pending` (played but
    not yet confirmed present). Only seconds before `limit` (the first unanswered
    question inside the video, or the end) and covered by neither `stored` nor
    `pending` count, the first `budget` of them in the order played: seeking ahead,
    replaying and playing faster add nothing."""
    segments = clip_intervals(played, max(0, int(limit)))
    fresh = subtract_intervals(segments, list(stored) + list(pending))
    wanted = sum(e - s for s, e in fresh)
    kept = trim_to_budget(fresh, budget)
    added = sum(e - s for s, e in kept)
    return FoldResult(
        pending=merge_intervals(list(pending) + kept),
        added_seconds=added,
        rejected_seconds=wanted - added,
    )


def credit_limit(checkpoints, passed, duration: int) -> int:
    """Where credit stops: at the first question inside the video (`checkpoints`,
    (id, at_seconds) pairs) not yet passed, else at the end of the lesson."""
    for checkpoint_id, at in sorted(checkpoints, key=lambda c: c[1]):
        if checkpoint_id not in passed:
            return min(int(at), int(duration))
    return int(duration)


def rewind_target(checkpoint_times, at: int) -> int:
    """After a wrong answer at `at`: the previous question's moment, or the start."""
    earlier = [int(t) for t in checkpoint_times if int(t) < int(at)]
    return max(earlier, default=0)


def rewatch_fold(*, done, played, start: int, end: int, budget: int) -> list[Interval]:
    """After wrong answers the segment [start, end) must be played again: add the
    seconds of `played` inside it not yet in `done`, the first `budget` of them (the
    beat's real time), so a forged beat cannot claim a re-watch it had no time for."""
    inside = [(max(s, start), min(e, end)) for s, e in clip_intervals(played, end)]
    fresh = subtract_intervals([(s, e) for s, e in inside if e > s], done)
    return merge_intervals(list(done) + trim_to_budget(fresh, budget))


# However short the segment before a question (one in the lesson's first seconds has
# next to nothing before it), guessing again waits this much real time.
REWATCH_MIN_SECONDS = 10


def rewatch_complete(*, done, start: int, end: int, share, waited: float) -> bool:
    """Whether the segment [start, end) to watch again after wrong answers (from the
    previous question's moment, or the start, to the question's) has been: `share`
    of it played again (`done`, counted within each beat's real time by
    `rewatch_fold`), and at least REWATCH_MIN_SECONDS of real time `waited` since
    the wrong answer, so that each guess costs real time even when the segment is
    empty or a second long."""
    length = max(0, int(end) - int(start))
    watched = Decimal(covered_seconds(done)) >= Decimal(length) * Decimal(share)
    return watched and waited >= REWATCH_MIN_SECONDS


CHECKPOINT_EDGE_SECONDS = 15


def checkpoint_moments(duration: int, count: int, rng) -> list[int]:
    """`count` distinct moments (seconds) for questions drawn from a bank, at random
    within the lesson and away from its first and last seconds (15 s, or a tenth of
    a shorter lesson); fewer when the lesson is too short to hold them."""
    edge = min(CHECKPOINT_EDGE_SECONDS, int(duration) // 10)
    moments = range(max(1, edge), int(duration) - edge)
    return sorted(rng.sample(moments, min(int(count), len(moments))))


def next_prompt_gap(low: int, high: int, draw: float) -> int:
    """Seconds of play until the next presence prompt, `draw` in [0, 1)."""
    low, high = int(low), max(int(low), int(high))
    return low + int(draw * (high - low + 1))


def prompt_overdue(*, shown_seconds_ago: float, timeout: int) -> bool:
    return shown_seconds_ago > timeout


def lesson_earns(duration_seconds: int, min_seconds: int) -> bool:
    """A lesson shorter than the year's minimum earns no credit."""
    return int(duration_seconds) >= int(min_seconds)


def subtract_intervals(intervals, cover) -> list[Interval]:
    """The parts of `intervals` not in `cover` (both lists of [start, end))."""
    cover = merge_intervals(cover)
    out: list[Interval] = []
    for s, e in intervals:
        s, e = int(s), int(e)
        for cs, ce in cover:
            if ce <= s or cs >= e:
                continue
            if cs > s:
                out.append((s, cs))
            s = max(s, ce)
            if s >= e:
                break
        if e > s:
            out.append((s, e))
    return out


def is_complete(unique_seconds: int, duration: int, share: Decimal) -> bool:
    """A lesson is complete once the unique seconds played reach `share` of it."""
    if duration <= 0:
        return False
    return Decimal(unique_seconds) >= Decimal(duration) * Decimal(share)


# --- Study hours ---------------------------------------------------------------------
@dataclass(frozen=True)
class OnlinePolicy:
    """The numbers of one year's online-study rules (see courses.policy)."""

    long_lesson_minutes: int = 30
    short_lesson_minutes: int = 15
    long_lesson_hours: Decimal = Decimal("1")
    medium_lesson_hours: Decimal = Decimal("0.5")
    micro_lesson_hours: Decimal = Decimal("0.25")
    passed_test_hours: Decimal = Decimal("0.5")
    hours_per_day: Decimal = Decimal("6")
    complete_share: Decimal = Decimal("0.9")
    hidden_stops_credit: bool = True
    min_lesson_seconds: int = 60
    daily_cap_hours: Decimal = Decimal("4")
    presence_min_seconds: int = 600
    presence_max_seconds: int = 1200
    presence_timeout_seconds: int = 60
    checkpoint_wrong_rewinds: bool = True
    checkpoint_wrong_limit: int = 1


def lesson_hours(duration_seconds: int, policy: OnlinePolicy) -> Decimal:
    """学时 for a completed lesson: ≥ long → long hours, ≥ short → medium, else micro."""
    minutes = Decimal(duration_seconds) / 60
    if minutes >= policy.long_lesson_minutes:
        return policy.long_lesson_hours
    if minutes >= policy.short_lesson_minutes:
        return policy.medium_lesson_hours
    return policy.micro_lesson_hours


def hours_to_days(hours: Decimal, policy: OnlinePolicy) -> Decimal:
    return (Decimal(hours) / Decimal(policy.hours_per_day)).quantize(Decimal("0.01"))


# --- Course completion ---------------------------------------------------------------
def completion_source_key(lesson_id: int, kind: str) -> str | None:
    """The ledger source a lesson's completion is credited under: a video watched to
    the year's share (``lesson:<id>``) or a passed test (``test:<id>``). Slides and
    text record no completion and earn no credit: None."""
    if kind == "video":
        return f"lesson:{lesson_id}"
    if kind == "test":
        return f"test:{lesson_id}"
    return None


def lessons_left(lessons, credited, watched=frozenset()) -> list[int]:
    """Ids of the `lessons` ((id, kind) pairs) that record completion and whose
    source is not among the `credited` ledger sources, nor among the `watched`
    lessons (ids of videos shorter than the year's minimum, which earn no credit,
    watched through: see `short_lesson_counts`): a course is complete when this is
    empty and at least one of its lessons records completion."""
    left = []
    for lesson_id, kind in lessons:
        key = completion_source_key(lesson_id, kind)
        if key is not None and key not in credited and lesson_id not in watched:
            left.append(lesson_id)
    return left


def short_lesson_counts(*, duration_seconds: int, min_seconds: int) -> bool:
    """Decision on short lessons: a video shorter than the year's minimum earns no
    ledger credit (`lesson_earns`), yet once watched through (the server's own
    record of the seconds played, to the year's share) it counts as done for its
    course's completion, so a course holding a short clip can still be completed
    and certified. The certificate's hours stay those credited."""
    return not lesson_earns(duration_seconds, min_seconds)


# --- Tests ---------------------------------------------------------------------------
_ANSWER = re.compile(r"^\s*\d+\s*(,\s*\d+\s*)*$")


def parse_answer(text: str) -> frozenset[int] | None:
    """'1,3' → {1, 3}; None when it is not a list of option numbers."""
    text = (text or "").replace("，", ",")
    if not _ANSWER.match(text):
        return None
    return frozenset(int(part) for part in text.split(","))


MAX_OPTIONS = 6  # A–F


def fill_in_answers(text: str) -> list[str]:
    """The accepted answers of a fill-in question ('社区|社区居委会'), normalised."""
    return [a for a in (normalise_text(part) for part in text.split("|")) if a]


def normalise_text(text) -> str:
    """A typed answer compared without surrounding or inner blanks, full-width forms
    folded to half-width and letters in lower case."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(text.split()).lower()


def question_problem(*, kind: str, option_count: int, answer: str) -> str | None:
    """What is wrong with a question, as a code, or None."""
    if kind == "fill_in":
        if option_count:
            return "fill_in_no_options"
        return None if fill_in_answers(answer) else "fill_in_needs_answer"
    answers = parse_answer(answer)
    if answers is None:
        return "bad_answer"
    if kind != "true_false" and option_count < 2:
        return "too_few_options"
    if option_count > MAX_OPTIONS:
        return "too_many_options"
    if any(a < 1 or a > option_count for a in answers):
        return "out_of_range"
    if kind in ("single", "true_false") and len(answers) != 1:
        return "single_needs_one"
    if kind == "multiple" and len(answers) < 2:
        return "multiple_needs_two"
    return None


def is_right(kind: str, answer: str, given) -> bool:
    """Whether `given` (option numbers, or the typed text of a fill-in) is exactly
    the right answer: every right option and no other."""
    if kind == "fill_in":
        return isinstance(given, str) and normalise_text(given) in fill_in_answers(
            answer
        )
    if isinstance(given, str):
        return False
    return frozenset(given or ()) == parse_answer(answer)


def grade(questions, answers: dict) -> tuple[int, list[int]]:
    """Score in percent and the ids of the questions answered wrongly.

    `questions` is [(id, kind, answer)], `answers` {id: option numbers or text}; a
    question counts only when exactly right."""
    if not questions:
        return 0, []
    wrong = [
        qid
        for qid, kind, answer in questions
        if not is_right(kind, answer, answers.get(qid))
    ]
    return round(100 * (len(questions) - len(wrong)) / len(questions)), wrong


# --- Drawing a paper ------------------------------------------------------------------
def draw_paper(pools: list[tuple[list[int], int]], rng) -> list[int]:
    """The question ids of one attempt: from each rule's pool, `count` ids at random,
    never one question twice across rules, all in a shuffled order.

    Raises ValueError when a pool holds fewer questions than its rule asks for.
    """
    taken: set[int] = set()
    chosen: list[int] = []
    for pool, count in pools:
        available = [qid for qid in pool if qid not in taken]
        if len(available) < count:
            raise ValueError("pool too small")
        picked = rng.sample(available, count)
        taken.update(picked)
        chosen.extend(picked)
    rng.shuffle(chosen)
    return chosen


def option_count(kind: str, options: str) -> int:
    """How many options a question shows: 2 for true/false, none for fill-in."""
    if kind == "true_false":
        return 2
    if kind == "fill_in":
        return 0
    return len([line for line in options.splitlines() if line.strip()])


def shuffle_options(ids: list[int], options: dict, rng) -> list[list]:
    """The paper: [[id, [original option numbers in the order shown]]]; `options` is
    {id: (number of options, whether to shuffle them)}."""
    paper = []
    for qid in ids:
        count, shuffle = options[qid]
        order = list(range(1, count + 1))
        if shuffle:
            rng.shuffle(order)
        paper.append([qid, order])
    return paper


def attempt_deadline(started_at, time_limit_minutes: int):
    """When an attempt must end, or None without a time limit."""
    if not time_limit_minutes:
        return None
    return started_at + dt.timedelta(minutes=time_limit_minutes)


# --- File types by content ----------------------------------------------------------
def sniff_media_type(head: bytes) -> str | None:
    """The type of a file from its first bytes: 'video/mp4', 'video/webm',
    'application/pdf', or None. Names and declared types are never trusted."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # EBML header; WebM says so in its DocType.
        if b"webm" in head[:64]:
            return "video/webm"
        return None
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in {
            b"isom",
            b"iso2",
            b"iso4",
            b"iso5",
            b"iso6",
            b"mp41",
            b"mp42",
            b"avc1",
            b"M4V ",
            b"dash",
            b"MSNV",
        }:
            return "video/mp4"
    return None


KIND_TYPES = {"video": {"video/mp4", "video/webm"}, "slides": {"application/pdf"}}
