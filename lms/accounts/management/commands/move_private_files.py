"""Move private files that an older version left under MEDIA_ROOT into private storage.

Before private storage existed, imports, job results, certificates, evidence, external
certificates, agreements, lesson files, textbook attachments and question photos were
saved to the default (public) storage. This command finds every name held by a file
field that now uses private storage, in the tables and in page revisions (a draft
lesson's file is named only in its revision), and moves each file that is still in the
default storage to the same name in private storage, so no row has to change. Run it
once after upgrading; running it again moves nothing.

    manage.py move_private_files [--dry-run]
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.db import models
from wagtail.models import Revision

from lms.accounts.files import private_storage


def private_file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every concrete (model, FileField) whose storage is the private storage."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
        and field.model is model
        and field.storage is private_storage()
    ]


def stored_names() -> set[str]:
    """Every file name a private file field holds, in rows and page revisions."""
    names: set[str] = set()
    by_model: dict[type[models.Model], list[str]] = {}
    for model, field in private_file_fields():
        by_model.setdefault(model, []).append(field.name)
        names.update(
            model._base_manager.exclude(**{field.attname: ""})
            .values_list(field.attname, flat=True)
            .distinct()
        )
    for model, fields in by_model.items():
        content_type = ContentType.objects.get_for_model(
            model, for_concrete_model=False
        )
        revisions = Revision.objects.filter(content_type=content_type).values_list(
            "content", flat=True
        )
        for content in revisions.iterator(chunk_size=500):
            names.update(content.get(f) for f in fields if content.get(f))
    names.discard(None)
    return names


class Command(BaseCommand):
    help = "Move private files left in the public media folder into private storage."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would move; move nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        public, private = storages["default"], private_storage()
        moved = already = missing = 0
        for name in sorted(stored_names()):
            if private.exists(name):
                already += 1
                continue
            if not public.exists(name):
                missing += 1
                self.stderr.write(f"missing: {name}")
                continue
            if not dry_run:
                with public.open(name, "rb") as handle:
                    saved = private.save(name, handle)
                if saved != name:  # pragma: no cover - exists() was False a moment ago
                    raise RuntimeError(f"{name} was stored as {saved}")
                public.delete(name)
            moved += 1
            self.stdout.write(f"{'would move' if dry_run else 'moved'}: {name}")
        self.stdout.write(
            f"{'would move' if dry_run else 'moved'} {moved}, already private {already}, "
            f"missing {missing}"
        )
