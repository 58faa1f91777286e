"""Demo annual rules: the current and the previous year with the documented defaults
(city administrators then edit them in the admin, with a history)."""

from django.utils import timezone

from lms.compliance.models import YearPolicy


def seed(context: dict) -> None:
    year = timezone.localdate().year
    for y in (year - 1, year):
        YearPolicy.objects.get_or_create(year=y)
