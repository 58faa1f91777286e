"""Pure rules of certificates: serials, masking, wording and service milestones.

No ORM, no settings: plain values in and out, tested exhaustively without a database.

A serial reads ``SQ-2026-7KQ4M-9XH2P-K3``: the issuer code (2–4 characters), the
year, ten random characters (50 bits from `secrets`) and two check characters, all in
Crockford's base32 alphabet (no I, L, O or U, so nothing is read two ways). The check
is a weighted sum modulo the prime 1021 written as two base32 characters: every single
substitution and every swap of two neighbouring characters changes the sum by a
non-zero amount smaller than the modulus, so a typo is caught before any look-up.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUES = {c: i for i, c in enumerate(ALPHABET)}
# Crockford's reading of look-alikes: a typed O is a zero, I and L are ones.
ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
MODULUS = 1021  # the largest prime below 32 * 32
RANDOM_LENGTH = 10
CHECK_LENGTH = 2
ISSUER_MIN, ISSUER_MAX = 2, 4
_ISSUER_RE = re.compile(f"^[{ALPHABET}]{{{ISSUER_MIN},{ISSUER_MAX}}}$")


class InvalidSerial(ValueError):
    pass


@dataclass(frozen=True)
class Serial:
    issuer: str
    year: int
    random: str
    check: str

    @property
    def compact(self) -> str:
        return f"{self.issuer}{self.year:04d}{self.random}{self.check}"

    def __str__(self) -> str:
        r = self.random
        return f"{self.issuer}-{self.year:04d}-{r[:5]}-{r[5:]}-{self.check}"


def check_characters(data: str) -> str:
    """The two check characters of `data` (canonical base32 characters only)."""
    total = sum((i + 1) * VALUES[c] for i, c in enumerate(data)) % MODULUS
    return ALPHABET[total // 32] + ALPHABET[total % 32]


def valid_issuer_code(code: str) -> bool:
    return bool(_ISSUER_RE.match(code or ""))


def new_serial(issuer: str, year: int, *, randbelow=secrets.randbelow) -> Serial:
    """A fresh serial; `randbelow` is replaceable only for tests."""
    if not valid_issuer_code(issuer):
        raise InvalidSerial("issuer code must be 2–4 base32 characters")
    if not 1000 <= year <= 9999:
        raise InvalidSerial("year must have four digits")
    random = "".join(ALPHABET[randbelow(32)] for _ in range(RANDOM_LENGTH))
    data = f"{issuer}{year:04d}{random}"
    return Serial(issuer, year, random, check_characters(data))


def normalise(raw: str) -> str:
    """Upper-case, drop spaces and hyphens, read look-alikes as Crockford does."""
    return re.sub(r"[\s\-‐‑–—]", "", (raw or "").upper()).translate(ALIASES)


def parse_serial(raw: str) -> Serial:
    """Parse and check a typed serial; raise InvalidSerial on any typo.

    Accepts any grouping (hyphens, spaces) and lower case.
    """
    value = normalise(raw)
    tail = 4 + RANDOM_LENGTH + CHECK_LENGTH
    if not ISSUER_MIN + tail <= len(value) <= ISSUER_MAX + tail:
        raise InvalidSerial("wrong length")
    if any(c not in VALUES for c in value):
        raise InvalidSerial("unexpected character")
    issuer = value[: len(value) - tail]
    year_text = value[len(issuer) : len(issuer) + 4]
    random = value[len(issuer) + 4 : -CHECK_LENGTH]
    check = value[-CHECK_LENGTH:]
    if not year_text.isdigit():
        raise InvalidSerial("year must be digits")
    if check_characters(value[:-CHECK_LENGTH]) != check:
        raise InvalidSerial("check characters do not match")
    return Serial(issuer, int(year_text), random, check)


def mask_name(name: str) -> str:
    """Hide the middle of a name: 张*明, 王*, 欧阳**华; Latin names keep initials."""
    name = (name or "").strip()
    if not name:
        return ""
    if " " in name:
        return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS = (
    "name",
    "title",
    "days",
    "hours",
    "year",
    "serial",
    "issuer",
    "issue_date",
    "service_years",
    "organiser",
    "community",
    "completion_date",
)


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in `text` that the certificate data cannot fill."""
    return sorted(
        {m for m in PLACEHOLDER_RE.findall(text or "") if m not in PLACEHOLDERS}
    )


def fill(text: str, values: dict[str, str], *, escape: bool = True) -> str:
    """Replace each {placeholder} with its value (HTML-escaped); keep the unknown."""

    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key not in values:
            return match.group(0)
        value = str(values[key])
        return html.escape(value) if escape else value

    return PLACEHOLDER_RE.sub(replace, text or "")


def date_text(day: dt.date) -> str:
    """2026-03-05 → 2026年3月5日, as printed on a certificate."""
    return f"{day.year}年{day.month}月{day.day}日"


def format_amount(value) -> str:
    """3.00 → 3, 1.50 → 1.5: amounts as people write them."""
    text = f"{value:f}" if not isinstance(value, str) else value
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def service_milestone_date(
    hire_date: dt.date, years: int, leave_date: dt.date | None = None
) -> dt.date | None:
    """The day `years` of continuous service are complete, or None if the worker
    left before it. (29 February hires complete on 28 February.)"""
    try:
        day = hire_date.replace(year=hire_date.year + years)
    except ValueError:
        day = dt.date(hire_date.year + years, 2, 28)
    if leave_date is not None and leave_date < day:
        return None
    return day


def milestones_reached(
    hire_date: dt.date,
    leave_date: dt.date | None,
    on: dt.date,
    milestones: tuple[int, ...],
) -> list[int]:
    """The service milestones (e.g. 20, 30 years) complete by `on`."""
    reached = []
    for years in milestones:
        day = service_milestone_date(hire_date, years, leave_date)
        if day is not None and day <= on:
            reached.append(years)
    return reached
