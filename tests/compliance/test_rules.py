"""The annual rules, tested without a database."""

import datetime as dt
from decimal import Decimal as D

import pytest

from lms.compliance import rules
from lms.compliance.policy import Policy
from lms.compliance.rules import LedgerTotals, Span

P26 = Policy(year=2026)
P24 = Policy(year=2024)  # leap year


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def ev(policy=P26, spans=(), hire="2015-03-01", as_of="2027-01-15", leave=None, **kw):
    return rules.evaluate(
        policy=policy,
        spans=[Span(p, d(s), d(e) if e else None) for p, s, e in spans],
        hire_date=d(hire),
        totals=LedgerTotals(**kw),
        as_of=d(as_of),
        leave_date=d(leave) if leave else None,
    )


STAFF_YEAR = (("staff", "2015-03-01", None),)
SECRETARY_YEAR = (("secretary", "2015-03-01", None),)


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "days"), [(2023, 365), (2024, 366), (2100, 365), (2000, 366), (2026, 365)]
)
def test_days_in_year(year, days):
    assert rules.days_in_year(year) == days


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-03-01", 12, "2027-03-01"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-05-10", 0, "2026-05-10"),
    ],
)
def test_add_months(start, months, expected):
    assert rules.add_months(d(start), months) == d(expected)


@pytest.mark.parametrize(
    ("year", "months", "days"),
    [(2026, 6, 181), (2024, 6, 182), (2026, 0, 0), (2026, 12, 365), (2024, 12, 366)],
)
def test_months_as_days(year, months, days):
    assert rules.months_as_days(year, months) == days


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        ("1.4876", "0.5", "1.5"),
        ("1.5", "0.5", "1.5"),
        ("1.5001", "0.5", "2.0"),
        ("0", "0.5", "0"),
        ("0.01", "0.5", "0.5"),
        ("2.1", "1", "3"),
        ("-1", "0.5", "0"),
    ],
)
def test_round_up(value, step, expected):
    assert rules.round_up(D(value), D(step)) == D(expected)


# --- required days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        ("secretary", "7"),
        ("deputy", "3"),
        ("member", "3"),
        ("staff", "3"),
        ("grid_worker", "3"),
        ("party_affairs", "3"),
    ],
)
def test_full_year_requires_the_post_days(post, expected):
    spans = [Span(post, d("2010-01-01"))]
    assert rules.required_days(spans, P26) == D(expected)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # 181/365*3 = 1.488 → 1.5
        ("2026-07-04", None, "1.5"),
        # Hired 1 Oct: 92/365*3 = 0.756 → 1.0
        ("2026-10-01", None, "1"),
        # Hired 31 Dec: one day → 0.5
        ("2026-12-31", None, "0.5"),
        # Left 31 Mar: 90/365*3 = 0.74 → 1.0
        ("2020-01-01", "2026-03-31", "1"),
        # Span entirely before the year needs nothing.
        ("2020-01-01", "2025-12-31", "0"),
        # Span starting next year needs nothing.
        ("2027-01-01", None, "0"),
        # Exactly the whole year.
        ("2026-01-01", "2026-12-31", "3"),
    ],
)
def test_spans_are_pro_rated_and_rounded_up(start, end, expected):
    spans = [Span("staff", d(start), d(end) if end else None)]
    assert rules.required_days(spans, P26) == D(expected)


def test_post_change_mid_year_sums_both_posts():
    """Staff Jan–Jun (181 d × 3), secretary Jul–Dec (184 d × 7): 5.02 → 5.5."""
    spans = [
        Span("staff", d("2020-01-01"), d("2026-06-30")),
        Span("secretary", d("2026-07-01")),
    ]
    assert rules.accrued_days(rules.clip_spans(spans, 2026), P26) == (
        D(181 * 3 + 184 * 7) / 365
    )
    assert rules.required_days(spans, P26) == D("5.5")


def test_gap_between_spans_needs_nothing():
    """Left in April, re-hired in October: the summer needs nothing."""
    spans = [
        Span("staff", d("2020-01-01"), d("2026-04-30")),
        Span("staff", d("2026-10-01")),
    ]
    # (120 + 92) / 365 * 3 = 1.742 → 2.0
    assert rules.required_days(spans, P26) == D("2")


