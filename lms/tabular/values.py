"""Pure rules for values as people type them into spreadsheets (no ORM, no settings).

Every function takes text (or a cell value) and returns a clean value or raises
ValueError; the importers turn that into a row error.
"""

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Zero-width space/joiners, word joiner and the byte-order mark: invisible in a cell,
# pasted in from web pages and chat programs.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def tidy_text(value: str) -> str:
    """Invisible characters out, runs of white space (non-breaking and ideographic
    included) to one space, ends trimmed; the text itself is left as typed."""
    # Invisible characters and every space but " " are not printable: most cells
    # need no work.
    if value.isprintable() and "  " not in value and value == value.strip():
        return value
    return " ".join(value.translate(INVISIBLE).split())


def clean_text(value: str) -> str:
    """`tidy_text`, and full-width letters, digits and punctuation to ASCII (NFKC):
    for comparing and parsing, not for keeping names and titles."""
    return tidy_text(unicodedata.normalize("NFKC", value))


def squeeze(value: str) -> str:
    """`clean_text` with every space removed: for codes and numbers."""
    return clean_text(value).replace(" ", "")


def cell_text(value) -> str:
    """A cell (from XLSX, XLS or CSV) as the text a person reads in it."""
    if type(value) is str:
        return tidy_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return tidy_text(str(value))


_DATE_PATTERNS = (
    # 2019-5-6, 2019/5/6, 2019.5.6, 2019年5月6日, 2019-05-06 00:00:00
    re.compile(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:]+)?"
    ),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),  # 20190506
)


@lru_cache(maxsize=4096)  # a roster repeats its dates: parse each spelling once
def parse_date(text: str) -> dt.date:
    """2019-5-6, 2019/5/6, 2019.5.6, 20190506, 2019年5月6日 (full-width digits too)
    or an Excel serial day number such as 43591."""
    text = clean_text(text)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        # An Excel serial: a date cell read as a number (1927-05-18 .. 2173-10-14).
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                break
    raise ValueError(text)


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(squeeze(text))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


@lru_cache(maxsize=4096)
def lookup_key(text: str) -> str:
    """How a typed choice (学历, 政治面貌, 岗位 …) is compared with a table's keys:
    full-width to ASCII, spaces out, lower case."""
    return squeeze(text).lower()


def parse_choice(text: str, table: dict[str, str]) -> str:
    """The code `text` names in `table` (keys made by `lookup_key`); ValueError if none."""
    try:
        return table[lookup_key(text)]
    except KeyError:
        raise ValueError(text) from None


def parse_phone(text: str) -> str:
    """A mobile or fixed-line number as digits: +86, 0086 or 86 before a mobile number,
    spaces, hyphens and brackets dropped; an extension kept after a hyphen."""
    value, extension = _split_extension(squeeze(text))
    digits = re.sub(r"[-()（）.]", "", value)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("86"):
            raise ValueError(text)
        digits = digits[2:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(text)
    mobile = len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"
    # Fixed line: area code (0 + 2-3 digits) and 7-8 digits, or 7-8 local digits.
    fixed = re.fullmatch(r"0\d{2,3}\d{7,8}|[2-9]\d{6,7}", digits) is not None
    if not (mobile or fixed):
        raise ValueError(text)
    if extension and not (extension.isdigit() and len(extension) <= 6):
        raise ValueError(text)
    return f"{digits}-{extension}" if extension else digits


def _split_extension(value: str) -> tuple[str, str]:
    match = re.fullmatch(r"(.+?)(?:转|ext\.?|#)(\d+)", value, flags=re.IGNORECASE)
    return (match.group(1), match.group(2)) if match else (value, "")
