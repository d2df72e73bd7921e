from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lufa_cli.domain.planning import (
    parse_week,
    plan_week,
    plan_year,
    slot_of,
    week_bounds,
)
from lufa_cli.domain.workcal import WorkCalendar
from lufa_cli.workspace.loader import load_workspace

REPO = Path(__file__).resolve().parent.parent
D = dt.date


@pytest.fixture(scope="module")
def lushan():
    ws, _ = load_workspace(REPO / "data")
    return ws, {u.id: u for u in ws.roster.units}, WorkCalendar(ws.calendar)


@pytest.mark.parametrize(
    ("day", "rule", "slot"),
    [
        (D(2021, 4, 12), "monday", (2021, 4, 2)),
        (D(2021, 4, 18), "monday", (2021, 4, 2)),
        (D(2021, 5, 3), "monday", (2021, 5, 1)),  # the Labour Day week Annex 1 skips
        (D(2021, 10, 4), "monday", (2021, 10, 1)),  # the National Day week Annex 1 skips
        (D(2021, 3, 31), "monday", (2021, 3, 5)),  # Monday 29 March: a fifth week
        (D(2021, 4, 1), "thursday", (2021, 4, 1)),  # week 29 Mar–4 Apr: Thursday is 1 April
        (D(2021, 4, 1), "monday", (2021, 3, 5)),
        (D(2026, 12, 31), "monday", (2026, 12, 4)),
        (D(2027, 1, 1), "thursday", (2026, 12, 5)),
    ],
)
def test_slot_of(day, rule, slot) -> None:
    assert slot_of(day, rule) == slot


def test_week_bounds_roundtrip() -> None:
    for rule in ("monday", "thursday"):
        d = D(2020, 12, 28)
        while d < D(2028, 1, 1):
            y, m, n = slot_of(d, rule)
            start, end = week_bounds(y, m, n, rule)
            assert start <= d <= end and start.weekday() == 0
            d += dt.timedelta(days=1)


def test_no_fifth_week_in_february_2021() -> None:
    assert week_bounds(2021, 2, 5, "monday") is None
    assert week_bounds(2021, 5, 1, "monday") == (D(2021, 5, 3), D(2021, 5, 9))


def test_plan_week_2021_04_12(lushan) -> None:
    ws, units, cal = lushan
    p = plan_week(ws.schedule, units, cal, D(2021, 4, 12))
    assert [u.name for u in p.week.units] == ["鲁山县司法局", "鲁山县发展和改革委员会"]
    assert p.week.workdays == [D(2021, 4, 12) + dt.timedelta(days=i) for i in range(5)]
    assert p.next_week is None and p.warnings == []


def test_plan_week_national_day_2026(lushan) -> None:
    ws, units, cal = lushan
    p = plan_week(ws.schedule, units, cal, D(2026, 10, 5))
    assert p.week.units == ()
    assert (p.week.month, p.week.week) == (10, 1)
    assert [d.holiday for d in p.week.days[:3]] == ["国庆节"] * 3
    assert p.week.days[5].status == "调休上班"  # Saturday 10 October 2026
    assert p.next_week is not None and (p.next_week.month, p.next_week.week) == (10, 2)
    assert p.next_week.start == D(2026, 10, 12)


def test_next_week_crosses_the_year(lushan) -> None:
    ws, units, cal = lushan
    p = plan_week(ws.schedule, units, cal, D(2026, 12, 28))
    assert p.week.units == ()
    assert (p.next_week.year, p.next_week.month, p.next_week.week) == (2027, 3, 1)
    assert any("2027" in w for w in p.warnings)  # the 2027 calendar is a guess


def test_plan_year_2021_has_every_slot_with_dates(lushan) -> None:
    ws, units, cal = lushan
    weeks, warnings = plan_year(ws.schedule, units, cal, 2021)
    assert len(weeks) == 37 and warnings == []
    assert (weeks[0].start, weeks[0].end) == (D(2021, 3, 1), D(2021, 3, 7))
    assert sum(len(w.units) for w in weeks) == 55


def test_unknown_year_is_flagged(lushan) -> None:
    ws, units, cal = lushan
    _, warnings = plan_year(ws.schedule, units, cal, 2030)
    assert "2030 年的法定节假日尚未收录" in warnings[0]


@pytest.mark.parametrize(("text", "parsed"), [("2026-10-2", (2026, 10, 2)), ("2026-13-1", None), ("2026-1", None), ("x-y-z", None), ("2026-01-06", None)])
def test_parse_week(text, parsed) -> None:
    assert parse_week(text) == parsed


def test_official_days_are_chinese_calendars_own_answers() -> None:
    """WorkCalendar reads chinese_calendar's tables directly (its get_holiday_detail re-scans them
    on every call): the answer must stay that function's, for every day it covers."""
    import chinese_calendar

    from lufa_cli.domain.workcal import HOLIDAY_NAMES

    cal = WorkCalendar()
    d, checked = dt.date(min(chinese_calendar.holidays).year, 1, 1), 0
    while cal.source(d.year) == "official":
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
        day = cal.day(d)
        assert (day.workday, day.holiday) == (not on_holiday, HOLIDAY_NAMES.get(name, name) if name else None), d
        d += dt.timedelta(days=1)
        checked += 1
    assert checked > 365 * 20
