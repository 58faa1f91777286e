"""One honest clock per learner: play sessions, heartbeats, presence prompts and
questions inside the video. The portal's player (courses.views) and the API
(api.routers.learning) both call these functions; they hold every rule.

A lesson page hands its player a signed play token bound to the worker, the lesson
and the device; opening a play session spends it (once) and pauses the worker's
other playback. Heartbeats carry a rising number; each may add only the new seconds
played, bounded by the real time its session has counted (never more than the time
since the server opened it). Seconds played since the last presence confirmation
stay pending: confirmed (or the player paused) they reach the lesson's progress; a
missed prompt discards them.
"""

import datetime as dt
import math
import random
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.people.models import Worker

from ..models import (
    CheckpointEvent,
    LessonKind,
    LessonPage,
    LessonProgress,
    PlaySession,
    PlayState,
    PresencePrompt,
    Question,
    QuestionKind,
    VideoCheckpoint,
)
from ..rules import (
    REWATCH_MIN_SECONDS,
    beat_budget,
    beat_window,
    checkpoint_moments,
    credit_limit,
    fold_segments,
    is_complete,
    is_right,
    lesson_earns,
    merge_intervals,
    next_prompt_gap,
    prompt_overdue,
    rewatch_complete,
    rewatch_fold,
    rewind_target,
)
from .learning import (
    LearningError,
    credit_lesson,
    lesson_credited_on_commit,
    policy_cached,
)

TOKEN_SALT = "courses.play-token"  # noqa: S105 - a signing namespace, not a secret
_draw = random.SystemRandom()


class PlayRefused(LearningError):
    """A request the play session refuses; nothing changed. `code` says why."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def max_gap_seconds() -> int:
    """The longest real time one heartbeat may count: time away never turns into
    credit."""
    return 2 * settings.LESSON_HEARTBEAT_SECONDS + 5


# --- Input --------------------------------------------------------------------------
def _number(value, *, message, upper=10**7) -> int:
    try:
        number = float(value if value is not None else 0)
    except (TypeError, ValueError):
        raise LearningError(message) from None
    if not (0 <= number <= upper):  # also refuses NaN and infinities
        raise LearningError(message)
    return int(number)


def _parse_segments(played) -> list[tuple[int, int]]:
    if played is None:
        return []
    if not isinstance(played, list) or len(played) > 50:
        raise LearningError(_("Invalid playback segments."))
    segments = []
    for item in played:
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise LearningError(_("Invalid playback segments."))
        start, end = (_number(x, message=_("Invalid playback segments.")) for x in item)
        if end > start:
            segments.append((start, end))
    return segments


# --- Token and opening ----------------------------------------------------------------
def play_token_issue(*, worker, lesson: LessonPage, device: str) -> str:
    """A signed, single-use token that opens one play session of `lesson` for
    `worker` on `device`."""
    return signing.dumps(
        {"w": worker.pk, "l": lesson.pk, "d": device, "n": secrets.token_hex(16)},
        salt=TOKEN_SALT,
        compress=True,
    )


def _token_refused():
    return PlayRefused(
        "token", _("This player has expired. Reload the page to continue.")
    )


def _day_start(now):
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def play_session_open(
    *,
    user_id: int,
    lesson_id: int,
    token: str,
    device: str,
    ip_address: str | None = None,
    user_agent: str = "",
    now=None,
) -> PlaySession:
    """Spend a play token: open a play session and pause the worker's others."""
    now = now or timezone.now()
    try:
        data = signing.loads(
            str(token or ""),
            salt=TOKEN_SALT,
            max_age=settings.LESSON_PLAY_TOKEN_SECONDS,
        )
    except signing.BadSignature:
        raise _token_refused() from None
    worker = Worker.objects.filter(user_id=user_id).first()
    if (
        worker is None
        or not isinstance(data, dict)
        or data.get("w") != worker.pk
        or data.get("l") != lesson_id
        or not device
        or data.get("d") != device
    ):
        raise _token_refused()
    if PlaySession.objects.filter(nonce=data["n"]).exists():
        raise PlayRefused(
            "token_used", _("This play token was already used. Reload the page.")
        )
    lesson = (
        LessonPage.objects.live().filter(pk=lesson_id, kind=LessonKind.VIDEO).first()
    )
    if lesson is None:
        raise PlayRefused("not_found", _("This lesson cannot be played."))
    policy = policy_cached(timezone.localdate(now).year)
    progress, _created = LessonProgress.objects.get_or_create(
        worker=worker, lesson=lesson
    )
    others = _sessions_locked().filter(worker=worker, state=PlayState.ACTIVE)
    for other in others:
        _session_close(other, state=PlayState.SUPERSEDED, policy=policy, now=now)
    day_base = (
        PlaySession.objects.filter(
            worker=worker, opened_at__gte=_day_start(now)
        ).aggregate(total=Sum("credited_seconds"))["total"]
        or 0
    )
    progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    _checkpoints_draw(lesson, progress)
    session = PlaySession(
        worker=worker,
        lesson=lesson,
        progress=progress,
        nonce=data["n"],
        device=device[:64],
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:200],
        opened_at=now,
        day_base_seconds=day_base,
        credit_limit=_credit_limit(lesson, progress),
        next_prompt_at=_next_prompt(policy, 0),
    )
    session.full_clean(exclude=["progress", "worker", "lesson"])
    try:
        with transaction.atomic():
            session.save(force_insert=True)
    except IntegrityError:
        raise PlayRefused(
            "busy", _("Another page is starting to play. Please try again.")
        ) from None
    return session


