"""The annual rules as plain data: one `Policy` per year, with the documented defaults.

Pure Python (no ORM, no settings): `YearPolicy` rows are turned into a `Policy` by
`lms.compliance.selectors.policy_for_year`; a year without a row gets these defaults.

Defaults and their sources (see /work/shared/DOMAIN.md):
- 3 training days a year for every post, 7 for the community party secretary;
- a secretary for at least 6 months of the year also needs one `rotation` class
  organised at district level or above;
- induction: at least 3 days within 12 months of the hire date;
- at most 50% of the required days may come from online credit (lessons, tests and
  any training whose form is online, however it was credited);
- 1 day = 6 study hours (学时); an online lesson of 30 minutes or more earns 1 hour,
  15–30 minutes 0.5, under 15 minutes 0.25, a passed test 0.5; a lesson counts once
  90% of it is watched;
- study integrity of online lessons: credit stops while the player's page is hidden;
  a lesson shorter than 60 seconds earns nothing; at most 4 hours of online play are
  credited a day; a presence prompt every 10–20 minutes of play (random), to be
  confirmed within 60 seconds; a wrong answer to a question inside a video rewinds to
  the previous question, and after 1 wrong answer (``checkpoint_wrong_limit``) the
  question is asked again only once the server has seen that segment played again in
  real time (no guessing through the options);
- pro-rated requirements are rounded up to the next 0.5 day;
- shadowing placements (跟班学习、上挂、轮岗) count as in-person days
  (`shadowing_counts_as` "in_person"; "online" puts them under the online cap);
- a worker is "on track" while their days lag the pro-rated requirement by at most a
  quarter of the year; a missing rotation class puts them "at risk" from mid-year.
- tests: leaving the page 3 times submits the attempt (0 = never); after a pass or
  the last attempt the worker sees the right answers and their explanations;
- external training claims: at most 8 study hours a day of the claimed dates; dates
  from 90 days before the hire date on, never in the future; other study converts
  as 1 day per party-school day, 2 study hours per hour taught, 6 study hours per
  published paper;
- check-in at a venue with coordinates: a phone farther than 500 m is refused
  ("refuse"; "flag" lets it in and marks it for the trainer).
"""

from dataclasses import dataclass, field
from decimal import Decimal

# Posts (lms.people.models.Post values), kept here so the rules stay import-free.
POSTS = ("secretary", "deputy", "member", "staff", "grid_worker", "party_affairs")
# How a signed-off shadowing placement is credited (lms.training CreditKind values).
SHADOWING_COUNTS = ("in_person", "online")
# Organisation levels from the top (lms.org.models.OrgLevel values).
ORG_LEVELS = ("city", "district", "street", "community", "grid")

DEFAULT_DAYS = Decimal("3")
DEFAULT_DAYS_BY_POST = {post: DEFAULT_DAYS for post in POSTS} | {
    "secretary": Decimal("7")
}


@dataclass(frozen=True)
class Policy:
    """Every number of one year's rules. Build with `Policy(year=...)` for the defaults."""

    year: int
    days_by_post: dict = field(default_factory=lambda: dict(DEFAULT_DAYS_BY_POST))
    default_days: Decimal = DEFAULT_DAYS
    rotation_post: str = "secretary"
    rotation_min_months: int = 6
    rotation_min_level: str = "district"
    rotation_due_share: Decimal = Decimal("0.5")
    induction_days: Decimal = Decimal("3")
    induction_deadline_months: int = 12
    online_cap_share: Decimal = Decimal("0.5")
    hours_per_day: Decimal = Decimal("6")
    online_long_minutes: int = 30
    online_micro_minutes: int = 15
    online_long_hours: Decimal = Decimal("1")
    online_medium_hours: Decimal = Decimal("0.5")
    online_micro_hours: Decimal = Decimal("0.25")
    test_pass_hours: Decimal = Decimal("0.5")
    online_completion_share: Decimal = Decimal("0.9")
    online_hidden_stops_credit: bool = True
    online_min_lesson_seconds: int = 60
    online_daily_cap_hours: Decimal = Decimal("4")
    presence_min_seconds: int = 600
    presence_max_seconds: int = 1200
    presence_timeout_seconds: int = 60
    checkpoint_wrong_rewinds: bool = True
    checkpoint_wrong_limit: int = 1
    rounding_step: Decimal = Decimal("0.5")
    on_track_tolerance_share: Decimal = Decimal("0.25")
    shadowing_counts_as: str = "in_person"
    test_max_departures: int = 3
    test_reveal_answers: bool = True
    claim_max_hours_per_day: Decimal = Decimal("8")
    claim_before_hire_days: int = 90
    party_school_day_days: Decimal = Decimal("1")
    teaching_hour_hours: Decimal = Decimal("2")
    paper_hours: Decimal = Decimal("6")
    checkin_max_distance_m: int = 500
    checkin_far_action: str = "refuse"
    closed: bool = False

    def __post_init__(self):
        # Decimals once here: days_for_post runs for every worker of a report.
        days = {post: Decimal(str(value)) for post, value in self.days_by_post.items()}
        object.__setattr__(self, "days_by_post", days)

    def days_for_post(self, post: str) -> Decimal:
        return self.days_by_post.get(post, self.default_days)

    def online_lesson_hours(self, minutes: float | int | Decimal) -> Decimal:
        """Study hours earned by finishing an online lesson of `minutes` minutes."""
        if minutes >= self.online_long_minutes:
            return self.online_long_hours
        if minutes >= self.online_micro_minutes:
            return self.online_medium_hours
        return self.online_micro_hours

    def hours_to_days(self, hours: Decimal) -> Decimal:
        return Decimal(hours) / self.hours_per_day

    def days_to_hours(self, days: Decimal) -> Decimal:
        return Decimal(days) * self.hours_per_day

    def rotation_levels(self) -> tuple[str, ...]:
        """Organiser levels whose rotation classes count (the minimum level and above)."""
        return ORG_LEVELS[: ORG_LEVELS.index(self.rotation_min_level) + 1]
