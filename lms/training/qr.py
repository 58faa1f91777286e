"""Short-lived signed check-in codes for a session, and their QR image.

A code is `TimestampSigner` output over the session id (HMAC with SECRET_KEY and a
salt of its own), so it cannot be forged, names one session only, and is refused
once older than TRAINING_QR_MAX_AGE seconds: a photo of an old screen fails.

A code scanned while signed out is remembered in the browser's (server-side) session
as "session S was presented validly at T" (never the code itself), so the check-in
can finish after the sign-in; see `presentation_remember`.
"""

import datetime as dt
import io

import segno
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

SALT = "lms.training.checkin"


class CodeExpired(Exception):
    """An authentic code, too old; `session_id` is the session it names."""

    def __init__(self, session_id: int):
        super().__init__(session_id)
        self.session_id = session_id


class CodeInvalid(Exception):
    pass


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def checkin_code(session_id: int) -> str:
    return _signer().sign(str(session_id))


def session_from_code(code: str, *, max_age: int | None = None) -> int:
    """The session id a code names; CodeExpired or CodeInvalid otherwise."""
    age = settings.TRAINING_QR_MAX_AGE if max_age is None else max_age
    try:
        value = _signer().unsign(code, max_age=age)
    except signing.SignatureExpired as exc:
        raise CodeExpired(_session_id(_signer().unsign(code))) from exc
    except signing.BadSignature as exc:
        raise CodeInvalid from exc
    return _session_id(value)


def _session_id(value: str) -> int:
    if not value.isdigit():
        raise CodeInvalid
    return int(value)


# The browser session's record of a code presented while signed out.
PRESENTED_KEY = "training_checkin_presented"


def presentation_remember(store, session_id: int, at: dt.datetime) -> None:
    """Record in `store` (request.session) that a valid code of `session_id` was
    presented at `at`; a later scan replaces an earlier one."""
    store[PRESENTED_KEY] = {"session": session_id, "at": at.isoformat()}


def presentation_of(store, session_id: int) -> dt.datetime | None:
    """When a code of `session_id` was presented, if `store` remembers one."""
    record = store.get(PRESENTED_KEY)
    if not isinstance(record, dict) or record.get("session") != session_id:
        return None
    try:
        return dt.datetime.fromisoformat(record["at"])
    except (KeyError, TypeError, ValueError):
        return None


def presentation_forget(store, session_id: int) -> None:
    """Drop the record of `session_id` (it is good for one check-in or check-out)."""
    record = store.get(PRESENTED_KEY)
    if isinstance(record, dict) and record.get("session") == session_id:
        del store[PRESENTED_KEY]


def qr_svg(url: str) -> str:
    """An SVG QR code of `url` that scales to its container."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=1, border=2, xmldecl=False, svgns=True, omitsize=True
    )
    return out.getvalue().decode()


def fallback_code(session_id: int, worker_id: int) -> str:
    """A worker's six-digit code for one session, for halls where scanning fails: the
    worker shows it, the trainer types it in (an HMAC, so it cannot be guessed from
    another worker's code)."""
    digest = salted_hmac(f"{SALT}.fallback", f"{session_id}:{worker_id}").hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"
