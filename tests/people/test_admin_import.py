"""The admin import runs as a background job whose progress its starter can watch."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.jobs.models import Job, JobStatus
from lms.people.models import Worker
from lms.tabular import read_table
from tests.people.factories import AdminFactory, valid_id_number


@pytest.fixture
def admin_client(client, tree):
    admin = AdminFactory(org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    client.force_login(admin)
    return client


def upload(client, text: str):
    return client.post(
        "/admin/people/import/",
        {
            "kind": "import_workers",
            "file": SimpleUploadedFile("w.csv", text.encode("utf-8")),
        },
        follow=True,
    )


def test_import_previews_then_writes_once_confirmed(
    admin_client, django_capture_on_commit_callbacks
):
    """The upload runs a preview job that writes nothing and lists the rows to add;
    the administrator's confirmation runs the import itself as a second job."""
    number = valid_id_number(dt.date(1991, 2, 3), "M")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            admin_client,
            f"姓名,身份证号,入职日期,社区代码,岗位\n陈晨,{number},2026-03-01,510101001001,网格员\n",
        )
    preview = Job.objects.get()
    assert response.redirect_chain[-1][0] == f"/jobs/{preview.pk}/"
    assert (preview.status, preview.percent) == (JobStatus.DONE, 100)
    assert preview.message == (
        "预览：新增 1，修改 0，未变 0，忽略 0。确认之前不会写入任何数据。"
    )
    assert preview.report["added"] == [
        {"row": 2, "label": f"陈晨 {number[:6]}********{number[-4:]}"}
    ]
    assert Worker.objects.count() == 0
    page = admin_client.get(f"/jobs/{preview.pk}/").content.decode()
    assert f'action="/admin/people/import/{preview.pk}/confirm/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/people/import/{preview.pk}/confirm/", follow=True
        )
    job = Job.objects.exclude(pk=preview.pk).get()
    assert response.redirect_chain[-1][0] == f"/jobs/{job.pk}/"
    assert (job.status, job.params["dry_run"]) == (JobStatus.DONE, False)
    assert job.message == "导入完成：新增 1，更新 0，未变 0。"
    assert Worker.objects.get().name == "陈晨"
    status = admin_client.get(f"/jobs/{job.pk}/status/").json()
    assert (status["finished"], status["percent"], status["error_count"]) == (
        True,
        100,
        0,
    )
    # A second confirmation of the same preview runs nothing more.
    admin_client.post(f"/admin/people/import/{preview.pk}/confirm/")
    assert Job.objects.count() == 2


def test_only_the_starter_confirms_a_preview(
    admin_client, client, tree, django_capture_on_commit_callbacks
):
    """Another administrator (even with the import permission) cannot run a preview
    they did not start; nor can a failed preview be confirmed."""
    number = valid_id_number(dt.date(1991, 2, 3), "M")
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            admin_client,
            f"姓名,身份证号,入职日期,社区代码,岗位\n陈晨,{number},2026-03-01,510101001001,网格员\n",
        )
    preview = Job.objects.get()
    other = AdminFactory(org=tree["district1"])
    other.groups.add(Group.objects.get(name="区级管理员"))
    client.force_login(other)
    response = client.post(f"/admin/people/import/{preview.pk}/confirm/")
    assert response.status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            admin_client,
            "姓名,身份证号,入职日期,社区代码,岗位\n陈晨,123,2026-03-01,510101001001,网格员\n",
        )
    failed = Job.objects.latest("pk")
    assert failed.status == JobStatus.FAILED
    admin_client.post(f"/admin/people/import/{failed.pk}/confirm/")
    assert Job.objects.count() == 2 and Worker.objects.count() == 0


def test_failed_import_lists_rows_and_writes_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            admin_client,
            "姓名,身份证号,入职日期,社区代码,岗位\n陈晨,123,2026-03-01,510101001001,网格员\n",
        )
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.errors == [
        {
            "row": 2,
            "column": "id_number",
            "message": "身份证号无效：应为 18 位。 / Invalid ID number: must be 18 characters.",
        }
    ]
    assert Worker.objects.count() == 0


def test_only_the_starter_sees_a_job(admin_client, client, tree):
    job = Job.objects.create(
        kind="import_workers", title="x", created_by=AdminFactory(org=tree["district2"])
    )
    assert admin_client.get(f"/jobs/{job.pk}/status/").status_code == 404


def test_template_download_has_bilingual_headers(admin_client):
    response = admin_client.get("/admin/people/import/template/import_workers.xlsx")
    from lms.people.services.rows import WORKER_COLUMNS

    rows = read_table(
        "t.xlsx", response.content, WORKER_COLUMNS, identifying=["id_number"]
    ).rows
    assert rows[0].values["name"] == "张伟"
    assert rows[0].values["community_code"] == "510104001001"
