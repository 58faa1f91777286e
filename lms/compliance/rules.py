"""The annual minimum as pure functions: dates, Decimals and dataclasses in and out.

No ORM and no settings here; every number comes from the year's `Policy`.

Definitions (each one tested in tests/compliance/test_rules.py):

* Required days. Each post span is clipped to the year (and to the leave date); every
  day of it needs ``days_for_post(post) / days_in_year`` (366 in a leap year). Where two
  spans overlap, the day needs the larger of the two posts' requirements, never both.
  The sum is rounded **up** to a multiple of ``rounding_step`` (0.5 day). Days outside
  every span need nothing; a worker with no day in the year needs 0.
* Rotation. A worker who held ``rotation_post`` (secretary) for at least
  ``rotation_min_months`` of the year must have a `rotation` class organised at
  ``rotation_min_level`` (district) or above, or the year is not met whatever the days.
  "N months" means as many days as the year's first N calendar months have (181 for 6
  months, 182 in a leap year), counted over all of the worker's secretary spans.
* Induction. A worker hired in the year needs ``induction_days`` (3) of `induction`
  credit dated from the hire date up to the last day before ``hire +
  induction_deadline_months``. Until that deadline has passed it is *pending*, which
  never fails a year; after it, *missing* fails the year. Induction credit counts
  toward the year's days like any other in-person credit.
* Online cap. Online credit (``online_hours / hours_per_day``: lessons, tests and any
  training whose form is online, however it was credited; lms.training.models
  ONLINE_CREDIT) counts for at most ``online_cap_share`` of the required days; every
  other credit (in-person and centralised training) counts in full.
* Status. ``met`` when the days, the rotation class and the induction are all satisfied.
  For a past year (``as_of`` after 31 December) anything else is ``not_met``. During the
  year: ``on_track`` when the worker has at least the days their spans had accrued up to
  ``on_track_tolerance_share`` of a year ago (a quarter: three months of lag allowed) and,
  if a rotation class is required, either has it or less than ``rotation_due_share`` of
  the year has gone by; otherwise ``at_risk``.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils.translation import gettext_noop

from .policy import Policy

ZERO = Decimal("0")
CENT = Decimal("0.01")

MET = "met"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
NOT_MET = "not_met"
STATUSES = (MET, ON_TRACK, AT_RISK, NOT_MET)

INDUCTION_NONE = ""  # not hired in the year
INDUCTION_DONE = "done"
INDUCTION_PENDING = "pending"
INDUCTION_MISSING = "missing"


class Span(NamedTuple):
    """A post held from `start` to `end` inclusive (None: still held). A named tuple:
    a city's report makes tens of thousands."""

    post: str
    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True)
class LedgerTotals:
    """What the ledger holds for one worker and year (reversals already netted).

    `in_person_days`: days of in-person and external credit dated in the year;
    `online_hours`: study hours of online-lesson and test credit dated in the year;
    `rotation`: a rotation class by an organiser of a counting level, in the year;
    `induction`: (date, days) of induction credit around the hire date (any year).
    """

    in_person_days: Decimal = ZERO
    online_hours: Decimal = ZERO
    rotation: bool = False
    induction: tuple = ()


@dataclass(frozen=True)
class Reason:
    """Why a year is not (yet) met, as a translatable message with its numbers."""

    code: str
    msgid: str
    params: dict = field(default_factory=dict)

    def render(self, gettext=None) -> str:
        text = gettext(self.msgid) if gettext else self.msgid
        return text % self.params if self.params else text


@dataclass(frozen=True)
class Compliance:
    year: int
    required_days: Decimal
    in_person_days: Decimal
    online_days: Decimal
    counted_online_days: Decimal
    achieved_days: Decimal
    shortfall_days: Decimal
    expected_days: Decimal
    rotation_required: bool
    rotation_done: bool
    induction: str
    induction_deadline: dt.date | None
    status: str
    reasons: tuple = ()

    @property
    def percent(self) -> int:
        """Progress toward the required days, 0–100 (100 when nothing is required)."""
        if self.required_days <= 0:
            return 100
        return min(100, int(self.achieved_days * 100 / self.required_days))


