"""The lesson player's endpoints (portal, session sign-in). Every rule is in
courses.services.playback, which the API calls too."""

import json
import secrets

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.ratelimit import client_ip

from ..models import LessonPage
from ..services import (
    LearningError,
    PlayRefused,
    checkpoint_answer,
    checkpoint_show,
    play_session_beat,
    play_session_open,
    play_token_issue,
    presence_prompt_confirm,
    question_text,
)

DEVICE_COOKIE = "lms_device"
REFUSED_STATUS = {"token": 403, "no_session": 404, "not_found": 404}


def device_of(request) -> str:
    return request.COOKIES.get(DEVICE_COOKIE, "")[:64]


def device_new() -> str:
    return secrets.token_urlsafe(24)


def device_cookie_set(request, response, device: str) -> None:
    """Keep the browser's device identifier (HttpOnly, a year): play tokens and
    sessions are bound to it."""
    response.set_cookie(
        DEVICE_COOKIE,
        device,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _json(request):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise LearningError(_("Invalid request.")) from None
    if not isinstance(data, dict):
        raise LearningError(_("Invalid request."))
    return data


def _player_endpoint(view):
    """Signed in, JSON in and out; a refusal is a JSON error with its code."""

    @require_POST
    def wrapper(request, pk, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("Please sign in again.")}, status=401)
        try:
            return JsonResponse(view(request, pk, _json(request), **kwargs))
        except PlayRefused as exc:
            return JsonResponse(
                {"error": str(exc), "code": exc.code},
                status=REFUSED_STATUS.get(exc.code, 409),
            )
        except LearningError as exc:
            return JsonResponse({"error": str(exc), "code": "invalid"}, status=400)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_player_endpoint
def play_token(request, pk, data):
    """A fresh play token (to resume after another page took over)."""
    worker = getattr(request.user, "worker", None)
    lesson = LessonPage.objects.live().filter(pk=pk).first()
    if worker is None or lesson is None or not device_of(request):
        raise PlayRefused("not_found", _("This lesson cannot be played."))
    return {
        "token": play_token_issue(
            worker=worker, lesson=lesson, device=device_of(request)
        )
    }


@_player_endpoint
def play_open(request, pk, data):
    """{token} → a play session."""
    session = play_session_open(
        user_id=request.user.pk,
        lesson_id=pk,
        token=data.get("token"),
        device=device_of(request),
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return {"session": str(session.pk), "credit_limit": session.credit_limit}


@_player_endpoint
def heartbeat(request, pk, data):
    """{session, seq, position, played: [[start, end], …], hidden, paused, final}."""
    beat = play_session_beat(
        user_id=request.user.pk,
        lesson_id=pk,
        session_id=data.get("session"),
        seq=data.get("seq"),
        position=data.get("position"),
        played=data.get("played"),
        hidden=bool(data.get("hidden")),
        paused=bool(data.get("paused")),
        final=bool(data.get("final")),
        device=device_of(request),
    )
    return beat_body(beat)


def beat_body(beat) -> dict:
    session, progress = beat.session, beat.progress
    return {
        "state": session.state,
        "unique_seconds": progress.unique_seconds,
        "pending_seconds": sum(e - s for s, e in session.pending),
        "position": progress.position,
        "complete": progress.completed_at is not None,
        "added": beat.added_seconds,
        "rejected": beat.rejected_seconds,
        "prompt_deadline": beat.prompt_deadline,
        "credit_limit": session.credit_limit,
    }


@_player_endpoint
def presence(request, pk, data):
    """{session}: the learner is present."""
    session = presence_prompt_confirm(
        user_id=request.user.pk,
        lesson_id=pk,
        session_id=data.get("session"),
        device=device_of(request),
    )
    return {
        "state": session.state,
        "unique_seconds": session.progress.unique_seconds,
        "complete": session.progress.completed_at is not None,
    }


@_player_endpoint
def checkpoint(request, pk, data, checkpoint_id):
    """{session} → the question (text and options; the answer stays here)."""
    question = checkpoint_show(
        user_id=request.user.pk,
        lesson_id=pk,
        session_id=data.get("session"),
        checkpoint_id=checkpoint_id,
        device=device_of(request),
    )
    return {"id": question.pk, **question_text(question)}


@_player_endpoint
def checkpoint_submit(request, pk, data, checkpoint_id):
    """{session, chosen: [option numbers]} or {session, text} for a fill-in → right
    or wrong, and where to rewind (null: asked again at once)."""
    result = checkpoint_answer(
        user_id=request.user.pk,
        lesson_id=pk,
        session_id=data.get("session"),
        checkpoint_id=checkpoint_id,
        chosen=data.get("chosen"),
        text=data.get("text"),
        device=device_of(request),
    )
    return {
        "correct": result.correct,
        "passed": result.passed,
        "rewind_to": result.rewind_to,
    }