def test_overlapping_spans_count_each_day_once_at_the_higher_rate():
    """Staff all year and secretary for the second half: the overlap needs 7, not 10."""
    spans = [Span("staff", d("2020-01-01")), Span("secretary", d("2026-07-01"))]
    expected = rules.round_up(D(181 * 3 + 184 * 7) / 365, D("0.5"))
    assert rules.required_days(spans, P26) == expected == D("5.5")


def test_leave_date_cuts_an_open_span():
    spans = [Span("staff", d("2020-01-01"))]
    # 31 Jan: 31/365*3 = 0.25 → 0.5
    assert rules.required_days(spans, P26, leave_date=d("2026-01-31")) == D("0.5")
    assert rules.required_days(spans, P26, leave_date=d("2025-12-31")) == D("0")


def test_leap_year_prorates_over_366_days():
    """Half of 2024 is 183 of 366 days; as a secretary 183/366*7 = 3.5 exactly."""
    spans = [Span("secretary", d("2024-07-02"))]
    assert rules.accrued_days(rules.clip_spans(spans, 2024), P24) == D("3.5")
    assert rules.required_days(spans, P24) == D("3.5")
    # The same dates in a common year: 183/365*7 = 3.51 → 4.0
    assert rules.required_days([Span("secretary", d("2026-07-02"))], P26) == D("4")


def test_no_spans_need_nothing():
    assert rules.required_days([], P26) == D("0")


def test_policy_days_and_rounding_are_settings():
    policy = Policy(
        year=2026,
        days_by_post={"staff": D("4")},
        default_days=D("2"),
        rounding_step=D("1"),
    )
    assert rules.required_days([Span("staff", d("2026-07-04"))], policy) == D("2")
    assert rules.required_days([Span("deputy", d("2020-01-01"))], policy) == D("2")


# --- rotation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spans", "policy", "required"),
    [
        ([("secretary", "2020-01-01", None)], P26, True),
        # Jan–Jun is 181 days = 6 months.
        ([("secretary", "2020-01-01", "2026-06-30")], P26, True),
        # One day short of six months.
        ([("secretary", "2020-01-01", "2026-06-29")], P26, False),
        # From 4 Jul: 181 days.
        ([("secretary", "2026-07-04", None)], P26, True),
        ([("secretary", "2026-07-05", None)], P26, False),
        # Leap year: six months is 182 days.
        ([("secretary", "2024-07-04", None)], P24, False),
        ([("secretary", "2024-07-03", None)], P24, True),
        # Two secretary spans adding to six months.
        (
            [
                ("secretary", "2020-01-01", "2026-03-31"),
                ("staff", "2026-04-01", "2026-08-31"),
                ("secretary", "2026-09-01", None),
            ],
            P26,
            True,
        ),
        ([("staff", "2020-01-01", None)], P26, False),
    ],
)
def test_rotation_required_after_six_months_as_secretary(spans, policy, required):
    built = [Span(p, d(s), d(e) if e else None) for p, s, e in spans]
    assert rules.rotation_required(built, policy) is required


def test_rotation_months_is_a_setting():
    spans = [Span("secretary", d("2026-10-01"))]
    assert rules.rotation_required(spans, P26) is False
    assert rules.rotation_required(spans, Policy(year=2026, rotation_min_months=3))
    assert rules.rotation_required(spans, Policy(year=2026, rotation_min_months=0))


def test_rotation_levels():
    assert P26.rotation_levels() == ("city", "district")
    assert Policy(year=2026, rotation_min_level="city").rotation_levels() == ("city",)


def test_secretary_without_rotation_is_not_met_whatever_the_days():
    result = ev(spans=SECRETARY_YEAR, in_person_days=D("10"))
    assert result.status == rules.NOT_MET
    assert result.shortfall_days == D("0")
    assert [r.code for r in result.reasons] == ["no_rotation"]
    assert result.reasons[0].render() == "no rotation class"


def test_secretary_with_rotation_and_days_is_met():
    result = ev(spans=SECRETARY_YEAR, in_person_days=D("7"), rotation=True)
    assert result.status == rules.MET
    assert result.reasons == ()


