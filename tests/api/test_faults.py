"""Fault test: kill -9 the Celery worker in the middle of a bulk job, restart it, and
the job finishes with nothing lost and nothing doubled.

Runs only on PostgreSQL with a Redis broker (CI's second pass; locally e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_x
CELERY_BROKER_URL=redis://127.0.0.1:6379/5 pytest tests/api/test_faults.py``): the
worker is a real subprocess reading the same test database and broker.

The job is a bulk issue of honour certificates (PDF rendering, committed chunk by
chunk). Tasks are acks_late with reject_on_worker_lost, so the message of the killed
worker goes back to the queue; issuing is idempotent per subject, so the second run
issues only what the first did not.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from certificates.models import Certificate
from lms.jobs.models import Job, JobStatus
from tests.certificates.factories import CertificateTemplateFactory
from tests.org.factories import make_tree
from tests.people.factories import AdminFactory, WorkerFactory

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 40
CHUNK = 4

pytestmark = [
    pytest.mark.faults,
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis")
        or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL and CELERY_BROKER_URL=redis://…",
    ),
]


def _worker(queue: str, media: Path, log: Path) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.api.fault_settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{connection.settings_dict['NAME']}"
        ),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CERTIFICATE_BATCH_CHUNK": str(CHUNK),
        "MEDIA_ROOT": str(media),
        # Certificates are private files: the worker writes them here.
        "PRIVATE_ROOT": str(media / "private"),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_killed_worker_loses_and_doubles_nothing(tmp_path, settings):
    from config.celery import app

    tree = make_tree()
    admin = AdminFactory(username="faultadmin", org=tree["city"], is_superuser=True)
    CertificateTemplateFactory(kind="honour", org=tree["city"], issuer_code="HR")
    for i in range(WORKERS):
        community = tree["community11" if i % 2 else "community21"]
        WorkerFactory(community=community, hire_date=dt.date(2000, 3, 1))
    job = Job.objects.create(
        kind="certificates",
        title="honours",
        created_by=admin,
        params={"kind": "service", "org": tree["city"].code},
    )
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    media = tmp_path / "media"
    first = _worker(queue, media, log)
    try:
        app.send_task(
            "certificates.tasks.certificates_bulk_issue_task",
            args=[job.pk],
            queue=queue,
        )
        # Kill -9 once some chunks are committed and before the job is done.
        issued_before_kill = _wait(
            lambda: (
                n
                if CHUNK <= (n := Certificate.objects.count()) < WORKERS - CHUNK
                else 0
            ),
            120,
            "the first certificates",
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        killed_at = Certificate.objects.count()
        assert 0 < killed_at < WORKERS
        assert Job.objects.get(pk=job.pk).status != JobStatus.DONE

        second = _worker(queue, media, log)
        try:
            _wait(
                lambda: Job.objects.get(pk=job.pk).finished,
                240,
                "the job to finish after the restart",
            )
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, (job.message, log.read_text()[-3000:])
    certificates = Certificate.objects.all()
    assert certificates.count() == WORKERS  # nothing lost
    assert len({c.worker_id for c in certificates}) == WORKERS  # nothing doubled
    assert len({c.serial for c in certificates}) == WORKERS
    assert issued_before_kill >= CHUNK
    assert job.done == job.total == WORKERS
    assert "honour" in {c.kind for c in certificates}

    # PDFs the killed worker wrote for a chunk it never committed are recorded as
    # pending; the hourly clean-up leaves exactly the certificates' files.
    from certificates.models import PendingFile
    from certificates.services import certificate_files_orphaned_delete

    private = media / "private"

    def stored():
        return {
            str(p.relative_to(private))
            for p in (private / "certificates").rglob("*.pdf")
        }

    referenced = {c.file.name for c in certificates}
    leftovers = stored() - referenced
    assert referenced <= stored()
    assert leftovers <= set(PendingFile.objects.values_list("name", flat=True))
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private)},
        },
    }
    later = timezone.now() + dt.timedelta(hours=2)
    assert certificate_files_orphaned_delete(now=later) == len(leftovers)
    assert stored() == referenced
