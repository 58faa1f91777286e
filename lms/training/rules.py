"""Pure training rules: eligibility, attendance credit, check-in windows, completion.

No ORM and no settings here: callers pass plain values (dates, Decimals, strings) and
the policy numbers they read from settings.
"""

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

FULL, HALF = "full", "half"
TEST, PAPER_DEFENCE = "test", "paper_defence"


@dataclass(frozen=True)
class SessionPolicy:
    full_day_days: Decimal
    half_day_days: Decimal
    hours_per_day: Decimal
    min_share: Decimal  # share of the session to attend for its credit


def session_days(length: str, policy: SessionPolicy) -> Decimal:
    """The credit in days of a session of `length` (full or half day)."""
    return policy.full_day_days if length == FULL else policy.half_day_days


def days_to_hours(days: Decimal, hours_per_day: Decimal) -> Decimal:
    return (days * hours_per_day).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def hours_to_days(hours: Decimal, hours_per_day: Decimal) -> Decimal:
    if hours_per_day <= 0:
        raise ValueError("hours_per_day must be positive")
    return (hours / hours_per_day).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def attended_share(
    check_in: dt.datetime | None,
    check_out: dt.datetime | None,
    starts: dt.datetime,
    ends: dt.datetime,
) -> Decimal:
    """The share of the session [starts, ends] covered by [check_in, check_out]."""
    if check_in is None or check_out is None or ends <= starts:
        return Decimal("0")
    overlap = min(check_out, ends) - max(check_in, starts)
    seconds = max(overlap.total_seconds(), 0)
    share = Decimal(seconds) / Decimal((ends - starts).total_seconds())
    return min(share, Decimal("1")).quantize(Decimal("0.0001"))


def earns_credit(share: Decimal, policy: SessionPolicy) -> bool:
    return share >= policy.min_share


@dataclass(frozen=True)
class Window:
    check_in_opens: dt.datetime
    check_in_closes: dt.datetime
    check_out_closes: dt.datetime


def scan_window(
    starts: dt.datetime, ends: dt.datetime, *, early_minutes: int, late_minutes: int
) -> Window:
    """Check-in from `early_minutes` before the start to the end; check-out until
    `late_minutes` after the end."""
    return Window(
        check_in_opens=starts - dt.timedelta(minutes=early_minutes),
        check_in_closes=ends,
        check_out_closes=ends + dt.timedelta(minutes=late_minutes),
    )


def check_in_refusal(now: dt.datetime, window: Window) -> str | None:
    """Why a check-in at `now` is refused, or None when it is allowed."""
    if now < window.check_in_opens:
        return _(
            "Check-in for this session has not opened yet (it opens at %(t)s)."
        ) % {"t": f"{window.check_in_opens:%H:%M}"}
    if now > window.check_in_closes:
        return _("This session has ended; check-in is closed.")
    return None


def check_out_refusal(
    now: dt.datetime, window: Window, checked_in_at: dt.datetime | None
) -> str | None:
    if checked_in_at is None:
        return _("Check in first.")
    if now > window.check_out_closes:
        return _("Check-out for this session is closed.")
    if now < checked_in_at:
        return _("Check-out cannot be before check-in.")
    return None


def presentation_counts(
    presented_at: dt.datetime, now: dt.datetime, *, grace_minutes: int
) -> bool:
    """A code presented validly at `presented_at` (while signed out) still counts at
    `now`: at most `grace_minutes` later, and never before it was presented."""
    return presented_at <= now <= presented_at + dt.timedelta(minutes=grace_minutes)


@dataclass(frozen=True)
class Target:
    org_path: str
    posts: frozenset  # empty: every post
    opens: dt.datetime
    closes: dt.datetime


def eligibility_refusal(
    *,
    community_path: str,
    post: str,
    left: bool,
    target: Target,
    now: dt.datetime | None,
) -> str | None:
    """Why a worker may not enrol; None when they may. `now=None` skips the window
    (an administrator enrolling)."""
    if left:
        return _("The worker has left service.")
    if not community_path.startswith(target.org_path):
        return _("The worker's community is outside the class's target organisation.")
    if target.posts and post not in target.posts:
        return _("The class is not for the worker's post.")
    if now is not None:
        if now < target.opens:
            return _("Enrolment has not opened yet.")
        if now > target.closes:
            return _("Enrolment has closed.")
    return None


def seats_to_fill(capacity: int, enrolled: int, waiting: int) -> int:
    """How many waiting-list entries to promote."""
    return max(0, min(capacity - enrolled, waiting))


@dataclass(frozen=True)
class CompletionRule:
    min_attendance_share: Decimal
    extra: str  # "", "test" or "paper_defence"
    pass_score: Decimal


def completion(
    *,
    rule: CompletionRule,
    sessions_total: int,
    sessions_credited: int,
    grades: dict[str, Decimal],
) -> tuple[bool, list[str]]:
    """(completed, reasons it is not) for one enrolment."""
    reasons = []
    if sessions_total == 0:
        reasons.append(_("The class has no sessions."))
    else:
        share = Decimal(sessions_credited) / Decimal(sessions_total)
        if share < rule.min_attendance_share:
            reasons.append(
                _("Attended %(done)s of %(total)s sessions; %(need)s%% needed.")
                % {
                    "done": sessions_credited,
                    "total": sessions_total,
                    "need": f"{rule.min_attendance_share * 100:.0f}",
                }
            )
    needed = []
    if rule.extra == TEST:
        needed = [("test", _("test"))]
    elif rule.extra == PAPER_DEFENCE:
        needed = [("paper", _("paper")), ("defence", _("defence"))]
    for component, label in needed:
        score = grades.get(component)
        if score is None:
            reasons.append(_("The %(part)s is not graded yet.") % {"part": label})
        elif score < rule.pass_score:
            reasons.append(
                _("The %(part)s scored %(score)s, below the pass score %(pass)s.")
                % {"part": label, "score": score, "pass": rule.pass_score}
            )
    return (not reasons, reasons)


