"""The numbers of online study, read from the year's policy (lms.compliance)."""

from django.conf import settings

from lms.compliance.selectors import policy_for_year

from .rules import OnlinePolicy


def online_policy(year: int) -> OnlinePolicy:
    """Online-study numbers of `year`: the administrators' YearPolicy (or its documented
    defaults) from lms.compliance, plus the playback-rate cap from settings."""
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
        max_playback_rate=settings.LESSON_MAX_PLAYBACK_RATE,
    )