def _next_prompt(policy, played_seconds: int) -> int:
    return played_seconds + next_prompt_gap(
        policy.presence_min_seconds, policy.presence_max_seconds, _draw.random()
    )


# --- Closing, committing, prompts -------------------------------------------------------
def _commit_pending(session, policy, now) -> None:
    """Move the session's pending seconds into the lesson's progress; credit the
    lesson in the ledger when this completes it (and it is long enough to earn)."""
    progress = session.progress
    if session.pending:
        merged = merge_intervals(list(progress.intervals) + list(session.pending))
        unique = sum(e - s for s, e in merged)
        session.credited_seconds += unique - progress.unique_seconds
        progress.intervals = [list(i) for i in merged]
        progress.unique_seconds = unique
        session.pending = []
    if progress.completed_at is None and is_complete(
        progress.unique_seconds, session.lesson_seconds, policy.complete_share
    ):
        progress.completed_at = now
        lesson = session.lesson
        if lesson_earns(lesson.duration_seconds, policy.min_lesson_seconds):
            credit_lesson(progress=progress, lesson=lesson, when=now)
        else:  # no credit, but it may complete its course (short_lesson_counts)
            lesson_credited_on_commit(
                worker_id=progress.worker_id, course=lesson.get_course()
            )


def _prompt_missed(session, now) -> None:
    PresencePrompt.objects.filter(
        session=session, answered_at__isnull=True, missed_at__isnull=True
    ).update(missed_at=now)
    session.prompt_shown_at = None
    session.pending = []
    session.state = PlayState.STOPPED
    session.ended_at = now


def _prompt_overdue(session, policy, now) -> bool:
    return session.prompt_shown_at is not None and prompt_overdue(
        shown_seconds_ago=(now - session.prompt_shown_at).total_seconds(),
        timeout=policy.presence_timeout_seconds,
    )


def _session_close(session, *, state, policy, now) -> None:
    """End a session: an unanswered prompt counts as missed (its pending seconds
    are lost), otherwise the pending seconds are committed."""
    if session.prompt_shown_at is not None:
        _prompt_missed(session, now)
    else:
        _commit_pending(session, policy, now)
    session.state = state if session.state == PlayState.ACTIVE else session.state
    session.ended_at = now
    session.save()
    session.progress.save()


def _sessions_locked():
    """Play sessions locked with their progress, and the length of their lesson
    (`lesson_seconds`): all a heartbeat needs of the lesson, whose page is loaded
    only when some rarer step uses `session.lesson`."""
    return (
        PlaySession.objects.select_for_update(of=("self", "progress"))
        .select_related("progress")
        .annotate(lesson_seconds=F("lesson__duration_seconds"))
    )


