"""The shared vocabulary: event types, pair order and partial dates that respect their precision."""

from datetime import date

import pytest

from comity.vocab import (
    EventType,
    PartialDate,
    Precision,
    is_symmetric,
    order_pair,
    parse_as_of,
    parse_event_type,
)


def test_symmetric_types_keep_the_pair_in_alphabetical_order():
    assert order_pair("establish", "KOR", "CUB") == ("CUB", "KOR")
    assert order_pair("sever", "USA", "IRN") == ("IRN", "USA")


def test_directed_types_keep_actor_then_target():
    assert order_pair("recognize", "KOR", "CUB") == ("KOR", "CUB")
    assert order_pair(EventType.EXPEL_DIPLOMATS, "GBR", "RUS") == ("GBR", "RUS")
    assert not is_symmetric("embassy_open")
    assert is_symmetric("downgrade")


def test_unknown_event_type_names_the_known_ones():
    with pytest.raises(ValueError, match="establish"):
        parse_event_type("befriend")


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("1949", Precision.YEAR, date(1949, 1, 1), date(1949, 12, 31)),
        ("1960-02", Precision.MONTH, date(1960, 2, 1), date(1960, 2, 29)),
        ("2024-02-14", Precision.DAY, date(2024, 2, 14), date(2024, 2, 14)),
    ],
)
def test_partial_dates_know_their_precision_and_bounds(text, precision, earliest, latest):
    d = PartialDate.parse(text)
    assert d.precision is precision
    assert (d.earliest(), d.latest()) == (earliest, latest)
    assert str(d) == text


def test_impossible_and_malformed_dates_are_refused():
    for bad in ("1992-02-30", "2024-13", "14 February 2024", "", "0000"):
        with pytest.raises(ValueError):
            PartialDate.parse(bad)


def test_comparisons_respect_precision():
    year = PartialDate.parse("1960")
    day = PartialDate.parse("1960-08-29")
    # A year-only date is not certainly before a day inside it, though it may be.
    assert not year.certainly_before(day)
    assert year.possibly_before(day)
    assert year.overlaps(day)
    assert PartialDate.parse("1959").certainly_before(day)
    assert not year.on_or_before(date(1960, 6, 1))  # may or may not have happened yet
    assert year.on_or_before(date(1961, 1, 1))
    assert day.agrees_at(PartialDate.parse("1960-08"), Precision.MONTH)
    assert not year.agrees_at(day, Precision.DAY)
    assert sorted([day, year, PartialDate.parse("1960-08")], key=PartialDate.sort_key) == [
        year,
        PartialDate.parse("1960-08"),
        day,
    ]


def test_as_of_takes_the_last_day_of_a_coarse_date():
    assert parse_as_of("2024") == date(2024, 12, 31)
    assert parse_as_of("2024-02") == date(2024, 2, 29)
    assert parse_as_of("2024-02-15") == date(2024, 2, 15)
