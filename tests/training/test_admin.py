"""Administration: scoped listings, bulk enrolment job, import job, ledger reversal,
external-training review."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lms.accounts.exports import write_table
from lms.accounts.groups import ensure_admin_groups
from lms.jobs.models import Job
from lms.people.models import Post
from lms.training.models import CreditEntry, Enrolment, ExternalTraining
from lms.training.services import (
    credit_entry_create,
    enrolment_bulk_create,
    external_training_submit,
)
from tests.files import png_bytes
from tests.people.factories import AdminFactory, WorkerFactory, valid_id_number

from .factories import TrainingClassFactory

pytestmark = pytest.mark.django_db


def _admin(org, group):
    from django.contrib.auth.models import Group

    ensure_admin_groups()
    user = AdminFactory(org=org)
    user.groups.add(Group.objects.get(name=group))
    return user


def _credit(worker, key):
    return credit_entry_create(
        worker=worker,
        date=dt.date(2026, 4, 1),
        days=Decimal("1"),
        hours=Decimal("6"),
        kind="in_person",
        title=f"培训{key}",
        source_key=key,
    )[0]


def test_ledger_listing_and_reversal_are_scoped(client, tree):
    mine = _credit(WorkerFactory(community=tree["community11"]), "a")
    theirs = _credit(WorkerFactory(community=tree["community21"]), "b")
    admin = _admin(tree["district1"], "区级管理员")
    client.force_login(admin)
    listing = client.get(reverse("training_ledger:index")).content.decode()
    assert mine.title in listing and theirs.title not in listing
    url = reverse("training_ledger_reverse", args=[theirs.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.post(
        reverse("training_ledger_reverse", args=[mine.pk]), {"reason": "重复登记"}
    )
    reversal = CreditEntry.objects.get(reverses=mine)
    assert reversal.created_by == admin and reversal.reason == "重复登记"
    assert not CreditEntry.objects.filter(reverses=theirs).exists()
    # the generic edit view is closed: entries are never edited
    edit = client.get(reverse("training_ledger:edit", args=[mine.pk]))
    assert edit.status_code in (302, 403)


def test_class_listing_is_scoped_by_organiser(client, tree):
    TrainingClassFactory(organiser=tree["district1"], title="一区班")
    TrainingClassFactory(organiser=tree["district2"], title="二区班")
    client.force_login(_admin(tree["district1"], "区级管理员"))
    listing = client.get(reverse("training_classes:index")).content.decode()
    assert "一区班" in listing and "二区班" not in listing
    assert client.get(reverse("training_classes:add")).status_code == 200


def test_bulk_enrolment_report_capacity_and_idempotence(tree):
    klass = TrainingClassFactory(
        organiser=tree["district1"],
        capacity=3,
        target_posts=[Post.STAFF, Post.SECRETARY],
    )
    staff = [
        WorkerFactory(community=tree["community11"], post=Post.STAFF) for _ in range(4)
    ]
    WorkerFactory(community=tree["community12"], post=Post.GRID_WORKER)
    WorkerFactory(community=tree["community21"], post=Post.STAFF)  # other district
    with translation.override("en"):
        result = enrolment_bulk_create(
            training_class=klass, org=tree["district1"], posts=[]
        )
    assert (
        result["total"],
        result["enrolled"],
        result["waiting"],
        result["skipped"],
    ) == (5, 3, 1, 1)
    assert (
        Enrolment.objects.filter(training_class=klass, status="enrolled").count() == 3
    )
    skipped = [row for row in result["report"] if row[3] == "Skipped"]
    assert [row[4] for row in skipped] == ["The class is not for the worker's post."]
    waiting = [row for row in result["report"] if row[3] == "On the waiting list"]
    assert [row[4] for row in waiting] == ["The class is full."]
    again = enrolment_bulk_create(training_class=klass, org=tree["district1"], posts=[])
    assert (again["enrolled"], again["waiting"], again["skipped"]) == (0, 0, 5)
    assert Enrolment.objects.filter(training_class=klass).count() == 4
    assert {e.worker_id for e in Enrolment.objects.filter(status="enrolled")} <= {
        w.pk for w in staff
    }


def test_bulk_enrolment_runs_as_a_job_with_a_report(
    client, tree, django_capture_on_commit_callbacks
):
    klass = TrainingClassFactory(organiser=tree["district1"], capacity=10)
    for _ in range(3):
        WorkerFactory(community=tree["community11"])
    client.force_login(_admin(tree["district1"], "区级管理员"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training_bulk_enrol"),
            {
                "training_class": klass.pk,
                "org": tree["street1"].pk,
                "posts": ["staff"],
                "confirm": "1",
            },
        )
    job = Job.objects.get(kind="bulk_enrolment")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.status == "done" and job.done == job.total == 3
    sheet = load_workbook(job.result_file.open("rb")).active
    assert sheet.max_row == 4  # header and one row per worker
    assert Enrolment.objects.filter(training_class=klass).count() == 3


def test_bulk_enrolment_refuses_another_subtree(client, tree):
    klass = TrainingClassFactory(organiser=tree["district2"])
    client.force_login(_admin(tree["district1"], "区级管理员"))
    response = client.post(
        reverse("training_bulk_enrol"),
        {"training_class": klass.pk, "org": tree["district1"].pk},
    )
    assert response.status_code == 200  # the form refuses the class: not in scope
    assert not Job.objects.exists()


def test_class_chooser_offers_the_scope_searched_by_title(client, tree):
    TrainingClassFactory(organiser=tree["district1"], title="网格员专题培训班")
    TrainingClassFactory(organiser=tree["street1"], title="街道议事培训班")
    theirs = TrainingClassFactory(organiser=tree["district2"], title="二区网格培训班")
    client.force_login(_admin(tree["district1"], "区级管理员"))
    results = client.get("/admin/class_chooser/results/")
    assert {k.title for k in results.context["results"]} == {
        "网格员专题培训班",
        "街道议事培训班",
    }
    results = client.get("/admin/class_chooser/results/", {"q": "网格"})
    assert [k.title for k in results.context["results"]] == ["网格员专题培训班"]
    chosen = client.get(f"/admin/class_chooser/chosen/{theirs.pk}/")
    assert chosen.status_code == 404
    page = client.get(reverse("training_bulk_enrol"))
    assert 'id="id_training_class-chooser"' in page.content.decode()
    assert 'id="id_org-chooser"' in page.content.decode()


def test_class_listing_links_to_bulk_enrolment_for_those_who_may(client, tree):
    klass = TrainingClassFactory(organiser=tree["district1"])
    link = f"{reverse('training_bulk_enrol')}?class={klass.pk}"
    client.force_login(_admin(tree["district1"], "区级管理员"))
    assert link in client.get("/admin/training_classes/").content.decode()
    page = client.get(link)
    assert page.context["form"]["training_class"].value() == str(klass.pk)
    local = TrainingClassFactory(organiser=tree["community11"], title="社区微课堂")
    client.force_login(_admin(tree["community11"], "社区管理员"))  # looks only
    listing = client.get("/admin/training_classes/").content.decode()
    assert local.title in listing
    assert f"{reverse('training_bulk_enrol')}?class={local.pk}" not in listing


def test_import_runs_as_a_job(client, tree, django_capture_on_commit_callbacks):
    id_number = valid_id_number()
    WorkerFactory(community=tree["community11"], id_number=id_number)
    content = write_table(
        "xlsx",
        [
            "身份证号",
            "培训名称",
            "培训类型",
            "培训形式",
            "开始日期",
            "结束日期",
            "学时",
        ],
        [
            [
                id_number,
                "社区应急管理培训",
                "岗位培训",
                "集中培训",
                "2026-02-01",
                "2026-02-01",
                "6",
            ]
        ],
    )
    client.force_login(_admin(tree["district1"], "区级管理员"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("training_import"), {"file": SimpleUploadedFile("t.xlsx", content)}
        )
    preview = Job.objects.get(kind="import_training")
    assert preview.status == "done", preview.errors
    assert preview.report["created"] == 1 and not CreditEntry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training_import_confirm", args=[preview.pk]))
    job = Job.objects.exclude(pk=preview.pk).get(kind="import_training")
    assert job.status == "done", job.errors
    assert CreditEntry.objects.get().days == Decimal("1")


def test_import_outside_the_admins_subtree_fails_whole(
    client, tree, django_capture_on_commit_callbacks
):
    id_number = valid_id_number()
    WorkerFactory(community=tree["community21"], id_number=id_number)
    content = write_table(
        "csv",
        [
            "身份证号",
            "培训名称",
            "培训类型",
            "培训形式",
            "开始日期",
            "结束日期",
            "天数",
        ],
        [[id_number, "培训", "岗位培训", "集中培训", "2026-02-01", "2026-02-01", "1"]],
    )
    client.force_login(_admin(tree["district1"], "区级管理员"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("training_import"), {"file": SimpleUploadedFile("t.csv", content)}
        )
    job = Job.objects.get(kind="import_training")
    assert job.status == "failed" and job.errors[0]["column"] == "id_number"
    assert not CreditEntry.objects.exists()


def _external(worker):
    return external_training_submit(
        worker=worker,
        title="社区心理服务培训",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 1),
        hours=Decimal("3"),
        certificate=SimpleUploadedFile("c.png", png_bytes()),
    )


def test_street_admin_approves_and_rejects_in_scope(client, tree):
    mine = _external(WorkerFactory(community=tree["community11"]))
    rejected = _external(WorkerFactory(community=tree["community12"]))
    theirs = _external(WorkerFactory(community=tree["community21"]))
    client.force_login(_admin(tree["street1"], "街道管理员"))
    review = reverse("training_external_review", args=[mine.pk])
    assert client.get(review).status_code == 200
    client.post(review, {"decision": "approve"})
    mine.refresh_from_db()
    assert mine.status == "approved"
    assert (mine.credit.days, mine.credit.hours, mine.credit.kind) == (
        Decimal("0.5"),
        Decimal("3"),
        "external",
    )
    client.post(
        reverse("training_external_review", args=[rejected.pk]),
        {"decision": "reject", "reason": ""},
    )
    rejected.refresh_from_db()
    assert rejected.status == "pending"
    client.post(
        reverse("training_external_review", args=[rejected.pk]),
        {"decision": "reject", "reason": "证书无公章"},
    )
    rejected.refresh_from_db()
    assert (rejected.status, rejected.reason) == ("rejected", "证书无公章")
    assert (
        client.post(
            reverse("training_external_review", args=[theirs.pk]),
            {"decision": "approve"},
        ).status_code
        == 404
    )
    assert ExternalTraining.objects.get(pk=theirs.pk).status == "pending"
    assert CreditEntry.objects.count() == 1


def test_enrolment_listing_filters_by_a_chosen_class_of_the_subtree(client, tree):
    mine = TrainingClassFactory(organiser=tree["district1"], title="一区班")
    other = TrainingClassFactory(organiser=tree["district1"], title="一区另一班")
    theirs = TrainingClassFactory(organiser=tree["district2"], title="二区班")
    worker = WorkerFactory(community=tree["community11"], name="李春华")
    Enrolment.objects.create(training_class=mine, worker=worker, status="enrolled")
    client.force_login(_admin(tree["district1"], "区级管理员"))
    page = client.get(reverse("training_enrolments:index"), {"training_class": mine.pk})
    assert "李春华" in page.content.decode()
    assert 'id="id_training_class-chooser"' in page.content.decode()
    page = client.get(
        reverse("training_enrolments:index"), {"training_class": other.pk}
    )
    assert "李春华" not in page.content.decode()
    page = client.get(
        reverse("training_enrolments:index"), {"training_class": theirs.pk}
    )
    assert "二区班" not in page.content.decode()
