"""Pure rules of the people register: resident ID numbers (GB 11643-1999)."""

import datetime as dt
from dataclasses import dataclass

# Marks the reasons for translation without importing settings or a catalogue.
from django.utils.translation import gettext_noop

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


class InvalidIdNumber(ValueError):
    pass


@dataclass(frozen=True)
class IdNumberFacts:
    id_number: str
    birth_date: dt.date
    gender: str  # "M" or "F"


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def parse_id_number(raw: str) -> IdNumberFacts:
    """Validate an 18-character ID number and read its birth date and gender.

    Raises InvalidIdNumber with a message fit for the person who typed it.
    """
    value = (raw or "").strip()
    if len(value) != 18:
        raise InvalidIdNumber(gettext_noop("must be 18 characters"))
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdNumber(
            gettext_noop("must be 17 digits and a digit or upper-case X")
        )
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(gettext_noop("birth date is not a real date")) from exc
    if birth.year < 1900:
        raise InvalidIdNumber(gettext_noop("birth date is not a real date"))
    if id_check_char(value[:17]) != value[17]:
        raise InvalidIdNumber(gettext_noop("check digit does not match"))
    gender = "M" if int(value[16]) % 2 else "F"
    return IdNumberFacts(id_number=value, birth_date=birth, gender=gender)


def mask_id_number(value: str) -> str:
    """First 6 and last 4 characters shown: 110105********123X."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end` (years of service, age)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)
