"""Online course completion certificates: eligible when the ledger credits every
video lesson and test of the course, issued once from the lesson or test that
completes it, shown in the worker's portal and verifiable."""

import hashlib
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone

from certificates import claims, rules, selectors, services
from certificates.models import Certificate, CertificateTemplate
from certificates.pdf import pdf_text
from certificates.tasks import course_certificate_issue_task
from courses.models import LessonKind, QuestionKind
from courses.services import exams
from lms.training.models import CreditEntry
from lms.training.services import credit_entry_reverse
from tests.courses.factories import make_course, make_lesson, make_test, right_answers
from tests.courses.playing import Player
from tests.people.factories import AdminFactory, WorkerFactory

from .factories import CertificateTemplateFactory

# Playing a lesson sends heartbeats up to a minute ahead: a stopped clock keeps them,
# the credit and the certificate on the same day (not across midnight).
pytestmark = pytest.mark.usefixtures("frozen_now")

QUESTION = [(QuestionKind.SINGLE, "网格员服务多少户？", ["100户", "300至500户"], "2")]


@pytest.fixture
def course_template(tree):
    return CertificateTemplateFactory(kind="course", org=tree["city"], issuer_code="WK")


@pytest.fixture
def course(tree):
    """Two one-minute videos, a text lesson (records no completion) and a test."""
    course = make_course(tree["district1"], title="社区社会工作实务")
    make_lesson(course, duration=60, title="第一讲")
    make_lesson(course, duration=60, title="第二讲")
    make_lesson(course, kind=LessonKind.TEXT, duration=0, body="<p>阅读材料</p>")
    make_test(course, QUESTION, title="结业测试")
    return course


@pytest.fixture
def worker(tree):
    return WorkerFactory(name="王丽娟", community=tree["community11"])


def _lessons(course):
    from courses.models import LessonPage

    return list(LessonPage.objects.child_of(course).order_by("path"))


def watch(worker, lesson):
    """Play the whole lesson in one play session, one heartbeat every 10 s."""
    Player(worker, lesson).watch(0, lesson.duration_seconds)


def pass_test(worker, lesson):
    attempt = exams.test_attempt_start(worker=worker, lesson=lesson)
    attempt = exams.test_attempt_submit(
        worker=worker, lesson=lesson, answers=right_answers(attempt)
    )
    assert attempt.passed


def test_course_claim_lists_what_is_left(course, worker):
    """Nothing done: each video and the test are named; the text lesson is not."""
    claim = claims.course_claim(worker, course)
    assert not claim.eligible
    assert claim.reasons == [
        "课时未学完：第一讲",
        "课时未学完：第二讲",
        "测验未通过：结业测试",
    ]
    assert claim.subject_key == f"course:{course.pk}"


def test_course_without_a_trackable_lesson_gives_no_certificate(tree, worker):
    course = make_course(tree["city"])
    make_lesson(course, kind=LessonKind.TEXT, duration=0, body="<p>x</p>")
    claim = claims.course_claim(worker, course)
    assert not claim.eligible and claim.reasons == [
        "本课程没有需要完成的视频课时或测验。"
    ]


def test_last_lesson_issues_the_certificate_once(
    course, worker, course_template, django_capture_on_commit_callbacks
):
    """Each credit checks the course; only the one completing it issues. The
    certificate carries the course title, the 学时 credited and the completion
    date; completing again or rerunning the task issues nothing more."""
    video1, video2, _text, test = _lessons(course)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        watch(worker, video1)
    assert len(callbacks) == 1  # one check per credit, not per heartbeat
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        pass_test(worker, test)
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        watch(worker, video2)
    cert = Certificate.objects.get()
    today = timezone.localdate()
    assert (cert.kind, cert.subject_key, cert.title) == (
        "course",
        f"course:{course.pk}",
        "社区社会工作实务",
    )
    assert cert.hours == Decimal("1.00")  # 0.25 + 0.25 for the videos, 0.5 the test
    assert cert.days is None and cert.year == today.year
    assert cert.issuer_org == course.owner_org
    assert cert.details["completed_on"] == today.isoformat()
    assert cert.serial.startswith("WK-")
    text = pdf_text(cert.file.read()).replace("\n", "")
    assert "王丽娟" in text and "社区社会工作实务" in text
    assert f"于{rules.date_text(today)}完成" in text and "获得1学时" in text

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        watch(worker, video2)  # watched again: no new credit, no new check
    assert callbacks == []
    assert course_certificate_issue_task(worker.pk, course.pk) == cert.serial
    assert Certificate.objects.count() == 1