def _locked_session(*, user_id, lesson_id, session_id, device) -> PlaySession:
    try:
        session = (
            _sessions_locked()
            .filter(pk=session_id, lesson_id=lesson_id, worker__user_id=user_id)
            .first()
        )
    except Exception as exc:  # a malformed UUID
        if not isinstance(exc, ValidationError):
            raise
        session = None
    if session is None or session.device != device:
        raise PlayRefused(
            "no_session", _("Open the lesson's player before reporting progress.")
        )
    return session


def _refuse_unless_active(session) -> None:
    if session.state == PlayState.SUPERSEDED:
        raise PlayRefused("superseded", _("You are studying on another page."))
    if session.state == PlayState.STOPPED:
        raise PlayRefused(
            "stopped",
            _("Playback stopped: your presence was not confirmed in time."),
        )
    if session.state != PlayState.ACTIVE:
        raise PlayRefused("ended", _("This playback has ended. Reload the page."))


# --- Heartbeats ---------------------------------------------------------------------
@dataclass(frozen=True)
class Beat:
    session: PlaySession
    progress: LessonProgress
    added_seconds: int
    rejected_seconds: int
    prompt_deadline: int | None  # seconds left to confirm presence, when asked


# What a beat that does not end its session may change (a prompt shown, pending
# seconds committed, the lesson completed); each UPDATE writes just these.
BEAT_SESSION_FIELDS = [
    "seq",
    "clock_seconds",
    "last_beat_at",
    "played_seconds",
    "credited_seconds",
    "pending",
    "prompt_shown_at",
]
BEAT_PROGRESS_FIELDS = [
    "position",
    "intervals",
    "unique_seconds",
    "completed_at",
    "rewatch",
]


@transaction.atomic
def play_session_beat(
    *,
    user_id: int,
    lesson_id: int,
    session_id,
    seq,
    position,
    played,
    device: str,
    hidden: bool = False,
    paused: bool = False,
    final: bool = False,
    now=None,
) -> Beat:
    """One heartbeat of a play session: the segments played since the previous one.
    Three queries on the usual path (read the session and progress locked with the
    lesson's length, write both; pinned by a test). A replayed or out-of-order
    number, another page's playback, or a missed presence prompt is refused and
    changes nothing."""
    now = now or timezone.now()
    segments = _parse_segments(played)
    position = _number(position, message=_("Invalid position."))
    seq = _number(seq, message=_("Invalid heartbeat number."), upper=2**31 - 1)
    session = _locked_session(
        user_id=user_id, lesson_id=lesson_id, session_id=session_id, device=device
    )
    if seq <= session.seq:
        raise PlayRefused(
            "replay", _("This heartbeat was already received or is out of order.")
        )
    _refuse_unless_active(session)
    policy = policy_cached(timezone.localdate(now).year)
    progress = session.progress
    window = beat_window(
        since_open=(now - session.opened_at).total_seconds(),
        since_last=None
        if session.last_beat_at is None
        else (now - session.last_beat_at).total_seconds(),
        max_gap=max_gap_seconds(),
    )
    session.clock_seconds += window
    session.seq = seq
    session.last_beat_at = now
    if _prompt_overdue(session, policy, now):
        _prompt_missed(session, now)
        session.save()
        return Beat(session, progress, 0, sum(e - s for s, e in segments), None)
    if session.prompt_shown_at is not None or (hidden and policy.hidden_stops_credit):
        budget = 0
    else:
        budget = beat_budget(
            clock_seconds=session.clock_seconds,
            played_seconds=session.played_seconds,
            window=window,
        )
        day_left = (
            int(policy.daily_cap_hours * 3600)
            - session.day_base_seconds
            - session.played_seconds
        )
        budget = max(0, min(budget, day_left))
    fold = fold_segments(
        stored=progress.intervals,
        pending=session.pending,
        played=segments,
        limit=session.credit_limit,
        budget=budget,
    )
    session.pending = [list(i) for i in fold.pending]
    session.played_seconds += fold.added_seconds
    if progress.rewatch:
        _rewatch_fold(progress, segments, budget - fold.added_seconds, policy, now)
    progress.position = min(position, session.lesson_seconds)
    if session.prompt_shown_at is None and session.played_seconds >= (
        session.next_prompt_at
    ):
        session.prompt_shown_at = now
        PresencePrompt.objects.create(session=session, shown_at=now)
    elif (paused or final) and session.prompt_shown_at is None:
        _commit_pending(session, policy, now)
    if final:
        _session_close(session, state=PlayState.ENDED, policy=policy, now=now)
    else:
        session.save(update_fields=BEAT_SESSION_FIELDS)
        progress.save(update_fields=BEAT_PROGRESS_FIELDS)
    deadline = None
    if session.prompt_shown_at is not None:
        deadline = max(
            0,
            policy.presence_timeout_seconds
            - int((now - session.prompt_shown_at).total_seconds()),
        )
    return Beat(session, progress, fold.added_seconds, fold.rejected_seconds, deadline)


