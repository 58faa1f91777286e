"""Chunked, resumable uploads on local storage and on an S3-compatible server."""

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonPage, Upload, UploadStatus
from courses.services import (
    upload_append,
    upload_complete,
    upload_create,
    uploads_expired_delete,
)
from courses.services.uploads import UploadError, staged_path
from courses.tasks import uploads_expired_delete_task
from lms.accounts.files import private_storage

from .factories import PDF_BYTES, TrainerFactory, make_course, webm_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(tree):
    return TrainerFactory(org=tree["city"])


@pytest.fixture
def course(tree, trainer):
    return make_course(tree["district1"], trainers=[trainer])


def api_upload(
    client, course, data: bytes, *, kind="video", chunk=200_000, stop_after=None
):
    """Drive the HTTP protocol: create, PUT chunks, complete. Returns (id, responses)."""
    created = client.post(
        reverse("courses:upload_start"),
        json.dumps(
            {
                "course": course.pk,
                "kind": kind,
                "title": "第一讲 社区治理",
                "filename": "a.webm",
                "size": len(data),
                "duration": 60,
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    url = created.json()["url"]
    offset, sent = 0, 0
    while offset < len(data):
        if stop_after is not None and sent >= stop_after:
            return url, None
        body = data[offset : offset + chunk]
        r = client.put(
            url,
            body,
            content_type="application/octet-stream",
            HTTP_UPLOAD_OFFSET=str(offset),
        )
        assert r.status_code == 200, r.content
        offset = r.json()["offset"]
        sent += 1
    done = client.post(url + "complete/")
    return url, done


def test_chunked_upload_makes_a_draft_lesson(client, trainer, course):
    data = webm_bytes()
    client.force_login(trainer.user)
    url, done = api_upload(client, course, data)
    assert done.status_code == 201
    lesson = LessonPage.objects.get(pk=done.json()["lesson"])
    assert lesson.get_parent().pk == course.pk
    assert not lesson.live
    assert lesson.kind == "video" and lesson.duration_seconds == 60
    assert private_storage().open(lesson.file.name).read() == data
    assert Upload.objects.get().status == UploadStatus.COMPLETE
    assert not staged_path(Upload.objects.get().pk).exists()


def test_interrupted_upload_resumes_from_server_offset(client, trainer, course):
    data = webm_bytes()
    client.force_login(trainer.user)
    url, _ = api_upload(client, course, data, stop_after=2)
    status = client.get(url).json()
    assert status["offset"] == 400_000
    # A client that lost track sends from 0 again: told where to resume.
    stale = client.put(
        url,
        data[:1000],
        content_type="application/octet-stream",
        HTTP_UPLOAD_OFFSET="0",
    )
    assert stale.status_code == 409 and stale.json()["offset"] == 400_000
    r = client.put(
        url,
        data[400_000:],
        content_type="application/octet-stream",
        HTTP_UPLOAD_OFFSET="400000",
    )
    assert r.json()["offset"] == len(data)
    done = client.post(url + "complete/")
    assert done.status_code == 201
    lesson = LessonPage.objects.get(pk=done.json()["lesson"])
    assert private_storage().open(lesson.file.name).read() == data


def test_wrong_type_by_content_is_refused_and_nothing_left(
    client, trainer, course, settings
):
    client.force_login(trainer.user)
    fake = b"MZ\x90\x00" + b"\x00" * 5000  # an executable named lecture.mp4
    created = client.post(
        reverse("courses:upload_start"),
        json.dumps(
            {
                "course": course.pk,
                "kind": "video",
                "title": "x",
                "filename": "lecture.mp4",
                "size": len(fake),
                "duration": 10,
            }
        ),
        content_type="application/json",
    )
    url = created.json()["url"]
    r = client.put(
        url, fake, content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="0"
    )
    assert r.status_code == 415
    assert "MP4" in r.json()["error"] or "视频" in r.json()["error"]
    assert not Upload.objects.exists()
    assert not LessonPage.objects.exists()
    assert not list(Path(settings.UPLOAD_TEMP_DIR).glob("*.part"))


def test_pdf_sent_as_video_is_refused(trainer, course):
    upload = upload_create(
        user=trainer.user,
        course=course,
        kind="video",
        title="t",
        filename="v.mp4",
        size=len(PDF_BYTES),
        duration_seconds=5,
    )
    with pytest.raises(UploadError) as exc:
        upload_append(
            upload=upload,
            user=trainer.user,
            offset=0,
            stream=io.BytesIO(PDF_BYTES),
            length=len(PDF_BYTES),
        )
    assert exc.value.status == 415


def test_oversized_upload_is_refused_before_any_byte(client, trainer, course, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client.force_login(trainer.user)
    r = client.post(
        reverse("courses:upload_start"),
        json.dumps(
            {
                "course": course.pk,
                "kind": "slides",
                "title": "课件",
                "filename": "a.pdf",
                "size": 5000,
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 413
    assert not Upload.objects.exists()


def test_more_bytes_than_announced_are_refused(trainer, course):
    upload = upload_create(
        user=trainer.user,
        course=course,
        kind="slides",
        title="t",
        filename="a.pdf",
        size=10,
    )
    with pytest.raises(UploadError) as exc:
        upload_append(
            upload=upload,
            user=trainer.user,
            offset=0,
            stream=io.BytesIO(PDF_BYTES),
            length=len(PDF_BYTES),
        )
    assert exc.value.status == 413
    assert Upload.objects.get().received == 0


def test_incomplete_upload_cannot_complete(trainer, course):
    upload = upload_create(
        user=trainer.user,
        course=course,
        kind="slides",
        title="t",
        filename="a.pdf",
        size=len(PDF_BYTES) + 10,
    )
    upload_append(
        upload=upload,
        user=trainer.user,
        offset=0,
        stream=io.BytesIO(PDF_BYTES),
        length=len(PDF_BYTES),
    )
    with pytest.raises(UploadError) as exc:
        upload_complete(upload=upload, user=trainer.user)
    assert exc.value.status == 409
    assert not LessonPage.objects.exists()


def test_other_trainer_cannot_upload_into_course(client, tree, course):
    other = TrainerFactory(org=tree["city"])
    client.force_login(other.user)
    r = client.post(
        reverse("courses:upload_start"),
        json.dumps(
            {
                "course": course.pk,
                "kind": "slides",
                "title": "t",
                "filename": "a.pdf",
                "size": 10,
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 403
    assert not Upload.objects.exists()


def test_expired_uploads_and_orphans_are_cleaned(trainer, course, settings):
    upload = upload_create(
        user=trainer.user,
        course=course,
        kind="slides",
        title="t",
        filename="a.pdf",
        size=len(PDF_BYTES) + 10,
    )
    upload_append(
        upload=upload,
        user=trainer.user,
        offset=0,
        stream=io.BytesIO(PDF_BYTES),
        length=len(PDF_BYTES),
    )
    fresh = upload_create(
        user=trainer.user,
        course=course,
        kind="slides",
        title="t2",
        filename="b.pdf",
        size=100,
    )
    orphan = Path(settings.UPLOAD_TEMP_DIR) / "0123456789abcdef0123456789abcdef.part"
    orphan.write_bytes(b"left by a crash")
    old = (timezone.now() - dt.timedelta(hours=2)).timestamp()
    os.utime(orphan, (old, old))
    Upload.objects.filter(pk=upload.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert uploads_expired_delete_task() == 1
    assert not staged_path(upload.pk).exists()
    assert not orphan.exists()
    assert staged_path(fresh.pk).exists()  # still open: kept
    assert Upload.objects.get(pk=upload.pk).status == UploadStatus.EXPIRED
    # An expired upload cannot be resumed.
    with pytest.raises(UploadError) as exc:
        upload_append(
            upload=Upload.objects.get(pk=upload.pk),
            user=trainer.user,
            offset=0,
            stream=io.BytesIO(PDF_BYTES),
            length=len(PDF_BYTES),
        )
    assert exc.value.status == 410
    assert uploads_expired_delete() == 0


# --- S3-compatible storage (moto's server, a real HTTP endpoint) -------------------
@pytest.fixture
def s3(settings):
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    import boto3

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket="lms-test")
    settings.AWS_STORAGE_BUCKET_NAME = "lms-test"
    settings.AWS_S3_ENDPOINT_URL = endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_ACCESS_KEY_ID = "test"
    settings.AWS_SECRET_ACCESS_KEY = "test"
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_QUERYSTRING_AUTH = True
    settings.AWS_QUERYSTRING_EXPIRE = 600
    settings.STORAGES = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"location": "private", "querystring_auth": True},
        },
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    yield endpoint
    server.stop()


def test_upload_to_s3_and_serve_by_signed_url(client, tree, trainer, course, s3):
    import requests

    from tests.people.factories import WorkerFactory

    data = webm_bytes()
    client.force_login(trainer.user)
    url, done = api_upload(client, course, data, chunk=300_000)
    assert done.status_code == 201
    lesson = LessonPage.objects.get(pk=done.json()["lesson"])
    assert storages["private"].__class__.__name__ == "S3Storage"
    assert private_storage().exists(lesson.file.name)
    assert private_storage().open(lesson.file.name).read() == data
    # Publish and let a worker of the district fetch it: a redirect to a signed URL.
    lesson.save_revision().publish()
    worker = WorkerFactory(community=tree["community11"])
    client.force_login(worker.user)
    r = client.get(reverse("courses:lesson_media", args=[lesson.pk]))
    assert r.status_code == 302
    signed = r["Location"]
    assert signed.startswith(s3)
    assert "Signature=" in signed or "X-Amz-Signature=" in signed
    # The signed URL supports range requests; the bare object URL is refused.
    ranged = requests.get(signed, headers={"Range": "bytes=100-199"}, timeout=10)
    assert ranged.status_code == 206 and ranged.content == data[100:200]
    bare = requests.get(signed.split("?")[0], timeout=10)
    assert bare.status_code == 403
