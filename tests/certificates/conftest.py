import datetime as dt

import pytest

from certificates import claims, services
from tests.people.factories import WorkerFactory

from .factories import CertificateTemplateFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Certificate files of a test go to its own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://training.example.org"
    return settings.MEDIA_ROOT


@pytest.fixture
def honour_template(tree):
    return CertificateTemplateFactory(kind="honour", org=tree["city"], issuer_code="HR")


@pytest.fixture
def veteran(tree):
    """A worker of community 11 with 26 years of service."""
    return WorkerFactory(
        name="张晓明", community=tree["community11"], hire_date=dt.date(2000, 3, 1)
    )


@pytest.fixture
def honour_certificate(tree, honour_template, veteran, district_admin):
    claim = claims.service_claim(
        veteran, years=20, issuer_org=tree["district1"], on=dt.date(2026, 6, 1)
    )
    return services.certificate_issue(claim=claim, actor=district_admin)