def _rewatch_fold(progress, segments, budget, policy, now) -> None:
    """Count the seconds of the segment to watch again that this beat played (at
    most its real time); once it is watched again (`_rewatched`), the question may
    be asked again."""
    rewatch = progress.rewatch
    done = rewatch_fold(
        done=rewatch["done"],
        played=segments,
        start=rewatch["from"],
        end=rewatch["to"],
        budget=budget,
    )
    progress.rewatch = {**rewatch, "done": [list(i) for i in done]}
    if _rewatched(progress.rewatch, policy, now):
        progress.rewatch = {}


def _rewatched(rewatch, policy, now) -> bool:
    return rewatch_complete(
        done=rewatch["done"],
        start=rewatch["from"],
        end=rewatch["to"],
        share=policy.complete_share,
        waited=now.timestamp() - rewatch.get("since", 0),
    )


@transaction.atomic
def presence_prompt_confirm(
    *, user_id: int, lesson_id: int, session_id, device: str, now=None
) -> PlaySession:
    """The learner confirms a presence prompt: in time, the seconds played since
    the previous confirmation are committed; late, the prompt is missed and the
    session stops (its state says which)."""
    now = now or timezone.now()
    session = _locked_session(
        user_id=user_id, lesson_id=lesson_id, session_id=session_id, device=device
    )
    _refuse_unless_active(session)
    if session.prompt_shown_at is None:
        raise PlayRefused("no_prompt", _("There is nothing to confirm."))
    policy = policy_cached(timezone.localdate(now).year)
    if _prompt_overdue(session, policy, now):
        _prompt_missed(session, now)
        session.save()
        return session
    PresencePrompt.objects.filter(
        session=session, answered_at__isnull=True, missed_at__isnull=True
    ).update(answered_at=now)
    session.prompt_shown_at = None
    session.next_prompt_at = _next_prompt(policy, session.played_seconds)
    _commit_pending(session, policy, now)
    session.save()
    session.progress.save()
    return session