def import_row_digest(*parts: str) -> str:
    """A stable key for an imported row: re-importing the same row gives the same key."""
    text = "\x1f".join(p.strip() for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


# --- External training claims (学时认定) --------------------------------------------
@dataclass(frozen=True)
class ClaimPolicy:
    hours_per_day: Decimal
    max_hours_per_day: Decimal
    before_hire_days: int
    # The year's conversion table for other kinds of study (lms.compliance.policy).
    party_school_day_days: Decimal = Decimal("1")
    teaching_hour_hours: Decimal = Decimal("2")
    paper_hours: Decimal = Decimal("6")


# Kinds of study a claim may be (lms.training.models.StudyKind values).
TRAINING, PARTY_SCHOOL, TEACHING, PAPER = (
    "training",
    "party_school",
    "teaching",
    "paper",
)


CLAIM_PROBLEMS = (
    "end_before_start",
    "in_future",
    "before_hire",
    "days_beyond_dates",
    "hours_beyond_dates",
    "nothing_claimed",
)


def claim_problems(
    *,
    start: dt.date,
    end: dt.date,
    days: Decimal | None,
    hours: Decimal | None,
    today: dt.date,
    hire_date: dt.date | None,
    policy: ClaimPolicy,
    kind: str = TRAINING,
    papers: int | None = None,
) -> list[str]:
    """What makes an external training claim unreasonable, as codes (CLAIM_PROBLEMS):
    dates reversed, in the future, or before the hire date less the allowance; more
    days than the dates span; more hours than the per-day maximum over those days;
    nothing claimed (a paper claims its number of papers, every other kind its days
    or hours, which the dates bound)."""
    problems = []
    if end < start:
        return ["end_before_start"]
    if end > today:
        problems.append("in_future")
    if hire_date is not None and start < hire_date - dt.timedelta(
        days=policy.before_hire_days
    ):
        problems.append("before_hire")
    if kind == PAPER:
        if not papers or papers <= 0:
            problems.append("nothing_claimed")
        return problems
    span = Decimal((end - start).days + 1)
    if days is None and hours is None or (days or 0) + (hours or 0) <= 0:
        problems.append("nothing_claimed")
    if days is not None and days > span:
        problems.append("days_beyond_dates")
    claimed_hours = (
        hours if hours is not None else days_to_hours(days or 0, policy.hours_per_day)
    )
    if claimed_hours > span * policy.max_hours_per_day and "days_beyond_dates" not in (
        problems
    ):
        problems.append("hours_beyond_dates")
    return problems


@dataclass(frozen=True)
class ClaimCredit:
    """What a claim is credited with: `basis` in its kind's unit (days, hours or
    papers) × `rate` of the year's table, as training `days` and study `hours`."""

    days: Decimal
    hours: Decimal
    basis: Decimal
    rate: Decimal


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def claim_credit(
    *,
    kind: str,
    days: Decimal | None,
    hours: Decimal | None,
    papers: int | None,
    policy: ClaimPolicy,
) -> ClaimCredit:
    """The credit of a reasonable claim by the year's conversion table: training as
    claimed; a day at a party school as `party_school_day_days` training days; an hour
    taught as `teaching_hour_hours` study hours; a published paper as `paper_hours`
    study hours. Whichever of days and hours the worker gave, the other follows from
    the year's hours per day."""
    per_day = policy.hours_per_day
    claimed_days = days if days is not None else hours_to_days(hours or 0, per_day)
    claimed_hours = hours if hours is not None else days_to_hours(days or 0, per_day)
    if kind == PARTY_SCHOOL:
        credited = _cents(claimed_days * policy.party_school_day_days)
        return ClaimCredit(
            credited,
            days_to_hours(credited, per_day),
            claimed_days,
            policy.party_school_day_days,
        )
    if kind in (TEACHING, PAPER):
        basis = claimed_hours if kind == TEACHING else Decimal(papers or 0)
        rate = policy.teaching_hour_hours if kind == TEACHING else policy.paper_hours
        credited = _cents(basis * rate)
        return ClaimCredit(hours_to_days(credited, per_day), credited, basis, rate)
    return ClaimCredit(claimed_days, claimed_hours, claimed_days, Decimal("1"))


# --- Presence at check-in -----------------------------------------------------------
def distance_m(a: tuple[float, float], b: tuple[float, float]) -> int:
    """Great-circle distance in metres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return round(2 * 6_371_000 * math.asin(math.sqrt(h)))


def presence_verdict(
    *,
    venue: tuple[float, float] | None,
    position: tuple[float, float] | None,
    max_m: int,
    far_action: str,
) -> tuple[str | None, list[str], int | None]:
    """(refusal code or None, flags, distance) of a check-in. Without venue
    coordinates anything goes; with them a phone must give its location and be
    within `max_m`, else it is refused ("refuse") or let in with a flag ("flag")."""
    if venue is None:
        return None, [], None
    if position is None:
        if far_action == "refuse":
            return "location_needed", [], None
        return None, ["no_location"], None
    metres = distance_m(venue, position)
    if metres <= max_m:
        return None, [], metres
    if far_action == "refuse":
        return "too_far", [], metres
    return None, ["far"], metres
