"""Worker portal, administrator pages (scoped), template preview and bulk jobs."""

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.contrib.auth.models import Group

from certificates.models import Certificate, CertificateStatus
from lms.accounts.groups import ensure_admin_groups
from lms.jobs.models import Job, JobStatus
from tests.people.factories import AdminFactory, WorkerFactory


@pytest.fixture
def groups(db):
    ensure_admin_groups()


def _admin(username, org, group):
    user = AdminFactory(username=username, org=org)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_worker_sees_and_downloads_own_certificate(client, honour_certificate):
    client.force_login(honour_certificate.worker.user)
    page = client.get("/portal/certificates/").content.decode()
    assert honour_certificate.serial in page
    response = client.get(f"/portal/certificates/{honour_certificate.pk}/download/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    import hashlib

    assert hashlib.sha256(content).hexdigest() == honour_certificate.sha256


def test_worker_cannot_download_anothers_certificate(client, tree, honour_certificate):
    other = WorkerFactory(community=tree["community11"])
    client.force_login(other.user)
    url = f"/portal/certificates/{honour_certificate.pk}/download/"
    assert client.get(url).status_code == 404
    assert (
        honour_certificate.serial
        not in client.get("/portal/certificates/").content.decode()
    )


def test_admin_listing_is_scoped(client, tree, groups, honour_certificate):
    """District 1 sees its worker's certificate; district 2 does not, not even by URL."""
    d1 = _admin("cert_d1", tree["district1"], "区级管理员")
    d2 = _admin("cert_d2", tree["district2"], "区级管理员")
    client.force_login(d1)
    assert (
        honour_certificate.serial
        in client.get("/admin/issued_certificates/").content.decode()
    )
    manage = f"/admin/certificates-admin/{honour_certificate.pk}/manage/"
    assert client.get(manage).status_code == 200
    client.force_login(d2)
    assert (
        honour_certificate.serial
        not in client.get("/admin/issued_certificates/").content.decode()
    )
    assert client.get(manage).status_code == 404
    download = f"/admin/certificates-admin/{honour_certificate.pk}/download/"
    assert client.get(download).status_code == 404


def test_admin_export_masks_the_holder(client, tree, groups, honour_certificate):
    d1 = _admin("cert_d1", tree["district1"], "区级管理员")
    client.force_login(d1)
    response = client.get("/admin/issued_certificates/?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert honour_certificate.serial in body and "张*明" in body
    assert "张晓明" not in body


def test_admin_revokes_with_a_reason(client, tree, groups, honour_certificate):
    d1 = _admin("cert_d1", tree["district1"], "区级管理员")
    client.force_login(d1)
    url = f"/admin/certificates-admin/{honour_certificate.pk}/manage/"
    response = client.post(url, {"action": "revoke", "reason": ""})
    assert response.status_code == 200
    honour_certificate.refresh_from_db()
    assert honour_certificate.status == CertificateStatus.VALID
    client.post(url, {"action": "revoke", "reason": "重复发放"})
    honour_certificate.refresh_from_db()
    assert honour_certificate.status == CertificateStatus.REVOKED
    assert honour_certificate.revoke_reason == "重复发放"


def test_community_admin_may_view_but_not_revoke(
    client, tree, groups, honour_certificate
):
    viewer = _admin("cert_c11", tree["community11"], "社区管理员")
    client.force_login(viewer)
    url = f"/admin/certificates-admin/{honour_certificate.pk}/manage/"
    response = client.post(url, {"action": "revoke", "reason": "x"})
    assert response.status_code == 302  # Wagtail's "permission denied" redirect
    honour_certificate.refresh_from_db()
    assert honour_certificate.status == CertificateStatus.VALID


def test_template_preview_is_a_pdf_with_sample_data(
    client, tree, groups, honour_template
):
    city = _admin("cert_city", tree["city"], "市级管理员")
    client.force_login(city)
    response = client.get(
        f"/admin/certificates-admin/template/{honour_template.pk}/preview.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from certificates.pdf import pdf_text

    assert "张晓明" in pdf_text(response.content)


def test_template_validation_names_unknown_placeholders(tree, honour_template):
    from django.core.exceptions import ValidationError

    honour_template.wording = "{name} {nmae}"
    honour_template.issuer_code = "IO"
    with pytest.raises(ValidationError) as info:
        honour_template.full_clean()
    assert set(info.value.message_dict) == {"wording", "issuer_code"}


def test_bulk_issue_job_makes_a_zip(
    client, tree, groups, honour_template, veteran, django_capture_on_commit_callbacks
):
    """Celery runs eagerly in tests: the job finishes with a ZIP of the PDFs; a
    second job issues nothing new."""
    WorkerFactory(community=tree["community12"], hire_date=dt.date(1999, 1, 1))
    WorkerFactory(community=tree["community21"], hire_date=dt.date(1999, 1, 1))
    d1 = _admin("cert_d1", tree["district1"], "区级管理员")
    client.force_login(d1)
    response = client.post(
        "/admin/certificates-admin/issue/",
        {"kind": "service", "org": tree["district2"].pk},
    )
    assert response.status_code == 200  # district 2 is not in scope
    assert Job.objects.count() == 0
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/admin/certificates-admin/issue/",
                {"kind": "service", "org": tree["district1"].pk},
            )
    job = Job.objects.latest("id")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.DONE, job.message
    assert Certificate.objects.count() == 2  # only district 1's two veterans
    response = client.get(f"/jobs/{job.pk}/result/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(
        f"{c.serial}.pdf" for c in Certificate.objects.all()
    )
    for cert in Certificate.objects.all():
        content = archive.read(f"{cert.serial}.pdf")
        assert hashlib.sha256(content).hexdigest() == cert.sha256


def test_bulk_issue_job_hands_the_zip_over_as_a_file_on_disk(
    tree, groups, honour_template, veteran, monkeypatch
):
    """The task passes the job a file (a temporary file on disk), not bytes, and
    builds it with certificates_zip writing into that file."""
    from certificates import services, tasks
    from lms.jobs import services as jobs
    from lms.jobs.services import job_create

    seen = {}
    real_zip, real_finish = services.certificates_zip, jobs.job_finish

    def spy_zip(certificates, target):
        seen["target"] = target
        return real_zip(certificates, target)

    def spy_finish(**kwargs):
        seen["result"] = kwargs["result"]
        return real_finish(**kwargs)

    monkeypatch.setattr(services, "certificates_zip", spy_zip)
    monkeypatch.setattr(jobs, "job_finish", spy_finish)
    d1 = _admin("cert_d1", tree["district1"], "区级管理员")
    job = job_create(
        kind="certificates_bulk_issue",
        title="t",
        created_by=d1,
        params={"kind": "service", "org": "510101"},
        enqueue=lambda pk: None,
    )
    tasks.certificates_bulk_issue_task(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert not isinstance(seen["result"], bytes)
    assert seen["result"].file is seen["target"]
    assert seen["target"].closed  # the temporary file is gone after the job
    with zipfile.ZipFile(job.result_file.open("rb")) as archive:
        assert archive.namelist() == [f"{Certificate.objects.get().serial}.pdf"]


def test_bulk_issue_form_offers_choosers_of_the_subtree_never_typed_codes(
    client, tree, groups
):
    """Organisation, class and course are chosen, not typed, and only among the
    admin's subtree: a value of another subtree posted by hand is refused."""
    from tests.courses.factories import make_course
    from tests.training.factories import TrainingClassFactory

    mine = TrainingClassFactory(organiser=tree["district1"], title="一区班")
    theirs = TrainingClassFactory(organiser=tree["district2"], title="二区班")
    my_course = make_course(tree["district1"], title="一区网课")
    their_course = make_course(tree["district2"], title="二区网课")
    client.force_login(_admin("cert_d1", tree["district1"], "区级管理员"))
    page = client.get("/admin/certificates-admin/issue/").content.decode()
    assert 'id="id_org-chooser"' in page
    assert 'id="id_training_class-chooser"' in page
    assert "一区网课" in page and "二区网课" not in page
    for field in ("组织代码", "培训班编号", "网络课程编号"):
        assert field not in page
    refused = [
        {"kind": "service", "org": tree["district2"].pk},
        {"kind": "completion", "training_class": theirs.pk},
        {"kind": "course", "course": their_course.pk},
        {"kind": "annual", "org": tree["district1"].pk},  # no year
        {"kind": "completion"},  # no class
    ]
    for data in refused:
        response = client.post("/admin/certificates-admin/issue/", data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
        assert "二区" not in response.content.decode()
    assert not Job.objects.exists()
    for data in (
        {"kind": "completion", "training_class": mine.pk},
        {"kind": "course", "course": my_course.pk},
    ):
        response = client.post("/admin/certificates-admin/issue/", data)
        assert response.status_code == 302, data
    params = [job.params for job in Job.objects.order_by("id")]
    assert params[0]["class_id"] == mine.pk
    assert params[1]["course_id"] == my_course.pk


def test_certificate_listing_filters_within_a_chosen_node(
    client, tree, groups, honour_certificate
):
    client.force_login(_admin("cert_d1", tree["district1"], "区级管理员"))
    listing = client.get("/admin/issued_certificates/", {"org": tree["street1"].pk})
    assert honour_certificate.serial in listing.content.decode()
    other = client.get("/admin/issued_certificates/", {"org": tree["community12"].pk})
    assert honour_certificate.serial not in other.content.decode()
