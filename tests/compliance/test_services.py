"""Closing a year, the closed ledger, reminders and their dedup."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from lms.accounts.exports import write_table
from lms.accounts.models import AuditAction, AuditLog
from lms.compliance.models import ComplianceSnapshot, Notification, YearPolicy
from lms.compliance.selectors import compliance_rows, policy_for_year
from lms.compliance.services import ComplianceError, reminders_send, year_close
from lms.tabular import ImportFailed
from lms.training.models import CreditEntry
from lms.training.services import (
    LedgerError,
    credit_entries_create,
    credit_entry_create,
    credit_entry_reverse,
    training_import,
)
from tests.people.factories import AdminFactory, WorkerFactory, valid_id_number

from .factories import credit

TODAY = dt.date(2026, 2, 1)


@pytest.fixture
def city_closer(city_admin):
    from django.contrib.auth.models import Group

    from lms.accounts.groups import ensure_admin_groups

    ensure_admin_groups()
    city_admin.groups.add(Group.objects.get(name="市级管理员"))
    return city_admin


def test_year_close_freezes_a_snapshot_and_audits(tree, city_closer):
    met = WorkerFactory(community=tree["community11"], name="甲")
    short = WorkerFactory(community=tree["community21"], name="乙")
    credit(met, "2025-05-01", days="3")
    credit(short, "2025-05-01", days="1")
    year_close(year=2025, actor=city_closer, today=TODAY)

    assert policy_for_year(2025).closed is True
    snaps = {s.name: s for s in ComplianceSnapshot.objects.filter(year=2025)}
    assert snaps["甲"].status == "met" and snaps["甲"].achieved_days == D("3")
    assert snaps["乙"].status == "not_met" and snaps["乙"].shortfall_days == D("2")
    assert snaps["乙"].reasons[0]["code"] == "days_short"
    log = AuditLog.objects.get(action=AuditAction.YEAR_CLOSE)
    assert log.actor == city_closer
    assert log.detail == {"year": 2025, "workers": 2, "met": 1}

    # A later adjustment changes the ledger but not the frozen report.
    credit_entry_create(
        worker=short,
        date=dt.date(2025, 12, 1),
        days=D("2"),
        hours=D("12"),
        kind="in_person",
        title="补录",
        source_key="adjust:1",
        created_by=city_closer,
        adjustment_reason="纸质签到补录",
    )
    rows = {r.name: r for r in compliance_rows(year=2025, root=tree["city"])}
    assert rows["乙"].result.status == "not_met"
    assert rows["乙"].result.achieved_days == D("1.00")
    assert rows["乙"].result.reasons[0].render() == "2.00 of 3.00 training days missing"
    live = compliance_rows(year=2025, root=tree["city"], use_snapshot=False)
    assert {r.name: r.status for r in live}["乙"] == "met"


def test_closed_year_ledger_takes_only_audited_adjustments(tree, city_closer):
    w = WorkerFactory(community=tree["community11"])
    year_close(year=2025, actor=city_closer, today=TODAY)
    plain = dict(
        worker=w,
        date=dt.date(2025, 6, 1),
        days=D("1"),
        hours=D("6"),
        kind="in_person",
        title="迟到的签到",
    )
    with pytest.raises(LedgerError, match="2025"):
        credit_entry_create(**plain, source_key="late:1")
    with pytest.raises(LedgerError):
        credit_entry_create(**plain, source_key="late:2", created_by=city_closer)
    with pytest.raises(LedgerError):
        credit_entry_create(
            **plain, source_key="late:3", created_by=w.user, adjustment_reason="x"
        )
    entry, created = credit_entry_create(
        **plain, source_key="late:4", created_by=city_closer, adjustment_reason="补录"
    )
    assert created and entry.reason == "补录"
    log = AuditLog.objects.get(action=AuditAction.LEDGER_ADJUST)
    assert log.target_id == str(entry.pk)
    assert log.detail == {"closed_year": 2025, "reason": "补录"}
    # A reversal in the closed year is an adjustment too: an administrator's only.
    with pytest.raises(LedgerError, match="2025"):
        credit_entry_reverse(entry=entry, reason="误录", actor=w.user)
    reversal = credit_entry_reverse(entry=entry, reason="误录", actor=city_closer)
    assert reversal.days == D("-1")
    assert AuditLog.objects.get(
        action=AuditAction.LEDGER_ADJUST, detail__reversal=reversal.pk
    ).detail == {"reversal": reversal.pk, "reason": "误录", "closed_year": 2025}
    # An open year is unaffected.
    _, created = credit_entry_create(
        **{**plain, "date": dt.date(2026, 1, 5)}, source_key="open:1"
    )
    assert created


def test_bulk_credit_keeps_the_closed_year_rules(tree, city_closer):
    """The bulk road into the ledger refuses a closed year as the single one does:
    nothing is written; only an administrator's adjustment with a reason goes in,
    each line audited."""
    w = WorkerFactory(community=tree["community11"])
    year_close(year=2025, actor=city_closer, today=TODAY)

    def lines():
        return [
            CreditEntry(
                worker=w,
                date=date,
                days=D("1"),
                hours=D("6"),
                kind="external",
                title="补录",
                source_key=f"bulk:{date}",
            )
            for date in (dt.date(2025, 6, 1), dt.date(2026, 1, 5))
        ]

    with pytest.raises(LedgerError, match="2025") as refused:
        credit_entries_create(entries=lines(), created_by=city_closer)
    assert refused.value.closed_years == (2025,)
    assert not CreditEntry.objects.exists()
    new = credit_entries_create(
        entries=lines(), created_by=city_closer, adjustment_reason="纸质签到补录"
    )
    assert [e.date.year for e in new] == [2025, 2026]
    log = AuditLog.objects.get(action=AuditAction.LEDGER_ADJUST)
    assert log.target_id == str(new[0].pk)
    assert log.detail == {"closed_year": 2025, "reason": "纸质签到补录"}


def test_import_into_a_closed_year_is_refused_row_by_row(tree, city_closer):
    """An import may no longer write into a closed year (it used to bypass the
    ledger's check): each such row is reported and nothing is written."""
    number = valid_id_number()
    WorkerFactory(community=tree["community11"], id_number=number)
    year_close(year=2025, actor=city_closer, today=TODAY)
    headers = [
        "身份证号",
        "培训名称",
        "培训类型",
        "培训形式",
        "开始日期",
        "结束日期",
        "天数",
    ]
    rows = [
        [number, "旧培训", "岗位培训", "集中培训", "2025-06-01", "2025-06-02", "2"],
        [number, "新培训", "岗位培训", "集中培训", "2026-01-05", "2026-01-05", "1"],
    ]
    with pytest.raises(ImportFailed) as failed:
        training_import(
            name="t.csv", content=write_table("csv", headers, rows), actor=city_closer
        )
    assert [(e.row, e.column) for e in failed.value.errors] == [(2, "end_date")]
    assert "2025" in failed.value.errors[0].message_en
    assert not CreditEntry.objects.exists()


def test_only_a_city_administrator_closes_an_ended_year(tree, city_closer):
    district = AdminFactory(org=tree["district1"])
    with pytest.raises(ComplianceError):
        year_close(year=2025, actor=district, today=TODAY)
    with pytest.raises(ComplianceError, match="年度结束后"):
        year_close(year=2026, actor=city_closer, today=TODAY)
    year_close(year=2025, actor=city_closer, today=TODAY)
    with pytest.raises(ComplianceError, match="已关闭"):
        year_close(year=2025, actor=city_closer, today=TODAY)
    assert not YearPolicy.objects.filter(year=2026).exists()
    assert ComplianceSnapshot.objects.count() == 0  # no worker in the tree


def test_reminders_once_per_period(tree):
    """At risk on 1 Aug: reminded once in August, again in September, never twice."""
    risky = WorkerFactory(community=tree["community11"], name="风险")
    risky.user.email = "risky@example.org"
    risky.user.save()
    fine = WorkerFactory(community=tree["community11"], name="正常")
    credit(fine, "2026-03-01", days="3")
    street_admin = AdminFactory(org=tree["street1"], email="street@example.org")
    AdminFactory(org=tree["street2"])  # nobody at risk there

    first = reminders_send(today=dt.date(2026, 8, 1))
    assert first == {"workers": 1, "admins": 1, "period": "2026-08"}
    note = Notification.objects.get(kind="at_risk")
    assert note.worker == risky and note.recipient == risky.user
    assert "0.00" in note.body and "3.00" in note.body
    digest = Notification.objects.get(kind="street_digest")
    assert digest.recipient == street_admin and "风险" in digest.body
    assert sorted(m.to[0] for m in mail.outbox) == [
        "risky@example.org",
        "street@example.org",
    ]

    again = reminders_send(today=dt.date(2026, 8, 20))
    assert again == {"workers": 0, "admins": 0, "period": "2026-08"}
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2

    later = reminders_send(today=dt.date(2026, 9, 1))
    assert later["workers"] == 1
    assert Notification.objects.filter(worker=risky).count() == 2


def test_database_refuses_a_second_reminder_for_the_same_period(tree):
    w = WorkerFactory(community=tree["community11"])
    Notification.objects.create(
        recipient=w.user,
        kind="at_risk",
        worker=w,
        period="2026-08",
        title="t",
        body="b",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=w.user,
            kind="at_risk",
            worker=w,
            period="2026-08",
            title="t",
            body="b",
        )


def test_quarter_periods(tree, settings):
    from lms.compliance.services import reminder_period

    settings.COMPLIANCE_REMINDER_PERIOD = "quarter"
    assert reminder_period(dt.date(2026, 8, 1)) == "2026-Q3"
    settings.COMPLIANCE_REMINDER_PERIOD = "month"
    assert reminder_period(dt.date(2026, 8, 1)) == "2026-08"