def test_reversed_credit_means_not_complete(course, worker, course_template):
    """A lesson whose credit an administrator reversed no longer counts."""
    video1, video2, _text, test = _lessons(course)
    for lesson in (video1, video2):
        watch(worker, lesson)
    pass_test(worker, test)
    assert claims.course_claim(worker, course).eligible
    from lms.training.models import CreditEntry

    entry = CreditEntry.objects.get(worker=worker, source_key=f"test:{test.pk}")
    credit_entry_reverse(
        entry=entry, reason="作弊", actor=AdminFactory(org=course.owner_org)
    )
    claim = claims.course_claim(worker, course)
    assert not claim.eligible and claim.reasons == ["测验未通过：结业测试"]
    assert course_certificate_issue_task(worker.pk, course.pk) is None
    assert not Certificate.objects.exists()


def test_without_a_template_the_task_logs_and_issues_nothing(
    course, worker, caplog, django_capture_on_commit_callbacks
):
    video1, video2, _text, test = _lessons(course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in (video1, video2):
            watch(worker, lesson)
        pass_test(worker, test)
    assert not Certificate.objects.exists()
    assert "course certificate not issued" in caplog.text


def test_worker_downloads_and_anyone_verifies_it(
    client, course, worker, course_template
):
    video1, video2, _text, test = _lessons(course)
    for lesson in (video1, video2):
        watch(worker, lesson)
    pass_test(worker, test)
    cert = course_certificate_issue_task(worker.pk, course.pk)
    cert = Certificate.objects.get(serial=cert)
    client.force_login(worker.user)
    page = client.get("/portal/certificates/").content.decode()
    assert cert.serial in page and "网络课程结业证书" in page
    response = client.get(f"/portal/certificates/{cert.pk}/download/")
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == cert.sha256
    client.logout()
    page = client.get(f"/verify/{cert.serial}/").content.decode()
    assert "社区社会工作实务" in page and "王*娟" in page


def test_reissue_keeps_the_completion_date(
    course, worker, course_template, district_admin
):
    video1, video2, _text, test = _lessons(course)
    for lesson in (video1, video2):
        watch(worker, lesson)
    pass_test(worker, test)
    old = services.course_certificate_issue(worker_id=worker.pk, course_id=course.pk)
    new = services.certificate_reissue(
        certificate=old, reason="更正", actor=district_admin
    )
    text = pdf_text(new.file.read()).replace("\n", "")
    assert f"于{rules.date_text(timezone.localdate())}完成" in text
    assert "社区社会工作实务" in text


def test_backfill_command_and_bulk_claims(course, worker, course_template, capsys):
    """Learners who finished before the certificate existed get it from
    `issue_certificates --kind course`; those who did not are counted."""
    video1, video2, _text, test = _lessons(course)
    for lesson in (video1, video2):
        watch(worker, lesson)
    pass_test(worker, test)
    halfway = WorkerFactory(community=worker.community)
    watch(halfway, video1)
    found = claims.bulk_claims(kind="course", course_id=course.pk)
    assert sorted(c.worker.pk for c in found) == sorted([worker.pk, halfway.pk])
    call_command("issue_certificates", "--kind", "course", "--course", str(course.pk))
    out = capsys.readouterr()
    assert len(out.out.strip().splitlines()) == 1
    assert "issued 1, already issued 0, not eligible 1" in out.err
    assert Certificate.objects.get().worker == worker


def test_data_migration_adds_a_course_template_beside_completion_ones(tree):
    """Deployments with class-completion templates get a course template per
    organisation, with the same issuer and layout, once."""
    completion = CertificateTemplateFactory(
        kind="completion", org=tree["district1"], issuer_code="JY", signatory="李华"
    )
    migration = importlib.import_module(
        "certificates.migrations.0006_course_completion"
    )
    for _ in range(2):
        migration.course_templates(django_apps, None)
    made = CertificateTemplate.objects.get(kind="course")
    assert (made.org, made.issuer_code, made.signatory, made.issuer_name) == (
        tree["district1"],
        "JY",
        "李华",
        completion.issuer_name,
    )
    assert made.wording == migration.COURSE_WORDING
    made.full_clean()
    assert selectors.template_for(kind="course", org=tree["community11"]) == made


def test_default_wording_is_the_migrations(db):
    from certificates.layout import DEFAULT_HEADING, DEFAULT_WORDING

    migration = importlib.import_module(
        "certificates.migrations.0006_course_completion"
    )
    assert DEFAULT_WORDING["course"] == migration.COURSE_WORDING
    assert DEFAULT_HEADING["course"] == migration.COURSE_HEADING == "结业证书"


def test_bulk_issue_for_a_course_in_scope_only(
    client, tree, course, worker, course_template, django_capture_on_commit_callbacks
):
    """A course of district 1: its administrator backfills the certificates from the
    admin; district 2's administrator is refused."""
    import io
    import zipfile

    from django.contrib.auth.models import Group

    from lms.accounts.groups import ensure_admin_groups
    from lms.jobs.models import Job, JobStatus

    ensure_admin_groups()
    video1, video2, _text, test = _lessons(course)
    for lesson in (video1, video2):
        watch(worker, lesson)
    pass_test(worker, test)
    admins = {}
    for name in ("district1", "district2"):
        admins[name] = AdminFactory(username=f"c_{name}", org=tree[name])
        admins[name].groups.add(Group.objects.get(name="区级管理员"))
    client.force_login(admins["district2"])
    data = {"kind": "course", "course": course.pk}
    response = client.post("/admin/certificates-admin/issue/", data)
    assert response.status_code == 200 and not Job.objects.exists()
    page = response.content.decode()
    # The course is chosen from the subtree's courses: another district's is not one.
    assert "选择一个有效的选项" in page and course.title not in page
    client.force_login(admins["district1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/certificates-admin/issue/", data)
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.message
    cert = Certificate.objects.get()
    assert cert.kind == "course" and cert.worker == worker
    archive = zipfile.ZipFile(io.BytesIO(job.result_file.read()))
    assert archive.namelist() == [f"{cert.serial}.pdf"]


def test_template_preview_of_the_course_kind(client, tree, course_template):
    from django.contrib.auth.models import Group

    from lms.accounts.groups import ensure_admin_groups

    ensure_admin_groups()
    city = AdminFactory(username="c_city", org=tree["city"])
    city.groups.add(Group.objects.get(name="市级管理员"))
    client.force_login(city)
    response = client.get(
        f"/admin/certificates-admin/template/{course_template.pk}/preview.pdf"
    )
    assert response.status_code == 200
    text = pdf_text(response.content).replace("\n", "")
    assert "社区社会工作实务" in text and "获得4.5学时" in text
    assert "{completion_date}" not in text


def test_a_short_lesson_watched_through_completes_its_course_without_credit(
    tree, worker, course_template, django_capture_on_commit_callbacks
):
    """A 30 s clip earns no credit (the year's minimum is 60 s), but once watched
    through it no longer keeps its course from completing: the certificate is
    issued when it is the last lesson watched, with the hours credited."""
    course = make_course(tree["district1"], title="社区议事协商")
    clip = make_lesson(course, duration=30, title="导学短片")
    lesson = make_lesson(course, duration=60, title="第一讲")
    with django_capture_on_commit_callbacks(execute=True):
        watch(worker, lesson)
    assert claims.course_claim(worker, course).reasons == ["课时未学完：导学短片"]
    Player(worker, clip).watch(0, 10)  # a third of it: not done
    assert not claims.course_claim(worker, course).eligible
    with django_capture_on_commit_callbacks(execute=True):
        watch(worker, clip)
    cert = Certificate.objects.get()
    assert cert.hours == Decimal("0.25")  # the one-minute lesson only
    assert not CreditEntry.objects.filter(source_key=f"lesson:{clip.pk}").exists()
    assert [c.eligible for c in claims.course_claims(course_id=course.pk)] == [True]
