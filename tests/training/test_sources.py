"""Ledger sources and audit targets in words, resolved a page at a time."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from api.audit_detail import target_labels
from certificates.models import Certificate
from lms.accounts.models import AuditAction, AuditLog
from lms.accounts.services import audit_log_write
from lms.training.models import Enrolment
from lms.training.services import credit_entry_create, credit_entry_reverse
from lms.training.sources import source_labels
from tests.courses.factories import make_course, make_lesson
from tests.people.factories import AdminFactory, WorkerFactory

from .factories import ClassSessionFactory, TrainingClassFactory

pytestmark = pytest.mark.django_db


def _credit(worker, key, title="社区治理专题"):
    return credit_entry_create(
        worker=worker,
        date=dt.date(2026, 9, 1),
        days=Decimal("0.5"),
        hours=Decimal("3"),
        kind="in_person",
        title=title,
        source_key=key,
    )[0]


def test_sources_read_as_words(tree):
    klass = TrainingClassFactory(organiser=tree["district1"], title="网格员培训班")
    sessions = [
        ClassSessionFactory(training_class=klass, date=dt.date(2026, 9, day))
        for day in (3, 1, 2)
    ]
    lesson = make_lesson(make_course(tree["district1"]), title="第一讲 社区治理")
    worker = WorkerFactory(community=tree["community11"])
    entry = _credit(worker, "import:abc", title="街道培训")
    admin = AdminFactory(org=tree["city"])
    reversal = credit_entry_reverse(entry=entry, reason="重复", actor=admin)
    keys = [
        f"session:{sessions[0].pk}",
        f"session:{sessions[1].pk}:1",
        f"lesson:{lesson.pk}",
        f"test:{lesson.pk}",
        "import:abc",
        reversal.source_key,
        "something:else",
    ]
    with translation.override("zh-hans"):
        labels = source_labels(keys)
    assert labels[f"session:{sessions[0].pk}"] == "第 3 次课 · 2026-09-03 网格员培训班"
    assert (
        labels[f"session:{sessions[1].pk}:1"] == "第 1 次课 · 2026-09-01 网格员培训班"
    )
    assert "第一讲 社区治理" in labels[f"lesson:{lesson.pk}"]
    assert labels[f"lesson:{lesson.pk}"] != labels[f"test:{lesson.pk}"]
    assert labels["import:abc"] == "导入的培训记录"
    assert "2026-09-01 街道培训" in labels[reversal.source_key]
    assert labels["something:else"] == "something:else"


def test_sources_take_one_query_per_kind_whatever_the_rows(
    tree, django_assert_max_num_queries
):
    klass = TrainingClassFactory(organiser=tree["district1"])
    few = [ClassSessionFactory(training_class=klass) for _ in range(2)]
    many = few + [ClassSessionFactory(training_class=klass) for _ in range(20)]
    for sessions in (few, many):
        keys = [f"session:{s.pk}" for s in sessions] + [
            f"external:{s.pk}" for s in sessions
        ]
        with django_assert_max_num_queries(2):
            labels = source_labels(keys)
        assert all(labels[f"session:{s.pk}"] != f"session:{s.pk}" for s in sessions)


def test_worker_ledger_and_admin_ledger_show_sources_in_words(client, tree):
    klass = TrainingClassFactory(organiser=tree["district1"], title="网格员培训班")
    session = ClassSessionFactory(training_class=klass, date=dt.date(2026, 9, 1))
    worker = WorkerFactory(community=tree["community11"])
    _credit(worker, f"session:{session.pk}")
    client.force_login(worker.user)
    page = client.get("/training/ledger/").content.decode()
    assert "第 1 次课 · 2026-09-01 网格员培训班" in page
    assert f"session:{session.pk}" not in page
    from .test_admin import _admin

    client.force_login(_admin(tree["district1"], "区级管理员"))
    page = client.get("/admin/training_ledger/").content.decode()
    assert "第 1 次课 · 2026-09-01 网格员培训班" in page
    assert f"session:{session.pk}" not in page


def test_admin_ledger_export_writes_sources_in_words(
    client, tree, django_assert_max_num_queries
):
    from .test_admin import _admin

    klass = TrainingClassFactory(organiser=tree["district1"], title="网格员培训班")
    session = ClassSessionFactory(training_class=klass, date=dt.date(2026, 9, 1))
    client.force_login(_admin(tree["district1"], "区级管理员"))
    workers = [WorkerFactory(community=tree["community11"]) for _ in range(12)]
    counts = []
    for many in (2, 12):
        for worker in workers[:many]:
            _credit(worker, f"session:{session.pk}", title=f"网格员 {many}")
        with django_assert_max_num_queries(100) as queries:
            response = client.get("/admin/training_ledger/?export=csv")
            csv = b"".join(response.streaming_content).decode()
        counts.append(len(queries))
        assert "第 1 次课 · 2026-09-01 网格员培训班" in csv
        assert f"session:{session.pk}" not in csv
        assert csv.splitlines()[0].split(",")[7] == "来源"
    assert counts[0] == counts[1]


def test_enrolment_audit_targets_read_as_words(tree):
    klass = TrainingClassFactory(organiser=tree["district1"], title="网格员培训班")
    worker = WorkerFactory(community=tree["community11"], name="陈静")
    enrolment = Enrolment.objects.create(worker=worker, training_class=klass)
    admin = AdminFactory(org=tree["city"])
    audit_log_write(actor=admin, action=AuditAction.ENROLMENT_UNDO, target=enrolment)
    with translation.override("zh-hans"):
        labels = target_labels(AuditLog.objects.all())
    assert labels[("training.enrolment", str(enrolment.pk))] == (
        f"{Enrolment._meta.verbose_name} 陈静 · 网格员培训班"
    )


def test_audit_targets_read_as_words(tree, honour_certificate_for_audit):
    cert = honour_certificate_for_audit
    admin = AdminFactory(org=tree["city"], username="auditor")
    audit_log_write(actor=admin, action=AuditAction.CERTIFICATE_ISSUE, target=cert)
    audit_log_write(actor=admin, action=AuditAction.EXPORT, target=admin)
    with translation.override("zh-hans"):
        labels = target_labels(AuditLog.objects.all())
    assert labels[("certificates.certificate", str(cert.pk))] == f"证书 {cert.serial}"
    assert labels[("accounts.user", str(admin.pk))].endswith("auditor")


@pytest.fixture
def honour_certificate_for_audit(tree, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    from certificates import claims, services
    from tests.certificates.factories import CertificateTemplateFactory

    CertificateTemplateFactory(kind="honour", org=tree["city"], issuer_code="HR")
    veteran = WorkerFactory(
        community=tree["community11"], hire_date=dt.date(2000, 3, 1)
    )
    claim = claims.service_claim(
        veteran, years=20, issuer_org=tree["district1"], on=dt.date(2026, 6, 1)
    )
    cert = services.certificate_issue(claim=claim, actor=AdminFactory(org=tree["city"]))
    assert isinstance(cert, Certificate)
    return cert
