"""Writes of the API app: tokens and two-factor devices."""

import datetime as dt
import hashlib
import secrets

import pyotp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write
from lms.people import pii

from .models import ApiToken, TotpDevice
from .selectors import token_owner_allowed

TOKEN_PREFIX = "lms_"  # noqa: S105 - a public marker of our tokens, not a secret
# Writing last_used_at on every call would turn each read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
TOTP_ISSUER = "社区工作者培训平台"


def token_digest(raw: str) -> str:
    # The token is 256 random bits, so a plain hash is enough (no salt or stretching).
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, name: str, owner, created_by, request=None
) -> tuple[ApiToken, str]:
    """A new token acting as `owner`; returns (token, the clear token to show once)."""
    if not created_by.has_perm("api.add_apitoken"):
        raise PermissionDenied
    if not token_owner_allowed(created_by, owner):
        raise PermissionDenied
    if not owner.is_active:
        raise ValidationError(_("The token's user is not active."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name.strip(),
        prefix=raw[:12],
        digest=token_digest(raw),
        owner=owner,
        created_by=created_by,
    )
    token.full_clean()
    token.save()
    audit_log_write(
        actor=created_by,
        action=AuditAction.PERMISSION_CHANGE,
        target=token,
        detail={"api_token": "created", "name": token.name, "owner": owner.username},
        request=request,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor, request=None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log_write(
            actor=actor,
            action=AuditAction.PERMISSION_CHANGE,
            target=token,
            detail={"api_token": "revoked", "name": token.name},
            request=request,
        )
    return token


def api_token_authenticate(raw: str):
    """The owner of an active token, or None; notes when it was last used."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("owner", "owner__org")
        .filter(digest=token_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.owner.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.owner


# --- Two-factor sign-in (TOTP) ----------------------------------------------------------


def totp_for(device: TotpDevice) -> pyotp.TOTP:
    return pyotp.TOTP(pii.decrypt(device.secret_encrypted))


@transaction.atomic
def totp_device_start(*, user) -> TotpDevice:
    """A new unconfirmed secret for `user` (replacing an unconfirmed one)."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is not None and device.confirmed:
        return device
    secret = pyotp.random_base32()
    if device is None:
        device = TotpDevice(user=user)
    device.secret_encrypted = pii.encrypt(secret)
    device.save()
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return totp_for(device).provisioning_uri(
        name=device.user.get_username(), issuer_name=TOTP_ISSUER
    )


def _verify(device: TotpDevice, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = totp_for(device)
    now = timezone.now()
    for drift in (0, -1, 1):  # one step of clock skew either way
        at = now + dt.timedelta(seconds=30 * drift)
        step = totp.timecode(at)
        if step > device.last_used_step and secrets.compare_digest(totp.at(at), code):
            # A code is good once: replaying it (or an older one) fails.
            TotpDevice.objects.filter(pk=device.pk).update(last_used_step=step)
            device.last_used_step = step
            return True
    return False


@transaction.atomic
def totp_device_confirm(*, user, code: str, request=None) -> bool:
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not _verify(device, code):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_log_write(
            actor=user,
            action=AuditAction.PERMISSION_CHANGE,
            target=user,
            detail={"two_factor": "enabled"},
            request=request,
        )
    return True


@transaction.atomic
def totp_verify(*, user, code: str) -> bool:
    device = (
        TotpDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    )
    return device is not None and _verify(device, code)


@transaction.atomic
def totp_device_remove(*, user, actor, request=None) -> None:
    deleted, _count = TotpDevice.objects.filter(user=user).delete()
    if deleted:
        audit_log_write(
            actor=actor,
            action=AuditAction.PERMISSION_CHANGE,
            target=user,
            detail={"two_factor": "disabled"},
            request=request,
        )


def totp_enabled(user) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed=True).exists()
