"""Eligibility of class completion and annual records, read from the training app's
completion rule and the compliance verdict over the credit ledger."""

import datetime as dt

import pytest
from django.utils import timezone

from certificates import claims, services
from certificates.pdf import pdf_text
from lms.training.services import attendance_mark, enrolment_create
from tests.compliance.factories import credit
from tests.people.factories import AdminFactory, WorkerFactory
from tests.training.factories import ClassSessionFactory, TrainingClassFactory

from .factories import CertificateTemplateFactory


@pytest.fixture
def completion_template(tree):
    return CertificateTemplateFactory(
        kind="completion", org=tree["city"], issuer_code="JY"
    )


@pytest.fixture
def annual_template(tree):
    return CertificateTemplateFactory(kind="annual", org=tree["city"], issuer_code="ND")


def test_completion_refused_with_the_reasons_then_issued(tree, completion_template):
    """Before attending: not eligible, the training app's reason is passed on.
    After attending both sessions: the PDF names the worker, the class and the days."""
    klass = TrainingClassFactory(
        organiser=tree["district1"], title="社区治理能力提升培训班"
    )
    first = ClassSessionFactory(training_class=klass, date=timezone.localdate())
    second = ClassSessionFactory(
        training_class=klass, date=timezone.localdate() + dt.timedelta(days=1)
    )
    worker = WorkerFactory(name="王丽娟", community=tree["community11"])
    enrolment, __ = enrolment_create(training_class=klass, worker=worker)
    claim = claims.completion_claims_for([enrolment])[0]
    assert not claim.eligible and claim.reasons
    with pytest.raises(services.NotEligible) as info:
        services.certificate_issue(claim=claim)
    assert info.value.reasons == claim.reasons

    trainer = AdminFactory(org=tree["district1"])
    for session in (first, second):
        attendance_mark(
            session=session,
            enrolment=enrolment,
            present=True,
            reason="补录",
            actor=trainer,
        )
    claim = claims.completion_claims_for([enrolment])[0]
    assert claim.eligible and claim.reasons == []
    cert = services.certificate_issue(claim=claim, actor=trainer)
    assert cert.serial.startswith("JY-") and cert.days == 2 and cert.hours == 12
    assert cert.issuer_org == tree["district1"]
    text = pdf_text(cert.file.read())
    assert "王丽娟" in text and "社区治理能力提升培训班" in text
    assert "共2天、12学时" in text


def test_annual_record_only_for_a_met_year(tree, annual_template):
    """Three days in the ledger meet a staff worker's year; one day does not."""
    year = timezone.localdate().year - 1
    met = WorkerFactory(
        name="陈志强", community=tree["community11"], hire_date=dt.date(2015, 3, 1)
    )
    short = WorkerFactory(
        name="刘芳", community=tree["community12"], hire_date=dt.date(2015, 3, 1)
    )
    credit(met, f"{year}-04-10", days="2")
    credit(met, f"{year}-09-10", days="1")
    credit(short, f"{year}-04-10", days="1")
    found = {
        c.worker.pk: c for c in claims.annual_claims(org=tree["district1"], year=year)
    }
    assert found[met.pk].eligible, found[met.pk].reasons
    assert not found[short.pk].eligible and found[short.pk].reasons
    result = services.certificates_issue(claims=list(found.values()))
    assert [c.worker for c in result.issued] == [met]
    assert [c.worker for c in result.refused] == [short]
    cert = result.issued[0]
    assert cert.subject_key == f"year:{year}" and cert.days == 3 and cert.hours == 18
    text = pdf_text(cert.file.read())
    assert "陈志强" in text and f"{year}年度" in text
    assert text.count("测试培训") == 2  # the year's training is listed
    single = claims.annual_claim(short, year=year, issuer_org=tree["district1"])
    assert not single.eligible
