"""lms.jobs: a job is created, enqueued after commit, and run by `job_run` with its
progress, result file, audit entry and, on failure, a clear reason."""

import tempfile

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from lms.accounts.models import AuditAction, AuditLog
from lms.jobs.models import Job, JobStatus
from lms.jobs.services import JobFailed, JobOutcome, job_create, job_run
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    return Job.objects.create(
        kind="test", title="t", created_by=UserFactory(), params={"language": "en"}
    )


def test_job_create_enqueues_only_after_commit(django_capture_on_commit_callbacks):
    """The task is queued with the job's id once the transaction commits."""
    queued = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = job_create(
            kind="test",
            title="t",
            created_by=UserFactory(),
            params={"a": 1},
            enqueue=queued.append,
        )
        assert queued == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert queued == [created.pk]
    assert created.status == JobStatus.PENDING and created.params == {"a": 1}


def test_job_run_reports_progress_result_and_audit_in_the_starters_language(job):
    """The work runs in the language the starter used; its progress, message, result
    file and audit entry (the starter as actor) are recorded, and it is done."""
    seen = {}

    def work(running, progress):
        progress(3, 10)
        seen["progress"] = Job.objects.values_list("done", "total").get(pk=job.pk)
        seen["status"] = Job.objects.get(pk=job.pk).status
        seen["language"] = translation.get_language()
        return JobOutcome(
            _("Done"),
            result_name="report.csv",
            result=ContentFile(b"a,b\n"),
            audit={"action": AuditAction.EXPORT, "detail": {"rows": 1}},
        )

    finished = job_run(job_id=job.pk, work=work)
    assert seen == {
        "progress": (3, 10),
        "status": JobStatus.RUNNING,
        "language": "en",
    }
    assert finished.status == JobStatus.DONE and finished.percent == 100
    assert (finished.message, finished.done, finished.total) == ("Done", 10, 10)
    assert finished.result_file.name.endswith(".csv")
    assert finished.result_file.read() == b"a,b\n"
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert (log.actor, log.action, log.detail) == (
        job.created_by,
        AuditAction.EXPORT,
        {"rows": 1},
    )


def test_a_finished_job_is_not_run_again(job):
    """A redelivered task finds the job finished and does nothing."""
    job_run(job_id=job.pk, work=lambda j, p: JobOutcome("first"))
    calls = []
    again = job_run(job_id=job.pk, work=lambda j, p: calls.append(1))
    assert calls == [] and again.message == "first"


def test_job_failed_gives_the_reason_and_the_row_errors(job):
    """`JobFailed` fails the job with its message and errors; nothing is audited."""

    def work(running, progress):
        raise JobFailed("2 problem(s)", errors=[{"row": 2, "column": "id_number"}])

    failed = job_run(job_id=job.pk, work=work)
    assert failed.status == JobStatus.FAILED
    assert failed.message == "2 problem(s)"
    assert failed.errors == [{"row": 2, "column": "id_number"}]
    assert not failed.result_file
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_unexpected_error_fails_the_job_and_is_raised(job):
    """A crash leaves no job 'running' for ever: it fails with a general reason and
    the error goes on to the worker's log."""

    def work(running, progress):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        job_run(job_id=job.pk, work=work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "The job stopped on an unexpected error; please try again."


def test_a_temporary_result_is_closed_once_stored(job):
    """A large result handed over as a temporary file is copied, then closed."""
    handle = tempfile.TemporaryFile()
    handle.write(b"zip")
    handle.seek(0)
    done = job_run(
        job_id=job.pk,
        work=lambda j, p: JobOutcome(
            "ok", result_name="x.zip", result=File(handle, name="x.zip")
        ),
    )
    assert handle.closed
    assert done.result_file.read() == b"zip"


def test_a_job_whose_worker_died_ends_failed_with_the_reason(
    frozen_now, time_machine, settings
):
    """A SIGKILLed worker leaves its job "running" and a redelivered task may never
    come: once its progress has not moved for JOB_STALLED_MINUTES the beat task
    fails it, in its starter's language. A job still moving is left alone, and a
    redelivered task then leaves the failed job alone."""
    import datetime as dt

    from lms.jobs.services import job_progress, job_stalled_fail, job_start
    from lms.jobs.tasks import job_stalled_fail_task

    settings.JOB_STALLED_MINUTES = 60
    user = UserFactory()
    dead, alive, pending = (
        Job.objects.create(
            kind="test", title=t, created_by=user, params={"language": "zh-hans"}
        )
        for t in ("dead", "alive", "pending")
    )
    job_start(job_id=dead.pk, total=100)
    job_start(job_id=alive.pk, total=100)
    time_machine.shift(dt.timedelta(minutes=50))
    job_progress(job_id=dead.pk, done=10)  # the last sign of life
    job_progress(job_id=alive.pk, done=10)
    time_machine.shift(dt.timedelta(minutes=50))
    job_progress(job_id=alive.pk, done=60)
    assert job_stalled_fail() == 0
    time_machine.shift(dt.timedelta(minutes=15))
    assert job_stalled_fail_task() == 1
    dead.refresh_from_db()
    assert (dead.status, dead.message) == (
        JobStatus.FAILED,
        "任务中断（处理进程已停止），请重新开始。",
    )
    alive.refresh_from_db()
    pending.refresh_from_db()
    assert (alive.status, pending.status) == (JobStatus.RUNNING, JobStatus.PENDING)

    ran = []
    job_run(job_id=dead.pk, work=lambda job, progress: ran.append(job))
    assert ran == []


def test_job_run_keeps_the_report_and_deletes_the_input_once_done(job):
    """An import's report is kept with the job, done or failed; the input file (clear
    ID numbers) goes once the job is done, and stays after a preview or a failure."""
    job.input_file.save("rows.csv", ContentFile(b"x"))
    done = job_run(
        job_id=job.pk, work=lambda j, p: JobOutcome("ok", report={"added": [1]})
    )
    assert done.report == {"added": [1]} and not done.input_file

    preview = Job.objects.create(
        kind="test", title="t", created_by=job.created_by, params={"dry_run": True}
    )
    preview.input_file.save("rows.csv", ContentFile(b"x"))
    previewed = job_run(job_id=preview.pk, work=lambda j, p: JobOutcome("preview"))
    assert previewed.status == JobStatus.DONE and previewed.input_file

    failing = Job.objects.create(kind="test", title="t", created_by=job.created_by)
    failing.input_file.save("rows.csv", ContentFile(b"x"))

    def work(running, progress):
        raise JobFailed("1 problem(s)", errors=[{"row": 2}], report={"dry_run": True})

    failed = job_run(job_id=failing.pk, work=work)
    assert failed.status == JobStatus.FAILED and failed.report == {"dry_run": True}
    assert failed.input_file


def test_an_unexpected_error_with_a_reason_of_its_own_is_logged_not_raised(job):
    """Given `unexpected`, a crash fails the job with that reason and is not raised
    (an import run eagerly must not become an error page)."""

    def work(running, progress):
        raise RuntimeError("disk full")

    failed = job_run(
        job_id=job.pk,
        work=work,
        unexpected=lambda exc: f"stopped: {type(exc).__name__}",
    )
    assert failed.status == JobStatus.FAILED
    assert failed.message == "stopped: RuntimeError"