def play_sessions_stale_close(*, now=None) -> int:
    """End the play sessions no heartbeat has reached for LESSON_PLAY_STALE_MINUTES
    (a closed lid, a crashed browser): an unanswered prompt is recorded as missed,
    other pending seconds are committed. Returns how many were ended."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.LESSON_PLAY_STALE_MINUTES)
    ids = list(
        PlaySession.objects.filter(state=PlayState.ACTIVE)
        .filter(
            Q(last_beat_at__lt=cutoff)
            | Q(last_beat_at__isnull=True, opened_at__lt=cutoff)
        )
        .values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        with transaction.atomic():
            session = _sessions_locked().filter(pk=pk, state=PlayState.ACTIVE).first()
            if session is not None:
                policy = policy_cached(timezone.localdate(now).year)
                _session_close(session, state=PlayState.ENDED, policy=policy, now=now)
    return len(ids)


# --- Questions inside the video ---------------------------------------------------------
MAX_TEXT_ANSWER = 200


def _checkpoint_rows(lesson, progress) -> list[tuple]:
    """(key, at seconds) of the lesson's questions for this learner: the author's
    (key: the VideoCheckpoint id) and those drawn from the bank for them (key
    "b<question id>"; a question since deleted from the bank is dropped)."""
    rows = list(lesson.checkpoints.values_list("id", "at_seconds"))
    drawn = {int(q): int(at) for q, at in progress.drawn_checkpoints}
    if drawn:
        kept = Question.objects.filter(pk__in=drawn).values_list("pk", flat=True)
        rows += [(f"b{pk}", drawn[pk]) for pk in kept]
    return rows


def _credit_limit(lesson, progress) -> int:
    return credit_limit(
        _checkpoint_rows(lesson, progress),
        set(progress.checkpoints_passed),
        lesson.duration_seconds,
    )


def _checkpoints_draw(lesson, progress, rng=None) -> None:
    """Draw the learner's questions from the lesson's bank, once: their own questions
    at their own moments. A lesson already completed draws nothing."""
    count = lesson.checkpoint_draw_count
    if not count or progress.drawn_checkpoints or progress.completed_at:
        return
    rng = rng or _draw
    ids = list(
        Question.objects.filter(bank_id=lesson.checkpoint_bank_id)
        .order_by()
        .values_list("pk", flat=True)
    )
    moments = checkpoint_moments(lesson.duration_seconds, min(count, len(ids)), rng)
    picked = rng.sample(ids, len(moments))
    progress.drawn_checkpoints = [[q, at] for q, at in zip(picked, moments)]
    progress.save(update_fields=["drawn_checkpoints"])


@transaction.atomic
def lesson_checkpoints(
    *, worker, lesson: LessonPage, rng=None, with_text: bool = False
) -> list[dict]:
    """The moments of the questions inside `lesson` for `worker`, in order, as the
    player needs them ([{"id": key, "at": seconds}]); `with_text` adds each one's
    `question_text` (for an app that asks them itself), never their answers.
    Questions drawn from the lesson's bank are drawn here on the first visit."""
    progress, _created = LessonProgress.objects.get_or_create(
        worker=worker, lesson=lesson
    )
    progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    _checkpoints_draw(lesson, progress, rng)
    rows = sorted(_checkpoint_rows(lesson, progress), key=lambda row: row[1])
    checkpoints = [{"id": key, "at": at} for key, at in rows]
    if with_text:
        authored = lesson.checkpoints.in_bulk()
        drawn = Question.objects.in_bulk(
            [int(key[1:]) for key, _at in rows if isinstance(key, str)]
        )
        for item in checkpoints:
            key = item["id"]
            question = drawn[int(key[1:])] if isinstance(key, str) else authored[key]
            item.update(question_text(question))
    return checkpoints


def question_text(question: VideoCheckpoint | Question) -> dict:
    """What the learner is shown of a question inside the video: never its answer."""
    return {
        "kind": question.kind,
        "prompt": question.prompt,
        "options": question.option_list(),
    }


@dataclass(frozen=True)
class Asked:
    """A question inside the video: an author's VideoCheckpoint or a bank Question
    (both have kind, prompt, option_list() and answer) and its moment."""

    question: VideoCheckpoint | Question
    at_seconds: int
    link: dict  # the CheckpointEvent field naming it


def _checkpoint(session, key) -> Asked:
    text = str(key if key is not None else "")
    if text.startswith("b"):
        pk = _number(text[1:], message=_("Invalid question."), upper=2**62)
        at = next((a for q, a in session.progress.drawn_checkpoints if q == pk), None)
        question = None if at is None else Question.objects.filter(pk=pk).first()
        if question is None:
            raise PlayRefused("not_found", _("No such question in this lesson."))
        return Asked(question, at, {"question": question})
    pk = _number(text, message=_("Invalid question."), upper=2**62)
    checkpoint = VideoCheckpoint.objects.filter(
        pk=pk, lesson_id=session.lesson_id
    ).first()
    if checkpoint is None:
        raise PlayRefused("not_found", _("No such question in this lesson."))
    return Asked(checkpoint, checkpoint.at_seconds, {"checkpoint": checkpoint})


@transaction.atomic
def checkpoint_show(
    *, user_id: int, lesson_id: int, session_id, checkpoint_id, device: str, now=None
) -> VideoCheckpoint | Question:
    """The player reached a question: record that it was shown and return it (the
    caller sends its text and options, never its answer). Refused while a segment
    must be watched again after wrong answers."""
    now = now or timezone.now()
    session = _locked_session(
        user_id=user_id, lesson_id=lesson_id, session_id=session_id, device=device
    )
    _refuse_unless_active(session)
    asked = _checkpoint(session, checkpoint_id)
    rewatch = session.progress.rewatch
    if rewatch and not _rewatched(
        rewatch, policy_cached(timezone.localdate(now).year), now
    ):
        raise PlayRefused("rewatch", _rewatch_message(rewatch, now))
    CheckpointEvent.objects.create(session=session, shown_at=now, **asked.link)
    return asked.question


