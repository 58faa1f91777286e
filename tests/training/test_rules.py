"""Pure training rules, without a database."""

import datetime as dt
from decimal import Decimal

import pytest

from lms.training.rules import (
    CompletionRule,
    SessionPolicy,
    Target,
    attended_share,
    check_in_refusal,
    check_out_refusal,
    completion,
    days_to_hours,
    earns_credit,
    eligibility_refusal,
    hours_to_days,
    import_row_digest,
    presentation_counts,
    scan_window,
    seats_to_fill,
    session_days,
)

UTC = dt.UTC
START = dt.datetime(2026, 5, 10, 9, 0, tzinfo=UTC)
END = dt.datetime(2026, 5, 10, 17, 0, tzinfo=UTC)
POLICY = SessionPolicy(Decimal("1"), Decimal("0.5"), Decimal("6"), Decimal("0.75"))


def at(h, m=0):
    return dt.datetime(2026, 5, 10, h, m, tzinfo=UTC)


def test_session_days_follow_the_length():
    """A full day is worth the full-day setting, a half day the half-day setting."""
    assert session_days("full", POLICY) == Decimal("1")
    assert session_days("half", POLICY) == Decimal("0.5")


def test_days_and_hours_convert_with_the_policy():
    assert days_to_hours(Decimal("0.5"), Decimal("6")) == Decimal("3.00")
    assert hours_to_days(Decimal("9"), Decimal("6")) == Decimal("1.50")
    with pytest.raises(ValueError):
        hours_to_days(Decimal("1"), Decimal("0"))


@pytest.mark.parametrize(
    ("check_in", "check_out", "share"),
    [
        (at(9), at(17), Decimal("1")),
        (at(8), at(18), Decimal("1")),  # time outside the session does not count
        (at(13), at(17), Decimal("0.5")),
        (at(9), at(11), Decimal("0.25")),
        (at(17, 30), at(18), Decimal("0")),
        (at(9), None, Decimal("0")),
        (None, at(17), Decimal("0")),
    ],
)
def test_attended_share_is_the_overlap_with_the_session(check_in, check_out, share):
    assert attended_share(check_in, check_out, START, END) == share


def test_credit_needs_the_minimum_share():
    assert earns_credit(Decimal("0.75"), POLICY)
    assert not earns_credit(Decimal("0.7499"), POLICY)


def test_scan_window_and_refusals():
    """Check-in opens 30 min early and closes at the end; check-out runs 60 min on."""
    window = scan_window(START, END, early_minutes=30, late_minutes=60)
    assert check_in_refusal(at(8, 29), window) is not None
    assert check_in_refusal(at(8, 30), window) is None
    assert check_in_refusal(at(17), window) is None
    assert check_in_refusal(at(17, 1), window) is not None
    assert check_out_refusal(at(12), window, None) is not None
    assert check_out_refusal(at(18), window, at(9)) is None
    assert check_out_refusal(at(18, 1), window, at(9)) is not None


def test_a_scan_counts_for_the_grace_minutes_after_it_and_not_before():
    """A code presented at 9:00 still counts at 9:05 with a 5-minute grace, not at
    9:05:01, and never before it was presented."""
    assert presentation_counts(at(9), at(9), grace_minutes=5)
    assert presentation_counts(at(9), at(9, 5), grace_minutes=5)
    assert not presentation_counts(
        at(9), at(9, 5) + dt.timedelta(seconds=1), grace_minutes=5
    )
    assert not presentation_counts(at(9), at(8, 59), grace_minutes=5)
    assert not presentation_counts(
        at(9), at(9, 0) + dt.timedelta(seconds=1), grace_minutes=0
    )


TARGET = Target(
    org_path="00010002",
    posts=frozenset({"secretary"}),
    opens=at(8),
    closes=at(12),
)


def test_eligibility():
    """Subtree, post, service and window each refuse with their own reason."""
    ok = dict(community_path="000100020003", post="secretary", left=False)
    assert eligibility_refusal(**ok, target=TARGET, now=at(9)) is None
    assert eligibility_refusal(**ok, target=TARGET, now=at(7)) is not None
    assert eligibility_refusal(**ok, target=TARGET, now=at(13)) is not None
    assert eligibility_refusal(**ok, target=TARGET, now=None) is None
    assert (
        eligibility_refusal(
            community_path="000100030001",
            post="secretary",
            left=False,
            target=TARGET,
            now=at(9),
        )
        is not None
    )
    assert (
        eligibility_refusal(
            community_path="000100020003",
            post="staff",
            left=False,
            target=TARGET,
            now=at(9),
        )
        is not None
    )
    assert (
        eligibility_refusal(
            community_path="000100020003",
            post="secretary",
            left=True,
            target=TARGET,
            now=at(9),
        )
        is not None
    )
    every_post = Target("00010002", frozenset(), at(8), at(12))
    assert (
        eligibility_refusal(
            community_path="000100020003",
            post="staff",
            left=False,
            target=every_post,
            now=at(9),
        )
        is None
    )


def test_seats_to_fill():
    assert seats_to_fill(10, 9, 5) == 1
    assert seats_to_fill(10, 10, 5) == 0
    assert seats_to_fill(10, 4, 2) == 2
    assert seats_to_fill(10, 12, 2) == 0


def test_completion_by_attendance_only():
    rule = CompletionRule(Decimal("0.8"), "", Decimal("60"))
    assert completion(rule=rule, sessions_total=5, sessions_credited=4, grades={}) == (
        True,
        [],
    )
    done, reasons = completion(
        rule=rule, sessions_total=5, sessions_credited=3, grades={}
    )
    assert not done and len(reasons) == 1
    done, reasons = completion(
        rule=rule, sessions_total=0, sessions_credited=0, grades={}
    )
    assert not done and len(reasons) == 1


def test_completion_with_paper_and_defence():
    rule = CompletionRule(Decimal("0.5"), "paper_defence", Decimal("60"))
    done, reasons = completion(
        rule=rule,
        sessions_total=2,
        sessions_credited=2,
        grades={"paper": Decimal("80")},
    )
    assert not done and len(reasons) == 1  # the defence is not graded
    done, reasons = completion(
        rule=rule,
        sessions_total=2,
        sessions_credited=2,
        grades={"paper": Decimal("80"), "defence": Decimal("59.5")},
    )
    assert not done and len(reasons) == 1
    assert completion(
        rule=rule,
        sessions_total=2,
        sessions_credited=1,
        grades={"paper": Decimal("80"), "defence": Decimal("60")},
    ) == (True, [])


def test_completion_with_a_test():
    rule = CompletionRule(Decimal("1"), "test", Decimal("60"))
    assert completion(
        rule=rule, sessions_total=1, sessions_credited=1, grades={"test": Decimal("75")}
    ) == (True, [])
    done, reasons = completion(
        rule=rule, sessions_total=1, sessions_credited=0, grades={}
    )
    assert not done and len(reasons) == 2


def test_import_row_digest_is_stable_and_distinct():
    a = import_row_digest("x", "培训", "2025-01-01")
    assert a == import_row_digest(" x", "培训 ", "2025-01-01")
    assert a != import_row_digest("x", "培训", "2025-01-02")
    assert len(a) == 40