def test_short_secretary_term_needs_no_rotation():
    """Secretary from October: 92 days (< 6 months) need no rotation class.

    Staff 273 days × 3 + secretary 92 days × 7 = 1463 / 365 = 4.008 → 4.5 days.
    """
    result = ev(
        spans=[
            ("staff", "2015-03-01", "2026-09-30"),
            ("secretary", "2026-10-01", None),
        ],
        in_person_days=D("4.5"),
    )
    assert result.rotation_required is False
    assert result.required_days == D("4.5")
    assert result.status == rules.MET


# --- induction -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hire", "entries", "as_of", "state"),
    [
        ("2026-03-01", [("2026-04-01", "3")], "2026-06-01", "done"),
        ("2026-03-01", [("2026-04-01", "2")], "2026-06-01", "pending"),
        ("2026-03-01", [], "2027-02-28", "pending"),
        ("2026-03-01", [], "2027-03-01", "missing"),
        # The last day of the 12 months counts.
        ("2026-03-01", [("2027-02-28", "3")], "2027-06-01", "done"),
        # The day after does not.
        ("2026-03-01", [("2027-03-01", "3")], "2027-06-01", "missing"),
        # Before the hire date does not count.
        ("2026-03-01", [("2026-02-20", "3")], "2027-06-01", "missing"),
        # Several entries add up; a reversal subtracts.
        (
            "2026-03-01",
            [("2026-04-01", "2"), ("2026-05-01", "1.5"), ("2026-05-02", "-1.5")],
            "2027-06-01",
            "missing",
        ),
        (
            "2026-03-01",
            [("2026-04-01", "2"), ("2026-09-01", "1")],
            "2027-06-01",
            "done",
        ),
        # Hired in another year: no induction rule for this year.
        ("2025-03-01", [], "2027-06-01", ""),
        # Leap day hire: deadline 27 Feb next year.
        ("2024-02-29", [], "2025-02-28", "missing"),
    ],
)
def test_induction_state(hire, entries, as_of, state):
    policy = Policy(year=int(hire[:4])) if hire.startswith("2024") else P26
    got, _, _ = rules.induction_state(
        d(hire), [(d(w), D(n)) for w, n in entries], policy, d(as_of)
    )
    assert got == state


def test_induction_deadline():
    assert rules.induction_deadline(d("2026-03-01"), P26) == d("2027-02-28")
    assert rules.induction_deadline(d("2024-02-29"), P24) == d("2025-02-27")
    policy = Policy(year=2026, induction_deadline_months=6)
    assert rules.induction_deadline(d("2026-03-01"), policy) == d("2026-08-31")


def test_induction_pending_does_not_fail_a_past_year():
    """Hired in November, days met; induction due next year is pending, not failed."""
    result = ev(
        spans=[("staff", "2026-11-02", None)],
        hire="2026-11-02",
        as_of="2027-01-10",
        in_person_days=D("1"),
        induction=((d("2026-11-20"), D("1")),),
    )
    assert result.required_days == D("0.5")
    assert result.induction == "pending"
    assert result.induction_deadline == d("2027-11-01")
    assert result.status == rules.MET
    assert [r.code for r in result.reasons] == ["induction_pending"]


def test_induction_missing_fails_the_year():
    result = ev(
        spans=[("staff", "2026-01-05", None)],
        hire="2026-01-05",
        as_of="2027-02-01",
        in_person_days=D("5"),
    )
    assert result.induction == "missing"
    assert result.status == rules.NOT_MET
    assert [r.code for r in result.reasons] == ["induction_missing"]
    assert result.reasons[0].render() == (
        "induction missing: 0.00 of 3.00 days by 2027-01-04"
    )


def test_induction_days_count_toward_the_year():
    """Induction credit is in-person credit: 3 induction days meet a staff year."""
    result = ev(
        spans=[("staff", "2026-02-01", None)],
        hire="2026-02-01",
        in_person_days=D("3"),
        induction=((d("2026-03-10"), D("3")),),
    )
    assert result.required_days == D("3")  # 334/365*3 = 2.745 → 3
    assert result.induction == "done"
    assert result.status == rules.MET


