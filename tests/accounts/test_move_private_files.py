"""Files that an older version saved under MEDIA_ROOT are moved into private storage,
under the same names, by `manage.py move_private_files`; a second run moves nothing."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, Revision

from courses.models import LessonPage
from lms.accounts.files import private_storage
from lms.training.models import ExternalTraining
from lms.training.services.external import external_training_submit
from tests.files import pdf_bytes
from tests.people.factories import WorkerFactory
from tests.trainers.factories import admin_in_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return storages["default"]


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("move_private_files", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_legacy_files_move_to_private_storage_once(public, tree, client):
    worker = WorkerFactory(community=tree["community11"])
    item = external_training_submit(
        worker=worker,
        title="外部培训",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 1),
        hours=Decimal("3"),
        certificate=SimpleUploadedFile("c.pdf", pdf_bytes()),
    )
    # As an older version left it: the certificate under MEDIA_ROOT, publicly served.
    private_storage().delete(item.certificate.name)
    legacy = public.save("external/张三-结业证书.pdf", ContentFile(pdf_bytes()))
    ExternalTraining.objects.filter(pk=item.pk).update(certificate=legacy)
    # A draft lesson's file is named only in its revision.
    draft = public.save("lessons/draft.mp4", ContentFile(b"\x00" * 64))
    Revision.objects.create(
        content_type=ContentType.objects.get_for_model(LessonPage),
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id="424242",
        content={"file": draft},
    )

    out, _ = _run("--dry-run")
    assert "would move 2" in out
    assert public.exists(legacy) and not private_storage().exists(legacy)

    out, err = _run()
    assert "moved 2, already private 0, missing 0" in out and not err
    for name in (legacy, draft):
        assert private_storage().exists(name) and not public.exists(name)

    client.force_login(admin_in_group(tree["street1"], "街道管理员"))
    response = client.get(reverse("training_external_certificate", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()

    gone = "external/never-uploaded.pdf"
    ExternalTraining.objects.filter(pk=item.pk).update(certificate=gone)
    out, err = _run()
    assert "moved 0, already private 1, missing 1" in out and gone in err
