"""Pure rules of the register: no database."""

import datetime as dt

import pytest

from lms.people.rules import (
    EDUCATION_ALIASES,
    POLITICAL_ALIASES,
    POST_ALIASES,
    GenderMismatch,
    InvalidIdNumber,
    division_exists,
    id_check_char,
    mask_id_number,
    mask_phone,
    normalise_id_number,
    old_enough_to_hire,
    parse_gender,
    parse_id_number,
    years_between,
)
from lms.tabular.values import lookup_key, parse_choice

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


NUMBER = "11010519491231002X"


@pytest.mark.parametrize(
    "spelling",
    [
        "11010519491231002x",  # lower-case x
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and Ｘ
        "１１０１０５１９４９１２３１００２ｘ",
        " 110105 19491231 002X ",  # spaces around and inside
        "110105\u00a019491231\u3000002X",  # non-breaking and ideographic spaces
        "1101\u200b0519491231\u200c002\u200dX\ufeff",  # zero-width characters
        "'11010519491231002X",  # Excel's text mark typed into a CSV
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",  # Arabic-Indic digits (str.isdigit() is True)
    ],
)
def test_every_spelling_of_a_number_is_one_canonical_number(spelling):
    """Normalisation gives the ASCII form; parsing checks and returns that form."""
    assert normalise_id_number(spelling) == NUMBER
    assert parse_id_number(spelling, today=TODAY).id_number == NUMBER


def test_division_code_must_exist_or_have_existed():
    """GB/T 2260 as python-stdnum keeps it: 510102 (成都东城区, 1983-1990) existed;
    999999 and 510109 never did."""
    assert division_exists("110105") and division_exists("510102")
    assert not division_exists("999999") and not division_exists("510109")
    first17 = "99999919900101001"
    with pytest.raises(InvalidIdNumber, match="county-level division code"):
        parse_id_number(first17 + id_check_char(first17), today=TODAY)


def test_birth_date_may_not_lie_in_the_future():
    first17 = "11010520260602001"  # born the day after TODAY
    number = first17 + id_check_char(first17)
    with pytest.raises(InvalidIdNumber, match="in the future"):
        parse_id_number(number, today=TODAY)
    assert parse_id_number(number, today=dt.date(2026, 6, 2)).birth_date == dt.date(
        2026, 6, 2
    )


def test_a_worker_is_at_least_16_on_the_hire_date():
    born = dt.date(2008, 2, 29)
    assert not old_enough_to_hire(born, dt.date(2024, 2, 28))
    assert old_enough_to_hire(born, dt.date(2024, 2, 29))
    assert old_enough_to_hire(dt.date(1990, 1, 1), dt.date(2020, 7, 1))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("研究生", "master"),
        ("硕士研究生", "master"),
        ("博士研究生", "master"),
        ("硕士", "master"),
        ("博士", "master"),
        ("大学本科", "bachelor"),
        ("本科", "bachelor"),
        ("大学专科", "college"),
        ("大专", "college"),
        ("中专", "senior_high"),
        ("中技", "senior_high"),
        ("高中", "senior_high"),
        ("职高", "senior_high"),
        ("初中及以下", "junior_high"),
    ],
)
def test_education_as_offices_write_it(text, code):
    assert (
        parse_choice(text, {lookup_key(k): v for k, v in EDUCATION_ALIASES.items()})
        == code
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("中共党员", "cpc_member"),
        ("中共预备党员", "cpc_probationary"),
        ("共青团员", "cyl_member"),
        ("民革", "other_party"),
        ("中国民主同盟", "other_party"),
        ("民建会员", "other_party"),
        ("民进", "other_party"),
        ("农工党", "other_party"),
        ("致公党", "other_party"),
        ("九三学社社员", "other_party"),
        ("台盟", "other_party"),
        ("无党派人士", "non_party"),
        ("群众", "masses"),
    ],
)
def test_political_status_with_all_eight_democratic_parties(text, code):
    table = {lookup_key(k): v for k, v in POLITICAL_ALIASES.items()}
    assert parse_choice(text, table) == code


def test_each_post_has_its_usual_chinese_names():
    table = {lookup_key(k): v for k, v in POST_ALIASES.items()}
    assert parse_choice("社区党委书记", table) == "secretary"
    assert parse_choice("副主任", table) == "deputy"
    assert parse_choice("两委委员", table) == "member"
    assert parse_choice("社区干事", table) == "staff"
    assert parse_choice("专职网格员", table) == "grid_worker"
    assert parse_choice("党务专干", table) == "party_affairs"


@pytest.mark.parametrize("typed", ["", " ", "男", "男性", "M", "m", "Male", "ＭＡＬＥ"])
def test_gender_agrees_with_the_id_number_or_comes_from_it(typed):
    """110105194912310011's 17th digit (1) is odd: a man. 性别 left blank is read
    from the ID number."""
    facts = parse_id_number("110105194912310011", today=TODAY)
    assert facts.gender == "M"
    assert parse_gender(typed, facts.gender) == "M"


@pytest.mark.parametrize("typed", ["女", "女性", "F", "female"])
def test_gender_contradicting_the_id_number_is_refused(typed):
    male = parse_id_number("110105194912310011", today=TODAY).gender
    with pytest.raises(GenderMismatch):
        parse_gender(typed, male)
    assert parse_gender(typed, "F") == "F"


def test_an_unknown_gender_is_refused():
    with pytest.raises(ValueError, match="未知") as caught:
        parse_gender("未知", "M")
    assert not isinstance(caught.value, GenderMismatch)
