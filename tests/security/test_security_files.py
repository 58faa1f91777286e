"""Classes 2 and 8: uploaded files are checked by their whole content, stored in the
private storage under random names, and served only by permission-checked views
through lms.accounts.files.serve_file with safe headers; import inputs are deleted."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.accounts.files import private_storage, serve_file
from lms.accounts.uploads import validate_upload
from lms.jobs.models import Job, JobStatus
from lms.jobs.services import (
    job_create,
    job_fail,
    job_finish,
    job_inputs_expired_delete,
)
from lms.training.services.external import external_training_submit
from tests.files import pdf_bytes, png_bytes
from tests.people.factories import WorkerFactory
from tests.trainers.factories import admin_in_group

pytestmark = pytest.mark.django_db
HTML_AS_PDF = b"%PDF-1.4\n<html><script>fetch('/admin/')</script></html>\n"


@pytest.mark.parametrize(
    "name, content",
    [
        ("certificate.html", HTML_AS_PDF),  # the reported attack
        ("certificate.pdf", HTML_AS_PDF),  # a PDF header, then HTML
        ("photo.png", b"\x89PNG\r\n\x1a\n<script>alert(1)</script>"),
        ("certificate.pdf", pdf_bytes()[:-200]),  # cut short
    ],
)
def test_a_file_not_entirely_of_its_kind_is_refused(name, content):
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile(name, content), kinds=("pdf", "photo"))


def test_external_certificate_is_stored_privately_under_a_server_name(tree):
    worker = WorkerFactory(community=tree["community11"])
    with pytest.raises(ValidationError):
        external_training_submit(
            worker=worker,
            title="x",
            start_date=dt.date(2026, 3, 1),
            end_date=dt.date(2026, 3, 1),
            certificate=SimpleUploadedFile("c.html", HTML_AS_PDF),
        )
    item = external_training_submit(
        worker=worker,
        title="x",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 1),
        hours=Decimal("3"),
        certificate=SimpleUploadedFile("../../evil name.pdf", pdf_bytes()),
    )
    name = item.certificate.name
    assert name.startswith("external/") and name.endswith(".pdf")
    assert "evil" not in name and len(name.rsplit("/", 1)[-1]) >= 20
    assert item.certificate.storage.exists(name)
    assert private_storage().path(name).startswith(str(private_storage().location))


def _headers(response):
    return {
        "type": response["Content-Type"],
        "nosniff": response["X-Content-Type-Options"],
        "csp": response["Content-Security-Policy"],
        "disposition": response["Content-Disposition"].split(";")[0],
    }


def test_serve_file_decides_type_and_disposition_from_the_checked_content(rf):
    """A stored .html (from before the checks) is a download of unknown type; a PDF
    whose bytes are HTML is not shown inline; a real PDF and PNG are."""
    storage = private_storage()
    names = {
        "html": storage.save("t/a.html", ContentFile(b"<script>x</script>")),
        "fake": storage.save("t/b.pdf", ContentFile(b"<html><script>x</script>")),
        "pdf": storage.save("t/c.pdf", ContentFile(pdf_bytes())),
        "png": storage.save("t/d.png", ContentFile(png_bytes())),
    }
    request = rf.get("/")
    seen = {
        key: _headers(serve_file(request, (storage, name), inline=True))
        for key, name in names.items()
    }
    for headers in seen.values():
        assert headers["nosniff"] == "nosniff"
        assert headers["csp"].startswith("sandbox")
    assert seen["html"]["type"] == "application/octet-stream"
    assert seen["html"]["disposition"] == "attachment"
    assert seen["fake"]["type"] == "application/octet-stream"
    assert seen["fake"]["disposition"] == "attachment"
    assert (seen["pdf"]["type"], seen["pdf"]["disposition"]) == (
        "application/pdf",
        "inline",
    )
    assert (seen["png"]["type"], seen["png"]["disposition"]) == ("image/png", "inline")


def test_admin_opening_an_external_certificate_gets_safe_headers(client, tree):
    worker = WorkerFactory(community=tree["community11"])
    item = external_training_submit(
        worker=worker,
        title="x",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 1),
        hours=Decimal("3"),
        certificate=SimpleUploadedFile("c.pdf", pdf_bytes()),
    )
    client.force_login(admin_in_group(tree["street1"], "街道管理员"))
    response = client.get(reverse("training_external_certificate", args=[item.pk]))
    assert response.status_code == 200
    assert _headers(response) == {
        "type": "application/pdf",
        "nosniff": "nosniff",
        "csp": response["Content-Security-Policy"],
        "disposition": "inline",
    }
    assert response["Content-Security-Policy"].startswith("sandbox")
    client.force_login(admin_in_group(tree["street2"], "街道管理员"))
    assert (
        client.get(reverse("training_external_certificate", args=[item.pk])).status_code
        == 404
    )


def test_admin_pages_carry_a_content_security_policy(client, tree):
    client.force_login(admin_in_group(tree["district1"], "区级管理员"))
    response = client.get("/admin/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_media_url_serves_no_private_file(settings):
    """In DEBUG, /media/ serves only Wagtail's images; a private file has no URL."""
    import importlib

    from django.urls import Resolver404, resolve
    from django.views.static import serve

    import config.urls

    settings.DEBUG = True
    try:
        urls = importlib.reload(config.urls)
        assert resolve("/media/original_images/a.png", urlconf=urls).func is serve
        for path in ("/media/jobs/input/x.csv", "/media/external/2026/01/a.pdf"):
            with pytest.raises(Resolver404):
                resolve(path, urlconf=urls)
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)