# --- online cap ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_person", "online_hours", "required", "counted", "achieved", "status"),
    [
        # 3 required: at most 1.5 online days (9 hours) count.
        ("0", "18", "3", "1.50", "1.50", "not_met"),
        ("1.5", "9", "3", "1.50", "3.00", "met"),
        ("1", "12", "3", "1.50", "2.50", "not_met"),
        ("3", "0", "3", "0.00", "3.00", "met"),
        ("2", "6", "3", "1.00", "3.00", "met"),
        # Reversed online credit never goes below zero.
        ("3", "-6", "3", "0.00", "3.00", "met"),
    ],
)
def test_online_cap(in_person, online_hours, required, counted, achieved, status):
    result = ev(
        spans=STAFF_YEAR, in_person_days=D(in_person), online_hours=D(online_hours)
    )
    assert result.required_days == D(required)
    assert result.counted_online_days == D(counted)
    assert result.achieved_days == D(achieved)
    assert result.status == status


def test_online_cap_reason_says_how_much_is_not_counted():
    result = ev(spans=STAFF_YEAR, in_person_days=D("1"), online_hours=D("12"))
    assert [r.code for r in result.reasons] == ["days_short", "online_cap"]
    assert result.reasons[0].render() == "0.50 of 3.00 training days missing"
    assert result.reasons[1].render() == (
        "online credit over the cap: 0.50 days not counted"
    )


def test_online_cap_share_and_hours_per_day_are_settings():
    policy = Policy(year=2026, online_cap_share=D("1"), hours_per_day=D("8"))
    result = ev(policy=policy, spans=STAFF_YEAR, online_hours=D("24"))
    assert result.online_days == D("3.00")
    assert result.status == rules.MET


def test_cap_with_rotation_secretary():
    """A secretary: 7 days, ≤ 3.5 online; the rotation class is needed on top."""
    result = ev(
        spans=SECRETARY_YEAR,
        in_person_days=D("3.5"),
        online_hours=D("30"),
        rotation=False,
    )
    assert result.counted_online_days == D("3.50")
    assert result.achieved_days == D("7.00")
    assert result.status == rules.NOT_MET
    assert [r.code for r in result.reasons] == ["online_cap", "no_rotation"]
    with_rotation = ev(
        spans=SECRETARY_YEAR,
        in_person_days=D("3.5"),
        online_hours=D("30"),
        rotation=True,
    )
    assert with_rotation.status == rules.MET


def test_cap_applies_to_pro_rated_requirement():
    """Half a year of staff (1.5 days): online counts for at most 0.75."""
    result = ev(spans=[("staff", "2026-07-04", None)], online_hours=D("6"))
    assert result.required_days == D("1.5")
    assert result.counted_online_days == D("0.75")


# --- status during the year ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "in_person", "status"),
    [
        # Within the first quarter nobody is behind.
        ("2026-03-01", "0", "on_track"),
        # 1 Jul: horizon 1 Apr (91 days accrued: 0.75 day); 0 days is behind.
        ("2026-07-01", "0", "at_risk"),
        ("2026-07-01", "0.75", "on_track"),
        ("2026-07-01", "0.5", "at_risk"),
        # 30 Dec: horizon 30 Sep, 273/365*3 = 2.24 days accrued.
        ("2026-12-30", "2.25", "on_track"),
        ("2026-12-30", "2", "at_risk"),
        ("2026-12-30", "3", "met"),
        # Past year: only met / not met.
        ("2027-01-01", "2.5", "not_met"),
        ("2027-01-01", "3", "met"),
        # The year not begun yet.
        ("2025-12-01", "0", "on_track"),
    ],
)
def test_status_in_and_after_the_year(as_of, in_person, status):
    result = ev(spans=STAFF_YEAR, as_of=as_of, in_person_days=D(in_person))
    assert result.status == status


def test_on_track_uses_the_spans_accrual_for_a_new_hire():
    """Hired 1 Oct: on 1 Dec nothing has accrued beyond the tolerance yet."""
    result = ev(
        spans=[("staff", "2026-10-01", None)], hire="2026-10-01", as_of="2026-12-01"
    )
    assert result.expected_days == D("0")
    assert result.status == rules.ON_TRACK
    assert [r.code for r in result.reasons] == ["days_short", "induction_pending"]


