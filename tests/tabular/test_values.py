"""Values as people type them into spreadsheets: pure rules, no database."""

import datetime as dt
from decimal import Decimal

import pytest

from lms.tabular.values import (
    cell_text,
    clean_text,
    lookup_key,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_phone,
)


@pytest.mark.parametrize(
    "text",
    [
        "2019-5-6",
        "2019-05-06",
        "2019/5/6",
        "2019.5.6",
        "20190506",
        "2019年5月6日",
        "2019 年 5 月 6 日",
        "２０１９年５月６日",
        "2019-05-06 00:00:00",
        " 2019/05/06 ",
        "43591",  # Excel's serial of 2019-05-06, a date cell read as a number
        "43591.0",
    ],
)
def test_dates_in_every_way_offices_write_them(text):
    """Each spelling is 6 May 2019."""
    assert parse_date(text) == dt.date(2019, 5, 6)


@pytest.mark.parametrize(
    "text", ["2019-2-30", "2019-13-01", "2019", "5/6/2019", "明年", "", "2019-05"]
)
def test_impossible_or_ambiguous_dates_are_refused(text):
    """A day that does not exist, a month-first date or a word is not guessed at."""
    with pytest.raises(ValueError):
        parse_date(text)


def test_date_cells_and_numbers_become_text_as_read():
    """A date cell is its ISO date, a whole float has no .0, full-width text is ASCII."""
    assert cell_text(dt.datetime(2019, 5, 6, 0, 0)) == "2019-05-06"
    assert cell_text(dt.date(2019, 5, 6)) == "2019-05-06"
    assert cell_text(13800001111.0) == "13800001111"
    assert cell_text(None) == ""
    assert cell_text("\u3000张\u00a0伟\u200b ") == "张 伟"


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("13800001111", "13800001111"),
        ("138 0000 1111", "13800001111"),
        ("138-0000-1111", "13800001111"),
        ("+86 138 0000 1111", "13800001111"),
        ("+86-13800001111", "13800001111"),
        ("0086 13800001111", "13800001111"),
        ("8613800001111", "13800001111"),
        ("１３８００００１１１１", "13800001111"),
        ("028-8765 4321", "02887654321"),
        ("(028)87654321", "02887654321"),
        ("87654321", "87654321"),
        ("028-87654321转123", "02887654321-123"),
    ],
)
def test_phones_as_people_type_them(text, digits):
    """Country codes, spaces, hyphens, brackets and full-width digits are dropped."""
    assert parse_phone(text) == digits


@pytest.mark.parametrize(
    "text", ["1380000111", "23800001111", "+1 415 555 0100", "电话", "138000011112"]
)
def test_numbers_that_are_not_phones_are_refused(text):
    with pytest.raises(ValueError):
        parse_phone(text)


def test_choices_match_full_width_and_spaced_spellings():
    """A typed choice matches its table key whatever its width, spaces or case."""
    table = {lookup_key("中共党员"): "cpc_member", lookup_key("Bachelor"): "bachelor"}
    assert parse_choice(" 中共 党员 ", table) == "cpc_member"
    assert parse_choice("ＢＡＣＨＥＬＯＲ", table) == "bachelor"
    with pytest.raises(ValueError):
        parse_choice("党员同志", table)


def test_decimals_and_clean_text():
    assert parse_decimal(" 1.5 ") == Decimal("1.5")
    assert parse_decimal("１．５") == Decimal("1.5")
    for bad in ("NaN", "Infinity", "一天", ""):
        with pytest.raises(ValueError):
            parse_decimal(bad)
    assert clean_text("a\u00a0 b\u2060c") == "a bc"
