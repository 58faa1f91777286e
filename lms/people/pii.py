"""Encryption at rest and keyed hashing of personal data (ID and phone numbers).

Fernet keys come from FIELD_ENCRYPTION_KEYS (newest first, so old keys still decrypt
while `rotate_keys` re-encrypts); the HMAC key from FIELD_HASH_KEY gives a stable digest
for exact look-up without storing the number in clear.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

from .rules import mask_phone


def _fernet_key(raw: str) -> bytes:
    # Accept a real Fernet key, or derive one from any secret string.
    try:
        if len(base64.urlsafe_b64decode(raw.encode())) == 32:
            return raw.encode()
    except ValueError:
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw.encode()).digest())


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode() if token else ""


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode() if token else ""


def digest(value: str) -> str:
    key = settings.FIELD_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def phone_set(instance, phone: str) -> None:
    """Store `phone` encrypted with its masked copy on `instance` (not saved here):
    the libraries' contact phones (trainers, experts, bases, institutions)."""
    phone = "".join(phone.split())
    instance.phone_encrypted = encrypt(phone)
    instance.phone_masked = mask_phone(phone) if phone else ""
