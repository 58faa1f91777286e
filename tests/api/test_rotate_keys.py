"""`manage.py rotate_keys`: re-encrypt with the newest key; re-hash with the new key."""

import hashlib
import hmac

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from lms.people import pii
from lms.people.models import Worker
from tests.people.factories import WorkerFactory

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _only(key):
    return Fernet(key.encode())


def test_rotate_reencrypts_every_row_with_the_newest_key(settings, tree):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    workers = [WorkerFactory(community=tree["community11"]) for _ in range(5)]
    Worker.objects.filter(pk=workers[0].pk).update(
        phone_encrypted=pii.encrypt("13800138000")
    )
    clear = {w.pk: w.id_number for w in workers}
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("rotate_keys", "--batch-size", "2")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone now
    for w in Worker.objects.all():
        assert (
            _only(NEW_KEY).decrypt(w.id_number_encrypted.encode()).decode()
            == clear[w.pk]
        )
        assert w.id_number == clear[w.pk]
    assert Worker.objects.get(pk=workers[0].pk).phone == "13800138000"


def test_rotate_recomputes_digests_given_the_old_hash_key(settings, tree):
    settings.FIELD_HASH_KEY = "old-hash-key"
    worker = WorkerFactory(community=tree["community11"])
    number = worker.id_number
    settings.FIELD_HASH_KEY = "new-hash-key"
    assert Worker.objects.filter(id_number_digest=pii.digest(number)).count() == 0
    call_command("rotate_keys", "--old-hash-key", "old-hash-key")
    expected = hmac.new(b"new-hash-key", number.encode(), hashlib.sha256).hexdigest()
    assert Worker.objects.get(pk=worker.pk).id_number_digest == expected
    assert Worker.objects.filter(id_number_digest=pii.digest(number)).count() == 1
    # A second run finds the digests already under the new key and changes nothing.
    call_command("rotate_keys", "--old-hash-key", "old-hash-key")
    assert Worker.objects.get(pk=worker.pk).id_number_digest == expected


def test_rotate_refuses_the_current_key_as_old(settings):
    settings.FIELD_HASH_KEY = "same"
    with pytest.raises(CommandError):
        call_command("rotate_keys", "--old-hash-key", "same")
