"""Bulk enrolment: a preview that writes nothing, then the job; undoing a batch
removes exactly the enrolments it wrote, until the class starts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from lms.accounts.models import AuditAction, AuditLog
from lms.jobs.models import Job
from lms.jobs.services import job_create
from lms.people.models import Post
from lms.training.models import Attendance, Enrolment, EnrolmentSource
from lms.training.services import (
    EnrolmentError,
    enrolment_bulk_create,
    enrolment_bulk_plan,
    enrolment_bulk_undo,
    enrolment_create,
)
from tests.people.factories import WorkerFactory

from .factories import ClassSessionFactory, TrainingClassFactory
from .test_admin import _admin

pytestmark = pytest.mark.django_db


def _batch(admin, klass, org):
    return job_create(
        kind="bulk_enrolment",
        title="t",
        created_by=admin,
        params={"class_id": klass.pk, "org_id": org.pk, "posts": []},
        enqueue=lambda pk: None,
    )


@pytest.fixture
def setting(frozen_now, tree):
    """A class of street 1 for staff (2 seats, starts in a week), a worker already
    enrolled by herself, three staff, a grid worker, and a staff member of
    district 1 outside the street."""
    klass = TrainingClassFactory(
        organiser=tree["district1"],
        target_org=tree["street1"],
        capacity=2,
        target_posts=[Post.STAFF],
    )
    ClassSessionFactory(
        training_class=klass, date=frozen_now.date() + dt.timedelta(days=7)
    )
    early = WorkerFactory(community=tree["community11"], post=Post.STAFF, name="甲")
    enrolment_create(training_class=klass, worker=early)
    staff = [
        WorkerFactory(community=tree["community12"], post=Post.STAFF, name=n)
        for n in ("乙", "丙", "丁")
    ]
    WorkerFactory(community=tree["community11"], post=Post.GRID_WORKER, name="戊")
    WorkerFactory(community=tree["community21"], post=Post.STAFF, name="己")
    return {"class": klass, "early": early, "staff": staff}


def test_plan_says_who_is_enrolled_and_who_is_skipped_and_why(tree, setting):
    with translation.override("en"):
        plan = enrolment_bulk_plan(
            training_class=setting["class"], org=tree["city"], posts=[]
        )
        by_name = {row.name: (row.outcome, row.reason) for row in plan}
    assert by_name["甲"] == ("skipped", "Already enrolled.")
    assert by_name["戊"] == ("skipped", "The class is not for the worker's post.")
    assert by_name["己"][0] == "skipped" and by_name["己"][1]  # outside the target
    staff = sorted(by_name[n] for n in ("乙", "丙", "丁"))
    assert staff == [("enrolled", "")] + [("waiting", "The class is full.")] * 2
    assert Enrolment.objects.count() == 1  # nothing written


def test_plan_reads_in_a_fixed_number_of_queries(
    tree, setting, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        small = enrolment_bulk_plan(
            training_class=setting["class"], org=tree["city"], posts=[]
        )
    for _ in range(20):
        WorkerFactory(community=tree["community12"], post=Post.STAFF)
    with django_assert_max_num_queries(2):
        large = enrolment_bulk_plan(
            training_class=setting["class"], org=tree["city"], posts=[]
        )
    assert len(large) == len(small) + 20


def test_undo_removes_exactly_the_batch_and_promotes_the_waiting(tree, setting):
    klass = setting["class"]
    admin = _admin(tree["district1"], "区级管理员")
    batch = _batch(admin, klass, tree["street1"])
    result = enrolment_bulk_create(
        training_class=klass, org=tree["street1"], posts=[], actor=admin, batch=batch
    )
    assert (result["enrolled"], result["waiting"]) == (1, 2)
    assert Enrolment.objects.filter(batch=batch).count() == 3
    # a worker enrolled by hand afterwards stays, and moves up once seats free
    late = WorkerFactory(community=tree["community11"], post=Post.STAFF, name="庚")
    enrolment_create(training_class=klass, worker=late)
    removed = enrolment_bulk_undo(batch=batch, actor=admin)
    assert removed == 3
    left = {e.worker.name: e.status for e in Enrolment.objects.select_related("worker")}
    assert left == {"甲": "enrolled", "庚": "enrolled"}
    log = AuditLog.objects.get(action=AuditAction.ENROLMENT_UNDO)
    assert log.actor == admin and log.detail["removed"] == 3
    with pytest.raises(EnrolmentError):  # once only
        enrolment_bulk_undo(batch=batch, actor=admin)


def test_undo_spares_a_worker_who_enrolled_again_by_herself(tree, setting):
    from lms.training.services import enrolment_cancel

    klass = setting["class"]
    admin = _admin(tree["district1"], "区级管理员")
    batch = _batch(admin, klass, tree["street1"])
    enrolment_bulk_create(
        training_class=klass, org=tree["street1"], posts=[], actor=admin, batch=batch
    )
    mine = Enrolment.objects.get(worker=setting["staff"][0])
    enrolment_cancel(enrolment=mine)
    enrolment_create(training_class=klass, worker=setting["staff"][0])
    enrolment_bulk_undo(batch=batch, actor=admin)
    kept = Enrolment.objects.get(worker=setting["staff"][0])
    assert kept.source == EnrolmentSource.SELF and kept.batch is None


def test_undo_is_refused_once_the_class_started_or_attendance_exists(
    tree, setting, frozen_now, time_machine
):
    klass = setting["class"]
    admin = _admin(tree["district1"], "区级管理员")
    batch = _batch(admin, klass, tree["street1"])
    enrolment_bulk_create(
        training_class=klass, org=tree["street1"], posts=[], actor=admin, batch=batch
    )
    enrolment = Enrolment.objects.filter(batch=batch, status="enrolled").first()
    Attendance.objects.create(session=klass.sessions.get(), enrolment=enrolment)
    with pytest.raises(EnrolmentError):
        enrolment_bulk_undo(batch=batch, actor=admin)
    Attendance.objects.all().delete()
    time_machine.move_to(frozen_now + dt.timedelta(days=7, hours=1), tick=False)
    with pytest.raises(EnrolmentError):
        enrolment_bulk_undo(batch=batch, actor=admin)
    assert Enrolment.objects.filter(batch=batch).count() == 3


def test_view_previews_then_enrols_then_undoes(
    client, tree, setting, django_capture_on_commit_callbacks
):
    klass = setting["class"]
    client.force_login(_admin(tree["district1"], "区级管理员"))
    data = {"training_class": klass.pk, "org": tree["street1"].pk}
    preview = client.post(reverse("training_bulk_enrol"), data)
    page = preview.content.decode()
    assert 'id="bulk-preview"' in page and "丙" in page and "己" not in page
    assert preview.context["preview"]["counts"]["waiting"] == 2
    assert Enrolment.objects.count() == 1 and not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training_bulk_enrol"), {**data, "confirm": "1"})
    job = Job.objects.get(kind="bulk_enrolment")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert Enrolment.objects.filter(batch=job).count() == 3
    page = client.get(reverse("training_bulk_enrol")).content.decode()
    undo = reverse("training_bulk_enrol_undo", args=[job.pk])
    assert undo in page
    client.post(undo)
    assert not Enrolment.objects.filter(batch=job).exists()
    assert Enrolment.objects.count() == 1


def test_undo_view_is_scoped(client, tree, setting):
    admin = _admin(tree["district1"], "区级管理员")
    batch = _batch(admin, setting["class"], tree["street1"])
    enrolment_bulk_create(
        training_class=setting["class"],
        org=tree["street1"],
        posts=[],
        actor=admin,
        batch=batch,
    )
    client.force_login(_admin(tree["district2"], "区级管理员"))
    response = client.post(reverse("training_bulk_enrol_undo", args=[batch.pk]))
    assert response.status_code == 404
    assert Enrolment.objects.filter(batch=batch).count() == 3