def test_missing_rotation_is_a_risk_from_mid_year():
    early = ev(spans=SECRETARY_YEAR, as_of="2026-05-01", in_person_days=D("3"))
    assert early.status == rules.ON_TRACK
    late = ev(spans=SECRETARY_YEAR, as_of="2026-07-03", in_person_days=D("7"))
    assert late.status == rules.AT_RISK
    assert [r.code for r in late.reasons] == ["no_rotation"]


def test_tolerance_is_a_setting():
    strict = Policy(year=2026, on_track_tolerance_share=D("0"))
    result = ev(
        policy=strict, spans=STAFF_YEAR, as_of="2026-03-01", in_person_days=D("0")
    )
    assert result.status == rules.AT_RISK
    assert result.expected_days == D("0.49")  # 60/365*3


# --- combinations -----------------------------------------------------------------------------


def test_hire_post_change_and_leave_in_one_year():
    """Hired 1 Feb as staff, secretary from 1 May, left 31 Oct.

    Staff 89 days × 3 + secretary 184 days × 7 = 267 + 1288 = 1555 / 365 = 4.26 → 4.5.
    Secretary for 184 days ≥ 181: a rotation class is required.
    """
    spans = (("staff", "2026-02-01", "2026-04-30"), ("secretary", "2026-05-01", None))
    base = dict(spans=spans, hire="2026-02-01", leave="2026-10-31", as_of="2027-03-01")
    result = ev(
        **base,
        in_person_days=D("3"),
        online_hours=D("12"),
        rotation=True,
        induction=((d("2026-02-20"), D("3")),),
    )
    assert result.required_days == D("4.5")
    assert result.rotation_required is True
    assert result.counted_online_days == D("2.00")
    assert result.achieved_days == D("5.00")
    assert result.induction == "done"
    assert result.status == rules.MET

    no_rotation = ev(
        **base, in_person_days=D("5"), induction=((d("2026-02-20"), D("3")),)
    )
    assert no_rotation.status == rules.NOT_MET
    assert [r.code for r in no_rotation.reasons] == ["no_rotation"]

    no_induction = ev(**base, in_person_days=D("5"), rotation=True)
    assert no_induction.status == rules.NOT_MET
    assert [r.code for r in no_induction.reasons] == ["induction_missing"]


def test_everything_wrong_lists_every_reason():
    result = ev(
        spans=[("secretary", "2026-01-10", None)],
        hire="2026-01-10",
        as_of="2027-02-01",
        online_hours=D("60"),
    )
    assert result.status == rules.NOT_MET
    assert [r.code for r in result.reasons] == [
        "days_short",
        "online_cap",
        "no_rotation",
        "induction_missing",
    ]


@pytest.mark.parametrize(
    ("year", "start", "end", "expected"),
    [
        # A span ending on 31 Dec of the previous year needs nothing this year.
        (2026, "2020-01-01", "2025-12-31", "0"),
        # One starting on 1 Jan of the next year needs nothing either.
        (2026, "2027-01-01", None, "0"),
        # A span over the new year is cut to the year.
        (2026, "2025-12-01", "2026-01-31", "0.5"),
        (2025, "2025-12-01", "2026-01-31", "0.5"),
        # Leap day alone.
        (2024, "2024-02-29", "2024-02-29", "0.5"),
    ],
)
def test_year_boundaries(year, start, end, expected):
    policy = Policy(year=year)
    spans = [Span("staff", d(start), d(end) if end else None)]
    assert rules.required_days(spans, policy) == D(expected)


def test_nothing_required_is_met_and_full():
    result = ev(spans=(("staff", "2020-01-01", "2025-06-30"),))
    assert result.required_days == D("0")
    assert result.status == rules.MET
    assert result.percent == 100


def test_percent():
    result = ev(spans=STAFF_YEAR, in_person_days=D("1.5"))
    assert result.percent == 50
    assert ev(spans=STAFF_YEAR, in_person_days=D("5")).percent == 100


@pytest.mark.parametrize(
    ("count", "total", "expected"), [(1, 3, "33.3"), (0, 0, "0"), (2, 2, "100.0")]
)
def test_rate(count, total, expected):
    assert rules.rate(count, total) == D(expected)