# --- dates ------------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def days_in_year(year: int) -> int:
    return 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months`, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_first = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (next_first - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def months_as_days(year: int, months: int) -> int:
    """Days in the first `months` calendar months of `year` (6 → 181, or 182 if leap)."""
    if months <= 0:
        return 0
    if months >= 12:
        return days_in_year(year)
    return (dt.date(year, months + 1, 1) - dt.date(year, 1, 1)).days


def clip_spans(
    spans, year: int, *, leave_date: dt.date | None = None, until: dt.date | None = None
) -> tuple[Span, ...]:
    """The parts of `spans` inside the year, before leaving and up to `until`."""
    first, last = year_bounds(year)
    if leave_date is not None and leave_date < last:
        last = leave_date
    if until is not None and until < last:
        last = until
    out = []
    for span in spans:
        start = max(span.start, first)
        end = last if span.end is None else min(span.end, last)
        if start <= end:
            out.append(Span(span.post, start, end))
    return tuple(sorted(out, key=lambda s: (s.start, s.end, s.post)))


def _segments(clipped: tuple[Span, ...], rate) -> list[tuple[int, Decimal]]:
    """(number of days, rate per year) of the disjoint pieces of the clipped spans.

    Where spans overlap the larger rate wins, so no day is counted twice.
    """
    if len(clipped) == 1:
        span = clipped[0]
        return [((span.end - span.start).days + 1, rate(span.post))]
    cuts = sorted(
        {s.start for s in clipped} | {s.end + dt.timedelta(days=1) for s in clipped}
    )
    pieces = []
    for begin, stop in zip(cuts, cuts[1:]):
        rates = [rate(s.post) for s in clipped if s.start <= begin and s.end >= begin]
        if rates:
            pieces.append(((stop - begin).days, max(rates)))
    return pieces


def round_up(value: Decimal, step: Decimal) -> Decimal:
    if value <= 0:
        return ZERO
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def accrued_days(clipped: tuple[Span, ...], policy: Policy) -> Decimal:
    """Unrounded days required by the clipped spans (pro rata of the year's days)."""
    if not clipped:
        return ZERO
    total = sum(
        (days * rate for days, rate in _segments(clipped, policy.days_for_post)), ZERO
    )
    return total / days_in_year(policy.year)


def required_days(
    spans, policy: Policy, *, leave_date: dt.date | None = None
) -> Decimal:
    """Training days the year requires, pro-rated by span and rounded up (0.5 day)."""
    clipped = clip_spans(spans, policy.year, leave_date=leave_date)
    return round_up(accrued_days(clipped, policy), policy.rounding_step)


def post_days(clipped: tuple[Span, ...], post: str) -> int:
    """Days of the clipped spans during which `post` was held (overlaps counted once)."""
    total, reach = 0, None
    for span in sorted((s for s in clipped if s.post == post), key=lambda s: s.start):
        start = span.start if reach is None else max(span.start, reach)
        if span.end >= start:
            total += (span.end - start).days + 1
            reach = span.end + dt.timedelta(days=1)
    return total


def _needs_rotation(clipped: tuple[Span, ...], policy: Policy) -> bool:
    if policy.rotation_min_months <= 0:
        return any(s.post == policy.rotation_post for s in clipped)
    held = post_days(clipped, policy.rotation_post)
    return held >= months_as_days(policy.year, policy.rotation_min_months)


def rotation_required(spans, policy: Policy, *, leave_date=None) -> bool:
    """Held the rotation post (secretary) for at least the policy's months this year."""
    return _needs_rotation(
        clip_spans(spans, policy.year, leave_date=leave_date), policy
    )


def induction_deadline(hire_date: dt.date, policy: Policy) -> dt.date:
    """The last day on which induction credit still counts."""
    return add_months(hire_date, policy.induction_deadline_months) - dt.timedelta(
        days=1
    )


def induction_state(
    hire_date: dt.date, entries, policy: Policy, as_of: dt.date
) -> tuple[str, dt.date | None, Decimal]:
    """(state, deadline, days) of the induction of a worker hired in `policy.year`.

    State is "" when the worker was not hired in the year, else done/pending/missing.
    """
    if hire_date.year != policy.year:
        return INDUCTION_NONE, None, ZERO
    deadline = induction_deadline(hire_date, policy)
    days = sum(
        (Decimal(d) for when, d in entries if hire_date <= when <= deadline), ZERO
    )
    if days >= policy.induction_days:
        return INDUCTION_DONE, deadline, days
    if as_of <= deadline:
        return INDUCTION_PENDING, deadline, days
    return INDUCTION_MISSING, deadline, days


def online_cap(required: Decimal, policy: Policy) -> Decimal:
    """The most online days that count: `online_cap_share` of the required days."""
    return required * policy.online_cap_share


def counted_online(online_days: Decimal, required: Decimal, policy: Policy) -> Decimal:
    """Online days that count: at most `online_cap` of them."""
    return max(ZERO, min(online_days, online_cap(required, policy)))


def year_share_elapsed(year: int, as_of: dt.date) -> Decimal:
    first, last = year_bounds(year)
    if as_of < first:
        return ZERO
    if as_of >= last:
        return Decimal(1)
    return Decimal((as_of - first).days + 1) / days_in_year(year)


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def evaluate(
    *,
    policy: Policy,
    spans,
    hire_date: dt.date,
    totals: LedgerTotals,
    as_of: dt.date,
    leave_date: dt.date | None = None,
) -> Compliance:
    """One worker's compliance with `policy` for its year, as known on `as_of`."""
    year = policy.year
    clipped = clip_spans(spans, year, leave_date=leave_date)
    required = round_up(accrued_days(clipped, policy), policy.rounding_step)
    in_person = Decimal(totals.in_person_days)
    online = policy.hours_to_days(totals.online_hours)
    counted = counted_online(online, required, policy)
    achieved = max(ZERO, in_person) + counted
    shortfall = max(ZERO, required - achieved)
    needs_rotation = _needs_rotation(clipped, policy)
    rotation_ok = not needs_rotation or totals.rotation
    induction, deadline, induction_days = induction_state(
        hire_date, totals.induction, policy, as_of
    )

    reasons = []
    if shortfall > 0:
        reasons.append(
            Reason(
                "days_short",
                gettext_noop("%(missing)s of %(required)s training days missing"),
                {"missing": _q(shortfall), "required": _q(required)},
            )
        )
    if online > counted and online > 0:
        reasons.append(
            Reason(
                "online_cap",
                gettext_noop("online credit over the cap: %(days)s days not counted"),
                {"days": _q(online - counted)},
            )
        )
    if not rotation_ok:
        reasons.append(Reason("no_rotation", gettext_noop("no rotation class")))
    if induction == INDUCTION_MISSING:
        reasons.append(
            Reason(
                "induction_missing",
                gettext_noop(
                    "induction missing: %(days)s of %(needed)s days by %(deadline)s"
                ),
                {
                    "days": _q(induction_days),
                    "needed": _q(policy.induction_days),
                    "deadline": deadline.isoformat(),
                },
            )
        )
    elif induction == INDUCTION_PENDING:
        reasons.append(
            Reason(
                "induction_pending",
                gettext_noop(
                    "induction pending: %(days)s of %(needed)s days, due %(deadline)s"
                ),
                {
                    "days": _q(induction_days),
                    "needed": _q(policy.induction_days),
                    "deadline": deadline.isoformat(),
                },
            )
        )

    _, last = year_bounds(year)
    tolerance_days = int(
        (policy.on_track_tolerance_share * days_in_year(year)).to_integral_value(
            rounding=ROUND_HALF_UP
        )
    )
    expected = ZERO
    if as_of < last:
        horizon = as_of - dt.timedelta(days=tolerance_days)
        expected = accrued_days(clip_spans(clipped, year, until=horizon), policy)
    if shortfall == 0 and rotation_ok and induction != INDUCTION_MISSING:
        status = MET
    elif as_of > last or induction == INDUCTION_MISSING:
        status = NOT_MET
    else:
        behind = achieved < expected
        rotation_late = not rotation_ok and (
            year_share_elapsed(year, as_of) >= policy.rotation_due_share
        )
        status = AT_RISK if behind or rotation_late else ON_TRACK
        if behind:
            reasons.append(
                Reason(
                    "behind",
                    gettext_noop("behind schedule: %(expected)s days expected by now"),
                    {"expected": _q(expected)},
                )
            )
    return Compliance(
        year=year,
        required_days=_q(required),
        in_person_days=_q(in_person),
        online_days=_q(online),
        counted_online_days=_q(counted),
        achieved_days=_q(achieved),
        shortfall_days=_q(shortfall),
        expected_days=_q(expected),
        rotation_required=needs_rotation,
        rotation_done=bool(totals.rotation),
        induction=induction,
        induction_deadline=deadline,
        status=status,
        reasons=tuple(reasons),
    )


def rate(count: int, total: int) -> Decimal:
    """Share of `count` in `total` as a percentage with one decimal (0 for none)."""
    if not total:
        return ZERO
    return (Decimal(count) * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP)
