"""lms.policy: the year's facts the ledger reads, answered by lms.compliance."""

from decimal import Decimal

import pytest

from lms import policy
from lms.compliance.models import YearPolicy
from lms.training.policy import hours_per_day

pytestmark = pytest.mark.django_db


def test_compliance_answers_for_the_year():
    """With lms.compliance installed its per-year rules decide."""
    YearPolicy.objects.create(year=2025, hours_per_day=Decimal("8"), closed=True)
    assert policy.year_facts(2025) == policy.YearFacts(True, Decimal("8"))
    assert policy.year_facts(2026) == policy.YearFacts(False, Decimal("6"))
    assert hours_per_day(2025) == Decimal("8")


def test_without_an_owner_of_the_rules_the_settings_decide(monkeypatch, settings):
    """Nothing registered: every year is open, a day is TRAINING_HOURS_PER_DAY."""
    monkeypatch.setattr(policy, "_source", None)
    settings.TRAINING_HOURS_PER_DAY = 5
    assert policy.year_facts(2025) == policy.YearFacts(False, Decimal("5"))