def _rewatch_message(rewatch, now) -> str:
    start, end = rewatch["from"], rewatch["to"]
    if end - start >= REWATCH_MIN_SECONDS:
        return _(
            "Watch the video again from %(start)s s to %(end)s s before answering "
            "this question again."
        ) % {"start": start, "end": end}
    wait = REWATCH_MIN_SECONDS - (now.timestamp() - rewatch.get("since", 0))
    return _(
        "Watch the video again from %(start)s s; this question is asked again in "
        "%(seconds)s s."
    ) % {"start": start, "seconds": max(1, math.ceil(wait))}


@dataclass(frozen=True)
class CheckpointResult:
    correct: bool
    passed: bool
    rewind_to: int | None


def _given_answer(question, chosen, text):
    """The learner's answer as the bank's grading takes it: the typed text of a
    fill-in question, else the set of option numbers chosen."""
    if question.kind == QuestionKind.FILL_IN:
        if not isinstance(text, str) or len(text) > MAX_TEXT_ANSWER:
            raise LearningError(_("Invalid answer."))
        return text, [text]
    if not isinstance(chosen, (list, tuple)) or len(chosen) > 10:
        raise LearningError(_("Invalid answer."))
    answer = frozenset(
        _number(c, message=_("Invalid answer."), upper=99) for c in chosen
    )
    return answer, sorted(answer)


@transaction.atomic
def checkpoint_answer(
    *,
    user_id: int,
    lesson_id: int,
    session_id,
    checkpoint_id,
    chosen=None,
    text=None,
    device: str,
    now=None,
) -> CheckpointResult:
    """Check an answer on the server, graded as the bank grades (a fill-in by its
    normalised text). Right (or wrong when the year does not rewind) passes the
    question: credit goes on past it. Wrong is asked again; after the year's
    `checkpoint_wrong_limit` wrong answers the player rewinds to the previous
    question and the question is asked again only once the server has seen that
    segment played again in real time, and at least REWATCH_MIN_SECONDS after the
    wrong answer however short it is (courses.rules.rewatch_complete), so options
    cannot be guessed in a row.
    Every answer is recorded."""
    now = now or timezone.now()
    session = _locked_session(
        user_id=user_id, lesson_id=lesson_id, session_id=session_id, device=device
    )
    _refuse_unless_active(session)
    asked = _checkpoint(session, checkpoint_id)
    event = (
        CheckpointEvent.objects.filter(
            session=session, answered_at__isnull=True, **asked.link
        )
        .order_by("-shown_at")
        .first()
    )
    if event is None:
        raise PlayRefused("not_shown", _("This question has not been asked."))
    question = asked.question
    given, recorded = _given_answer(question, chosen, text)
    correct = is_right(question.kind, question.answer, given)
    policy = policy_cached(timezone.localdate(now).year)
    event.answered_at = now
    event.correct = correct
    event.chosen = recorded
    event.save(update_fields=["answered_at", "correct", "chosen"])
    progress = session.progress
    if correct or not policy.checkpoint_wrong_rewinds:
        key = question.pk if asked.link.get("checkpoint") else f"b{question.pk}"
        if key not in progress.checkpoints_passed:
            progress.checkpoints_passed = [*progress.checkpoints_passed, key]
        progress.checkpoint_wrong = 0
        progress.save(update_fields=["checkpoints_passed", "checkpoint_wrong"])
        session.credit_limit = _credit_limit(session.lesson, progress)
        session.save(update_fields=["credit_limit"])
        return CheckpointResult(correct, True, None)
    progress.checkpoint_wrong += 1
    if progress.checkpoint_wrong < policy.checkpoint_wrong_limit:
        progress.save(update_fields=["checkpoint_wrong"])
        return CheckpointResult(False, False, None)
    times = [at for _key, at in _checkpoint_rows(session.lesson, progress)]
    start = rewind_target(times, asked.at_seconds)
    progress.checkpoint_wrong = 0
    progress.rewatch = {
        "from": start,
        "to": asked.at_seconds,
        "done": [],
        "since": now.timestamp(),
    }
    progress.save(update_fields=["checkpoint_wrong", "rewatch"])
    return CheckpointResult(False, False, start)
