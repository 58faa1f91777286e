"""Online learning: lesson heartbeats from a player (courses.services)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from pydantic import Field

from courses.services.learning import LearningError, lesson_progress_heartbeat
from lms.accounts.ratelimit import client_key, hit

from ..errors import ApiError
from ..scope import user_of

router = Router(tags=["learning"])


class HeartbeatIn(Schema):
    position: float = Field(0, ge=0, le=10**7, description="seconds into the lesson")
    played: list[list[float]] = Field(
        default_factory=list,
        max_length=50,
        description="segments [start, end] (seconds) played since the last heartbeat",
    )


class HeartbeatOut(Schema):
    lesson_id: int
    position: int
    unique_seconds: int
    completed: bool
    added_seconds: int
    rejected_seconds: int


@router.post(
    "/lessons/{lesson_id}/heartbeat",
    response=HeartbeatOut,
    summary="Report playback of a lesson (worker)",
)
def heartbeat(
    request, payload: HeartbeatIn, lesson_id: int = Path(..., ge=1, le=2**62)
):
    """The player sends this every few seconds; credit is written once, when the
    lesson is complete. 404 until the worker has opened the lesson's player."""
    user = user_of(request)
    if getattr(user, "worker", None) is None:
        raise PermissionDenied
    allowed, _wait = hit("heartbeat", client_key(request, "user"))
    if not allowed:
        raise ApiError(
            429, "rate_limited", _("Too many requests. Please wait and try again.")
        )
    for segment in payload.played:
        if len(segment) != 2 or not all(0 <= x <= 10**7 for x in segment):
            raise ApiError(422, "invalid", _("Invalid playback segments."))
    try:
        progress = lesson_progress_heartbeat(
            user_id=user.pk,
            lesson_id=lesson_id,
            position=payload.position,
            played=payload.played,
        )
    except LearningError as exc:
        raise ApiError(422, "invalid", str(exc)) from None
    if progress is None:
        raise ApiError(
            404, "not_found", _("Open the lesson before reporting progress.")
        )
    return {
        "lesson_id": lesson_id,
        "position": progress.position,
        "unique_seconds": progress.unique_seconds,
        "completed": progress.completed_at is not None,
        "added_seconds": getattr(progress, "added_seconds", 0),
        "rejected_seconds": getattr(progress, "rejected_seconds", 0),
    }
