"""Online learning from a player app: play tokens, play sessions, heartbeats,
presence prompts and questions inside the video (courses.services.playback, the
same rules as the portal's player)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from pydantic import Field

from courses.models import LessonPage
from courses.services import (
    LearningError,
    PlayRefused,
    checkpoint_answer,
    checkpoint_show,
    lesson_checkpoints,
    play_session_beat,
    play_session_open,
    play_token_issue,
    presence_prompt_confirm,
    question_text,
)
from lms.accounts.ratelimit import client_ip, client_key, hit

from ..errors import ApiError
from ..scope import user_of

router = Router(tags=["learning"])

LESSON_ID = Path(..., ge=1, le=2**62)
# A question the author placed (its id) or one drawn from the bank ("b" + its id).
CHECKPOINT_ID = Path(..., pattern=r"^b?[1-9][0-9]{0,17}$")
REFUSED_STATUS = {"token": 403, "no_session": 404, "not_found": 404}
Device = Field(
    ...,
    min_length=8,
    max_length=64,
    description="a stable identifier of the device, chosen once by the app",
)


def _worker_user(request):
    user = user_of(request)
    if getattr(user, "worker", None) is None:
        raise PermissionDenied
    return user


def _refused(exc: LearningError) -> ApiError:
    if isinstance(exc, PlayRefused):
        return ApiError(REFUSED_STATUS.get(exc.code, 409), exc.code, str(exc))
    return ApiError(422, "invalid", str(exc))


def _play(service, request, lesson_id: int, payload, **kwargs):
    """`service` (courses.services.playback) for the caller's lesson on the payload's
    device, and in the play session it names if any; its refusals as API errors.
    Only workers have play sessions, so the service refuses anyone else: only then
    is the caller looked up (403 when not a worker), and a beat pays no query for
    it."""
    if hasattr(payload, "session"):
        kwargs["session_id"] = payload.session
    try:
        return service(
            user_id=user_of(request).pk,
            lesson_id=lesson_id,
            device=payload.device,
            **kwargs,
        )
    except LearningError as exc:
        _worker_user(request)
        raise _refused(exc) from None


class DeviceIn(Schema):
    device: str = Device


class TokenOut(Schema):
    token: str


@router.post(
    "/lessons/{lesson_id}/play-token",
    response=TokenOut,
    summary="A single-use play token for this lesson and device (worker)",
)
def play_token(request, payload: DeviceIn, lesson_id: int = LESSON_ID):
    user = _worker_user(request)
    lesson = LessonPage.objects.live().filter(pk=lesson_id, kind="video").first()
    if lesson is None:
        raise ApiError(404, "not_found", _("This lesson cannot be played."))
    token = play_token_issue(worker=user.worker, lesson=lesson, device=payload.device)
    return {"token": token}


class OpenIn(Schema):
    token: str = Field(..., max_length=1000)
    device: str = Device


class QuestionText(Schema):
    """What the learner is shown of a question inside the video (never its answer)."""

    kind: str
    prompt: str
    options: list[str]


class CheckpointOut(QuestionText):
    key: str = Field(
        ..., description="its id in the checkpoint endpoints (b<id>: drawn from a bank)"
    )
    at: int = Field(..., description="the moment (seconds) to pause and ask it")


class OpenOut(Schema):
    session: str
    credit_limit: int
    checkpoints: list[CheckpointOut] = Field(
        ..., description="the learner's questions inside the video, in order"
    )


@router.post(
    "/lessons/{lesson_id}/play",
    response=OpenOut,
    summary=(
        "Open a play session with a play token (pauses the worker's others); "
        "lists the questions inside the video"
    ),
)
def play_open(request, payload: OpenIn, lesson_id: int = LESSON_ID):
    session = _play(
        play_session_open,
        request,
        lesson_id,
        payload,
        token=payload.token,
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    checkpoints = lesson_checkpoints(
        worker=session.worker, lesson=session.lesson, with_text=True
    )
    return {
        "session": str(session.pk),
        "credit_limit": session.credit_limit,
        "checkpoints": [{**c, "key": str(c["id"])} for c in checkpoints],
    }


class HeartbeatIn(Schema):
    session: str = Field(..., max_length=64)
    seq: int = Field(..., ge=1, le=2**31 - 1, description="rises with every beat")
    device: str = Device
    position: float = Field(0, ge=0, le=10**7, description="seconds into the lesson")
    played: list[list[float]] = Field(
        default_factory=list,
        max_length=50,
        description="segments [start, end] (seconds) played since the last heartbeat",
    )
    hidden: bool = Field(False, description="the player was not visible")
    paused: bool = Field(False, description="the player paused or ended")
    final: bool = Field(False, description="the player is closing")


class HeartbeatOut(Schema):
    lesson_id: int
    state: str
    position: int
    unique_seconds: int
    pending_seconds: int
    completed: bool
    added_seconds: int
    rejected_seconds: int
    prompt_deadline: int | None


@router.post(
    "/lessons/{lesson_id}/heartbeat",
    response=HeartbeatOut,
    summary="Report playback of a lesson (worker)",
)
def heartbeat(request, payload: HeartbeatIn, lesson_id: int = LESSON_ID):
    """The player sends this every few seconds within an open play session; credit
    is written once, when the lesson is complete. `prompt_deadline` set: pause and
    confirm presence within that many seconds."""
    allowed, _wait = hit("heartbeat", client_key(request, "user"))
    if not allowed:
        raise ApiError(
            429, "rate_limited", _("Too many requests. Please wait and try again.")
        )
    beat = _play(
        play_session_beat,
        request,
        lesson_id,
        payload,
        seq=payload.seq,
        position=payload.position,
        played=payload.played,
        hidden=payload.hidden,
        paused=payload.paused,
        final=payload.final,
    )
    session, progress = beat.session, beat.progress
    return {
        "lesson_id": lesson_id,
        "state": session.state,
        "position": progress.position,
        "unique_seconds": progress.unique_seconds,
        "pending_seconds": sum(e - s for s, e in session.pending),
        "completed": progress.completed_at is not None,
        "added_seconds": beat.added_seconds,
        "rejected_seconds": beat.rejected_seconds,
        "prompt_deadline": beat.prompt_deadline,
    }


class SessionIn(Schema):
    session: str = Field(..., max_length=64)
    device: str = Device


class PresenceOut(Schema):
    state: str
    unique_seconds: int


@router.post(
    "/lessons/{lesson_id}/presence",
    response=PresenceOut,
    summary="Confirm presence when prompted (worker)",
)
def presence(request, payload: SessionIn, lesson_id: int = LESSON_ID):
    session = _play(presence_prompt_confirm, request, lesson_id, payload)
    return {"state": session.state, "unique_seconds": session.progress.unique_seconds}


class QuestionOut(QuestionText):
    id: int


@router.post(
    "/lessons/{lesson_id}/checkpoints/{checkpoint_id}",
    response=QuestionOut,
    summary="The question inside the video reached (worker); never its answer",
)
def checkpoint(
    request,
    payload: SessionIn,
    lesson_id: int = LESSON_ID,
    checkpoint_id: str = CHECKPOINT_ID,
):
    question = _play(
        checkpoint_show, request, lesson_id, payload, checkpoint_id=checkpoint_id
    )
    return {"id": question.pk, **question_text(question)}


class AnswerIn(SessionIn):
    chosen: list[int] = Field(
        default_factory=list, max_length=10, description="option numbers"
    )
    text: str | None = Field(
        None, max_length=200, description="the typed answer of a fill-in question"
    )


class AnswerOut(Schema):
    correct: bool
    passed: bool
    rewind_to: int | None


@router.post(
    "/lessons/{lesson_id}/checkpoints/{checkpoint_id}/answer",
    response=AnswerOut,
    summary="Answer a question inside the video (checked on the server)",
)
def checkpoint_submit(
    request,
    payload: AnswerIn,
    lesson_id: int = LESSON_ID,
    checkpoint_id: str = CHECKPOINT_ID,
):
    result = _play(
        checkpoint_answer,
        request,
        lesson_id,
        payload,
        checkpoint_id=checkpoint_id,
        chosen=payload.chosen,
        text=payload.text,
    )
    return {
        "correct": result.correct,
        "passed": result.passed,
        "rewind_to": result.rewind_to,
    }
