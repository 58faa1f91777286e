"""The bulk placement job runs through the one job runner (lms.jobs.services.job_run):
progress that keeps the job alive, a result file, and failures as clear reasons."""

import pytest
from django.utils import translation
from openpyxl import load_workbook

from lms.jobs.models import Job, JobStatus
from mentoring.models import Placement
from mentoring.tasks import placement_bulk_create_task
from tests.people.factories import WorkerFactory

from .factories import MentorFactory

pytestmark = pytest.mark.django_db


def _job(admin, **params):
    return Job.objects.create(
        kind="bulk_placement",
        title="批量跟班",
        created_by=admin,
        params={
            "posts": ["deputy"],
            "kind": "shadowing",
            "start": "2026-05-04",
            "end": "2026-05-08",
            "planned_days": "5",
            "goals": "",
            "language": "zh-hans",
            **params,
        },
    )


def test_bulk_placement_job_places_reports_and_moves_its_progress(
    tree, d1_admin, frozen_now
):
    mentor = MentorFactory(org=tree["community11"])
    for _ in range(3):
        WorkerFactory(community=tree["community12"], post="deputy")
    job = _job(d1_admin, org_id=tree["district1"].pk, mentor_id=mentor.pk)
    placement_bulk_create_task(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.DONE, "已安排 3 人，跳过 0 人。")
    assert job.done == job.total == 3 and job.updated_at >= frozen_now
    rows = list(load_workbook(job.result_file).active.values)
    assert len(rows) == 4 and Placement.objects.count() == 3
    placement_bulk_create_task(job.pk)  # redelivered: nothing twice
    assert Placement.objects.count() == 3


def test_bulk_placement_job_fails_with_its_reason(tree, d1_admin):
    job = _job(d1_admin, org_id=tree["district1"].pk, mentor_id=999999)
    placement_bulk_create_task(job.pk)
    job.refresh_from_db()
    with translation.override("zh-hans"):
        assert job.status == JobStatus.FAILED and job.message
    outside = _job(
        d1_admin,
        org_id=tree["district2"].pk,
        mentor_id=MentorFactory(org=tree["community11"]).pk,
    )
    placement_bulk_create_task(outside.pk)
    outside.refresh_from_db()
    assert outside.status == JobStatus.FAILED and not Placement.objects.exists()


def test_an_unexpected_error_fails_the_job_instead_of_leaving_it_running(
    tree, d1_admin, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("mentoring.tasks.placement_bulk_create", broken)
    mentor = MentorFactory(org=tree["community11"])
    job = _job(d1_admin, org_id=tree["district1"].pk, mentor_id=mentor.pk)
    with pytest.raises(RuntimeError):
        placement_bulk_create_task(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message
