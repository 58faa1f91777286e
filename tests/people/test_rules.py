"""Pure rules of the register: no database."""

import datetime as dt

import pytest

from lms.people.rules import (
    InvalidIdNumber,
    id_check_char,
    mask_id_number,
    mask_phone,
    parse_id_number,
    years_between,
)

TODAY = dt.date(2026, 6, 1)


def test_check_char_of_the_standard_example():
    """GB 11643's worked example 11010519491231002 has check character X."""
    assert id_check_char("11010519491231002") == "X"


def test_parse_reads_birth_date_and_gender():
    facts = parse_id_number("11010519491231002X", today=TODAY)
    assert facts.birth_date == dt.date(1949, 12, 31)
    assert facts.gender == "F"  # 17th digit 2 is even


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("11010519491231002", "must be 18 characters"),
        ("11010519491231002Y", "must be 17 digits and a digit or upper-case X"),
        ("1101051949123100AX", "must be 17 digits and a digit or upper-case X"),
        ("110105194902300021", "birth date is not a real date"),
        ("110105194912310021", "check digit does not match"),
        ("", "must be 18 characters"),
    ],
)
def test_parse_rejects_bad_numbers_with_the_reason(value, reason):
    with pytest.raises(InvalidIdNumber, match=reason):
        parse_id_number(value, today=TODAY)


def test_masking_shows_first_six_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"


def test_years_between_counts_whole_years():
    assert years_between(dt.date(2006, 3, 1), dt.date(2026, 2, 28)) == 19
    assert years_between(dt.date(2006, 3, 1), dt.date(2026, 3, 1)) == 20
