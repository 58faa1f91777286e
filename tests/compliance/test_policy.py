from decimal import Decimal

import pytest

from lms.accounts.models import AuditAction, AuditLog
from lms.compliance.models import YearPolicy
from lms.compliance.policy import Policy
from lms.compliance.selectors import policy_for_year
from lms.compliance.services import year_policy_audit


def test_policy_defaults_without_a_row(db):
    """A year with no row gets the documented defaults."""
    policy = policy_for_year(2026)
    assert policy == Policy(year=2026)
    assert policy.days_for_post("secretary") == Decimal("7")
    assert policy.days_for_post("staff") == Decimal("3")
    assert policy.rotation_min_months == 6
    assert policy.rotation_levels() == ("city", "district")
    assert policy.induction_days == Decimal("3")
    assert policy.induction_deadline_months == 12
    assert policy.online_cap_share == Decimal("0.5")
    assert policy.hours_per_day == Decimal("6")
    assert policy.online_completion_share == Decimal("0.9")
    assert policy.rounding_step == Decimal("0.5")
    assert policy.closed is False


def test_row_defaults_equal_dataclass_defaults(db):
    """A fresh row with no edits gives the same policy as no row at all."""
    YearPolicy.objects.create(year=2025)
    assert policy_for_year(2025) == Policy(year=2025)


def test_row_overrides_the_defaults(db):
    YearPolicy.objects.create(
        year=2027, days_secretary=Decimal("8"), online_cap_share=Decimal("0.3")
    )
    policy = policy_for_year(2027)
    assert policy.days_for_post("secretary") == Decimal("8")
    assert policy.online_cap_share == Decimal("0.3")
    assert policy_for_year(2026).days_for_post("secretary") == Decimal("7")


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(45, "1"), (30, "1"), (29, "0.5"), (15, "0.5"), (14, "0.25"), (3, "0.25")],
)
def test_online_lesson_hours(minutes, hours):
    assert Policy(year=2026).online_lesson_hours(minutes) == Decimal(hours)


def test_policy_change_is_audited(city_admin):
    row = YearPolicy.objects.create(year=2026, days_staff=Decimal("4"))
    year_policy_audit(policy=row, actor=city_admin)
    log = AuditLog.objects.get(action=AuditAction.POLICY_CHANGE)
    assert log.actor == city_admin
    assert log.target_id == str(row.pk)
    assert log.detail["year"] == 2026
    assert log.detail["values"]["days_staff"] == "4"
