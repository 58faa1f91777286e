"""Upload of a 1 GB lecture through the chunked upload path, against a plain file copy
of the same file on the same machine, in the same run.

    .venv/bin/python benchmarks/upload.py [--mb 1024] [--chunk-mb 8]

The chunked path is the real one: the trainer's HTTP requests (create, one PUT per
chunk with its offset, complete) through the whole Django stack with the test client,
staging to settings.UPLOAD_TEMP_DIR and moving the file into the default (local)
storage, where it becomes a draft lesson. The baseline is `shutil.copyfile` of the
same source file. Temporary folders and a fresh test database are removed afterwards.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

MB = 1024 * 1024


def make_source(path: Path, size: int) -> None:
    """A WebM header (so the content check passes) followed by pseudo-random bytes."""
    head = (Path(settings.BASE_DIR) / "demo/media/lecture.webm").read_bytes()
    block = os.urandom(8 * MB)
    with open(path, "wb") as fh:
        fh.write(head)
        left = size - len(head)
        while left > 0:
            n = min(left, len(block))
            fh.write(block[:n])
            left -= n


def build():
    from courses.services import course_library_ensure  # noqa: F401
    from lms.org.models import OrgLevel, OrgNode
    from tests.courses.factories import TrainerFactory, make_course

    city = OrgNode.add_root(code="510100", name="示范市", level=OrgLevel.CITY)
    trainer = TrainerFactory(org=city)
    course = make_course(city, trainers=[trainer])
    return trainer, course


def chunked_upload(client, course, source: Path, size: int, chunk: int) -> int:
    created = client.post(
        "/learn/uploads/",
        json.dumps(
            {
                "course": course.pk,
                "kind": "video",
                "title": "基准测试讲座",
                "filename": source.name,
                "size": size,
                "duration": 3600,
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    url = created.json()["url"]
    offset = 0
    with open(source, "rb") as fh:
        while offset < size:
            body = fh.read(chunk)
            r = client.put(
                url,
                body,
                content_type="application/octet-stream",
                HTTP_UPLOAD_OFFSET=str(offset),
            )
            assert r.status_code == 200, r.content
            offset = r.json()["offset"]
    done = client.post(url + "complete/")
    assert done.status_code == 201, done.content
    return done.json()["lesson"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--chunk-mb", type=int, default=8)
    args = parser.parse_args()
    size = args.mb * MB
    work = Path(
        tempfile.mkdtemp(prefix="lms-upload-bench-", dir=settings.BASE_DIR / "var")
    )
    settings.MEDIA_ROOT = str(work / "media")
    settings.UPLOAD_TEMP_DIR = str(work / "staging")
    settings.UPLOAD_CHUNK_MAX_BYTES = max(
        settings.UPLOAD_CHUNK_MAX_BYTES, args.chunk_mb * MB
    )
    old = setup_databases(verbosity=0, interactive=False)
    try:
        source = work / "lecture-source.webm"
        make_source(source, size)
        trainer, course = build()

        t0 = time.perf_counter()
        shutil.copyfile(source, work / "plain-copy.webm")
        os.sync()
        copy_s = time.perf_counter() - t0
        (work / "plain-copy.webm").unlink()

        client = Client(HTTP_HOST="localhost")
        client.force_login(trainer.user)
        t0 = time.perf_counter()
        lesson_id = chunked_upload(client, course, source, size, args.chunk_mb * MB)
        os.sync()
        upload_s = time.perf_counter() - t0

        from courses.models import LessonPage

        stored = (
            Path(settings.MEDIA_ROOT) / LessonPage.objects.get(pk=lesson_id).file.name
        )
        assert stored.stat().st_size == size
        chunks = -(-size // (args.chunk_mb * MB))
        print(f"file: {args.mb} MB in {chunks} chunks of {args.chunk_mb} MB")
        print(
            f"plain file copy (baseline): {copy_s:.2f} s, {args.mb / copy_s:.0f} MB/s"
        )
        print(
            f"chunked upload (create, {chunks} PUTs, complete, into storage): "
            f"{upload_s:.2f} s, {args.mb / upload_s:.0f} MB/s "
            f"(×{upload_s / copy_s:.2f} the copy's time)"
        )
    finally:
        teardown_databases(old, verbosity=0)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
