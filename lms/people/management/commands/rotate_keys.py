"""Re-encrypt personal data with the newest key, and re-hash it after a hash-key change.

Key rotation, step by step (see docs/deployment.md):

1. put a new Fernet key FIRST in FIELD_ENCRYPTION_KEYS, keeping the old ones after it,
   and restart: new writes use the new key, old rows still decrypt;
2. run ``manage.py rotate_keys``: every encrypted column of every model (fields named
   ``*_encrypted``) is re-encrypted with the newest key, in batches;
3. remove the old keys from FIELD_ENCRYPTION_KEYS and restart.

To change FIELD_HASH_KEY (the keyed hash used for exact look-up), set the new key,
stop writers, and run ``manage.py rotate_keys --old-hash-key OLD``: every ``*_digest``
column beside a ``*_encrypted`` one is recomputed from the decrypted value. Rows whose
digest matches neither key are reported and left alone.
"""

import hashlib
import hmac

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms.people import pii


def encrypted_fields(model) -> list[tuple[str, str | None]]:
    """[(encrypted field, its digest field or None)] of a model."""
    names = {f.name for f in model._meta.concrete_fields}
    found = []
    for name in sorted(names):
        if name.endswith("_encrypted"):
            base = name.removesuffix("_encrypted")
            found.append(
                (name, f"{base}_digest" if f"{base}_digest" in names else None)
            )
    return found


def _hmac(key: str, value: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


class Command(BaseCommand):
    help = "Re-encrypt personal data with the newest key (and re-hash with --old-hash-key)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--old-hash-key",
            help="the previous FIELD_HASH_KEY: recompute digests with the current one",
        )

    def handle(self, *args, batch_size, old_hash_key, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        new_hash_key = settings.FIELD_HASH_KEY
        if old_hash_key == new_hash_key:
            raise CommandError("--old-hash-key is the current FIELD_HASH_KEY")
        totals = {"rows": 0, "digests": 0, "unmatched": 0}
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            counts = self._rotate_model(model, fields, batch_size, old_hash_key)
            for key in totals:
                totals[key] += counts[key]
            self.stdout.write(
                f"{model._meta.label}: {counts['rows']} rows re-encrypted, "
                f"{counts['digests']} digests recomputed"
                + (
                    f", {counts['unmatched']} digests unmatched"
                    if counts["unmatched"]
                    else ""
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{totals['rows']} rows re-encrypted with the newest key; "
                f"{totals['digests']} digests recomputed."
            )
        )
        if totals["unmatched"]:
            raise CommandError(
                f"{totals['unmatched']} digests matched neither hash key; left unchanged."
            )

    def _rotate_model(self, model, fields, batch_size, old_hash_key) -> dict:
        counts = {"rows": 0, "digests": 0, "unmatched": 0}
        manager = model._base_manager
        columns = [name for pair in fields for name in pair if name]
        last_pk = None
        while True:
            with transaction.atomic():
                qs = manager.order_by("pk").only("pk", *columns)
                if last_pk is not None:
                    qs = qs.filter(pk__gt=last_pk)
                batch = list(qs.select_for_update()[:batch_size])
                if not batch:
                    break
                for obj in batch:
                    for enc_field, digest_field in fields:
                        token = getattr(obj, enc_field)
                        if not token:
                            continue
                        if digest_field and old_hash_key:
                            clear = pii.decrypt(token)
                            stored = getattr(obj, digest_field)
                            if stored == _hmac(old_hash_key, clear):
                                setattr(obj, digest_field, pii.digest(clear))
                                counts["digests"] += 1
                            elif stored != pii.digest(clear):
                                counts["unmatched"] += 1
                        setattr(obj, enc_field, pii.rotate(token))
                manager.bulk_update(batch, columns, batch_size=batch_size)
                counts["rows"] += len(batch)
                last_pk = batch[-1].pk
        return counts