def test_job_result_has_an_unguessable_name_and_only_its_owner_gets_it(client, tree):
    owner = admin_in_group(tree["district1"], "区级管理员")
    job = job_create(kind="t", title="t", created_by=owner, enqueue=lambda pk: None)
    job_finish(
        job_id=job.pk, result_name="report-2026.csv", result=ContentFile(b"a,b\n")
    )
    job.refresh_from_db()
    assert "report-2026" not in job.result_file.name
    client.force_login(admin_in_group(tree["district2"], "区级管理员"))
    assert client.get(reverse("jobs:result", args=[job.pk])).status_code == 404
    client.force_login(owner)
    response = client.get(reverse("jobs:result", args=[job.pk]))
    assert response.status_code == 200
    assert 'filename="report-2026.csv"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_import_inputs_are_deleted_when_their_job_ends(tree, settings):
    """Done: at once. Failed: kept JOB_INPUT_RETENTION_DAYS, then the beat task."""
    settings.JOB_INPUT_RETENTION_DAYS = 7
    owner = admin_in_group(tree["district1"], "区级管理员")

    def job_with_input():
        return job_create(
            kind="import",
            title="t",
            created_by=owner,
            input_file=ContentFile(b"id\n110", name="in.csv"),
            enqueue=lambda pk: None,
        )

    done, failed = job_with_input(), job_with_input()
    done_name, failed_name = done.input_file.name, failed.input_file.name
    job_finish(job_id=done.pk, message="ok")
    job_fail(job_id=failed.pk, message="bad")
    assert not private_storage().exists(done_name)
    assert Job.objects.get(pk=done.pk).input_file == ""
    now = timezone.now()
    assert job_inputs_expired_delete(now=now + dt.timedelta(days=6)) == 0
    assert private_storage().exists(failed_name)
    assert job_inputs_expired_delete(now=now + dt.timedelta(days=8)) == 1
    assert not private_storage().exists(failed_name)
    assert Job.objects.get(pk=failed.pk).status == JobStatus.FAILED


def test_beat_runs_the_input_deletion():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "lms.jobs.tasks.job_inputs_expired_delete_task" in tasks
