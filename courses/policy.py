"""The numbers of online study, read from the year's policy (lms.compliance)."""

from lms.compliance.selectors import policy_for_year

from .rules import OnlinePolicy


def online_policy(year: int) -> OnlinePolicy:
    """Online-study numbers of `year`: the administrators' YearPolicy (or its documented
    defaults) from lms.compliance."""
    p = policy_for_year(year)
    return OnlinePolicy(
        long_lesson_minutes=p.online_long_minutes,
        short_lesson_minutes=p.online_micro_minutes,
        long_lesson_hours=p.online_long_hours,
        medium_lesson_hours=p.online_medium_hours,
        micro_lesson_hours=p.online_micro_hours,
        passed_test_hours=p.test_pass_hours,
        hours_per_day=p.hours_per_day,
        complete_share=p.online_completion_share,
        hidden_stops_credit=p.online_hidden_stops_credit,
        min_lesson_seconds=p.online_min_lesson_seconds,
        daily_cap_hours=p.online_daily_cap_hours,
        presence_min_seconds=p.presence_min_seconds,
        presence_max_seconds=p.presence_max_seconds,
        presence_timeout_seconds=p.presence_timeout_seconds,
        checkpoint_wrong_rewinds=p.checkpoint_wrong_rewinds,
        checkpoint_wrong_limit=p.checkpoint_wrong_limit,
    )
