"""Pure certificate rules: serials, masking, wording, service milestones (no database)."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from certificates import rules
from certificates.rules import (
    ALPHABET,
    InvalidSerial,
    check_characters,
    fill,
    mask_name,
    milestones_reached,
    new_serial,
    parse_serial,
    unknown_placeholders,
)


def _samples(count=40):
    rng = random.Random(7)
    issuers = ["SQ", "CD9", "A1B2", "ZZ"]
    return [
        new_serial(issuers[i % 4], 2020 + i % 9, randbelow=rng.randrange)
        for i in range(count)
    ]


def test_new_serial_round_trips_through_its_printed_form():
    """A fresh serial parses back to itself, printed or compact, any case."""
    for serial in _samples():
        assert parse_serial(str(serial)) == serial
        assert parse_serial(serial.compact.lower()) == serial
        assert parse_serial(" ".join(serial.compact)) == serial


def test_serial_format_is_readable():
    """Issuer, year, two groups of five random characters, two check characters."""
    serial = new_serial("SQ", 2026, randbelow=lambda n: 3)
    assert str(serial) == "SQ-2026-33333-33333-" + serial.check
    assert len(serial.check) == 2


def test_every_single_substitution_is_caught():
    """Changing any one character to any other of the alphabet fails the check."""
    for serial in _samples():
        text = serial.compact
        for i, original in enumerate(text):
            for c in ALPHABET:
                if c == original:
                    continue
                typo = text[:i] + c + text[i + 1 :]
                with pytest.raises(InvalidSerial):
                    parse_serial(typo)


def test_every_adjacent_transposition_is_caught():
    """Swapping any two neighbouring, different characters fails the check."""
    checked = 0
    for serial in _samples(200):
        text = serial.compact
        for i in range(len(text) - 1):
            if text[i] == text[i + 1]:
                continue
            swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
            with pytest.raises(InvalidSerial):
                parse_serial(swapped)
            checked += 1
    assert checked > 3000


def test_every_transposition_of_every_character_pair_at_every_position():
    """Exhaustive over the alphabet: every pair (a, b), a != b, at every position of
    the checked data (issuer, year, random part) and next to the check characters."""
    template = new_serial("SQ", 2026, randbelow=lambda n: 0).compact
    data_length = len(template) - rules.CHECK_LENGTH
    caught = 0
    for i in range(len(template) - 1):
        for a in ALPHABET:
            for b in ALPHABET:
                if a == b:
                    continue
                if i + 1 < data_length:
                    data = template[:i] + a + b + template[i + 2 : data_length]
                    good = data + check_characters(data)
                else:
                    good = template[:i] + a + b + template[i + 2 :]
                    if check_characters(good[:data_length]) != good[data_length:]:
                        continue  # not a valid serial to begin with
                swapped = good[:i] + good[i + 1] + good[i] + good[i + 2 :]
                ok_before = check_characters(good[:data_length]) == good[data_length:]
                ok_after = (
                    check_characters(swapped[:data_length]) == swapped[data_length:]
                )
                assert ok_before and not ok_after, (good, swapped)
                caught += 1
    assert caught >= (data_length - 1) * 32 * 31


def test_look_alikes_are_read_as_crockford_does():
    """O is zero, I and L are one: a person who types them still gets the serial."""
    serial = new_serial("SQ", 2026, randbelow=lambda n: 0)
    typed = str(serial).replace("0", "o")
    assert parse_serial(typed) == serial
    serial1 = new_serial("SQ", 2026, randbelow=lambda n: 1)
    assert parse_serial(str(serial1).replace("1", "l")) == serial1


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "SQ",
        "SQ-2026",
        "X" * 40,
        "SQ-20X6-33333-33333-00",
        "SQ-2026-3333U-33333-00",
        "<script>",
        "../../etc/passwd",
        "SQ-2026-33333-33333-3",
    ],
)
def test_malformed_serials_are_rejected(raw):
    """Wrong length, characters outside the alphabet, a non-digit year: rejected."""
    with pytest.raises(InvalidSerial):
        parse_serial(raw)


def test_bad_issuer_or_year_is_refused():
    with pytest.raises(InvalidSerial):
        new_serial("S", 2026)
    with pytest.raises(InvalidSerial):
        new_serial("SQIO", 2026)
    with pytest.raises(InvalidSerial):
        new_serial("SQ", 26)


def test_random_part_comes_from_secrets_and_differs():
    """Fifty random bits: a thousand serials never collide."""
    serials = {new_serial("SQ", 2026).random for _ in range(1000)}
    assert len(serials) == 1000


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三明", "张*明"),
        ("王五", "王*"),
        ("欧阳娜娜华", "欧***华"),
        ("李", "*"),
        ("", ""),
        ("Anna Lee", "A*** L**"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_fill_escapes_values_and_keeps_unknown_placeholders():
    text = "{name}同志参加{title}，共{days}天{hours}学时。{unknown}"
    out = fill(
        text, {"name": "<b>张三</b>", "title": "培训班", "days": "3", "hours": "18"}
    )
    assert out == "&lt;b&gt;张三&lt;/b&gt;同志参加培训班，共3天18学时。{unknown}"


def test_unknown_placeholders_are_listed():
    assert unknown_placeholders("{name} {nmae} {year} {foo}") == ["foo", "nmae"]
    assert unknown_placeholders("{name}{serial}") == []


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("3.00"), "3"),
        (Decimal("1.50"), "1.5"),
        (Decimal("0"), "0"),
        (Decimal("18.25"), "18.25"),
        ("7", "7"),
    ],
)
def test_format_amount(value, text):
    assert rules.format_amount(value) == text


def test_service_milestones():
    """20 and 30 years of continuous service, counted from the hire date."""
    hire = dt.date(1996, 3, 1)
    assert milestones_reached(hire, None, dt.date(2016, 2, 29), (20, 30)) == []
    assert milestones_reached(hire, None, dt.date(2016, 3, 1), (20, 30)) == [20]
    assert milestones_reached(hire, None, dt.date(2026, 3, 1), (20, 30)) == [20, 30]
    # Left after 25 years: the 20-year honour stays, the 30-year medal never comes.
    left = dt.date(2021, 6, 30)
    assert milestones_reached(hire, left, dt.date(2030, 1, 1), (20, 30)) == [20]
    # Left the day before the milestone: not reached.
    assert (
        milestones_reached(hire, dt.date(2016, 2, 29), dt.date(2030, 1, 1), (20,)) == []
    )


def test_leap_day_hire_completes_on_28_february():
    assert rules.service_milestone_date(dt.date(2004, 2, 29), 20) == dt.date(
        2024, 2, 29
    )
    assert rules.service_milestone_date(dt.date(2004, 2, 29), 21) == dt.date(
        2025, 2, 28
    )
