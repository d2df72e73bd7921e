from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lufa_cli.domain.deadlines import calendar_deadline, deadline, workday_deadline
from lufa_cli.domain.workcal import WorkCalendar
from lufa_cli.model.data import CalendarOverrides

D = dt.date
CAL = WorkCalendar(CalendarOverrides())


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        (D(2026, 9, 3), 30, D(2026, 10, 8), "3 Oct falls in the National Day holiday (1–7 Oct) → first working day after"),
        (D(2026, 11, 28), 30, D(2026, 12, 28), "28 Dec 2026 is a Monday"),
        (D(2026, 11, 27), 30, D(2026, 12, 28), "27 Dec is a Sunday → Monday"),
        (D(2026, 1, 15), 30, D(2026, 2, 14), "14 Feb 2026 is a 调休 working Saturday: it stays"),
        (D(2026, 9, 10), 30, D(2026, 10, 10), "10 Oct 2026 is a 调休 working Saturday: it stays"),
        (D(2021, 4, 12), 15, D(2021, 4, 27), "a plain weekday"),
    ],
)
def test_calendar_deadline(start, days, expected, why) -> None:
    assert calendar_deadline(start, days, CAL) == expected, why


def test_spring_festival_2026() -> None:
    # 2026 Spring Festival holiday: 15–23 February; 14 Feb (Sat) and 28 Feb (Sat) are working days
    assert CAL.is_workday(D(2026, 2, 14)) and CAL.is_workday(D(2026, 2, 28))
    assert calendar_deadline(D(2026, 1, 16), 30, CAL) == D(2026, 2, 24)


def test_workday_deadline_skips_holidays() -> None:
    # 5 working days from Wed 30 Sept 2026: 1–7 Oct are holidays, 8, 9, 10 (调休 Sat), 12, 13
    assert workday_deadline(D(2026, 9, 30), 5, CAL) == D(2026, 10, 13)
    assert deadline(D(2026, 9, 30), 5, CAL) == D(2026, 10, 13)  # 5 days: working days by default
    assert deadline(D(2026, 9, 30), 5, CAL, working_days=False) == D(2026, 10, 8)


def test_invalid_period() -> None:
    with pytest.raises(ValueError):
        calendar_deadline(D(2026, 1, 1), 0, CAL)


@settings(max_examples=300, deadline=None)
@given(start=st.dates(min_value=D(2005, 1, 1), max_value=D(2026, 10, 31)), days=st.integers(min_value=1, max_value=120))
def test_deadline_properties(start, days) -> None:
    end = calendar_deadline(start, days, CAL)
    assert end >= start + dt.timedelta(days=days)
    assert CAL.is_workday(end)
    # every day between the nominal last day and the deadline is a rest day
    d = start + dt.timedelta(days=days)
    while d < end:
        assert not CAL.is_workday(d)
        d += dt.timedelta(days=1)
    w = workday_deadline(start, min(days, 20), CAL)
    assert CAL.is_workday(w) and w > start
