"""Short-lived signed check-in codes for a session, and their QR image.

A code is `TimestampSigner` output over the session id (HMAC with SECRET_KEY and a
salt of its own), so it cannot be forged, names one session only, and is refused
once older than TRAINING_QR_MAX_AGE seconds: a photo of an old screen fails.
"""

import io

import segno
from django.conf import settings
from django.core import signing

SALT = "lms.training.checkin"


class CodeExpired(Exception):
    pass


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
        raise CodeExpired from exc
    except signing.BadSignature as exc:
        raise CodeInvalid from exc
    if not value.isdigit():
        raise CodeInvalid
    return int(value)


def qr_svg(url: str) -> str:
    """An SVG QR code of `url` that scales to its container."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=1, border=2, xmldecl=False, svgns=True, omitsize=True
    )
    return out.getvalue().decode()
