"""Weekly and yearly plans: which units are visited in which real week.

Pure functions: the date is always an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from lufa_cli.domain.workcal import Day, WorkCalendar, guess_warning
from lufa_cli.model.data import Schedule, Unit

#: a schedule, or a function giving the schedule of a year (Workspace.schedule_for)
Schedules = Schedule | Callable[[int], Schedule]


def schedule_of(schedules: Schedules, year: int) -> Schedule:
    return schedules if isinstance(schedules, Schedule) else schedules(year)
ORDINALS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
MONTH_LABELS = {m: f"{ORDINALS[m]}月" for m in range(1, 13)}
WEEK_LABELS = {n: f"第{ORDINALS[n]}周" for n in range(1, 6)}


def _anchor(monday: dt.date, rule: str) -> dt.date:
    """The day of a Monday–Sunday week that decides which month it belongs to."""
    return monday if rule == "monday" else monday + dt.timedelta(days=3)


def monday_of(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def slot_of(d: dt.date, rule: str) -> tuple[int, int, int]:
    """(year, month, week-of-month) of the week holding `d`."""
    a = _anchor(monday_of(d), rule)
    return a.year, a.month, (a.day - 1) // 7 + 1


@lru_cache(maxsize=4096)  # asked for every 日常监督 of a year: a few hundred distinct weeks
def week_bounds(year: int, month: int, week: int, rule: str) -> tuple[dt.date, dt.date] | None:
    """Monday and Sunday of week `week` of `month`, or None if the month has no such week."""
    first = dt.date(year, month, 1)
    # first week whose anchor day falls in the month
    offset = 0 if rule == "monday" else 3
    anchor = first + dt.timedelta(days=(offset - first.weekday()) % 7)
    anchor += dt.timedelta(weeks=week - 1)
    if anchor.month != month:
        return None
    monday = anchor - dt.timedelta(days=offset)
    return monday, monday + dt.timedelta(days=6)


def label(year: int, month: int, week: int) -> str:
    return f"{year}年{month}月{WEEK_LABELS[week]}"


@dataclass(frozen=True)
class Week:
    year: int
    month: int
    week: int
    start: dt.date
    end: dt.date
    days: tuple[Day, ...]
    units: tuple[Unit, ...]
    calendar_source: str

    @property
    def label(self) -> str:
        return label(self.year, self.month, self.week)

    @property
    def workdays(self) -> list[dt.date]:
        return [d.date for d in self.days if d.workday]

    @property
    def holidays(self) -> list[str]:
        names: list[str] = []
        for d in self.days:  # a 调休 working day carries the holiday's name but is not off
            if d.holiday and not d.workday and d.holiday not in names:
                names.append(d.holiday)
        return names

    @property
    def mostly_holiday(self) -> bool:
        """Fewer than three working days Monday–Friday: the weeks Annex 1 leaves empty
        (a 调休 working Saturday does not make a holiday week usable; see generate.py)."""
        return sum(1 for d in self.days[:5] if d.workday) < 3


@dataclass(frozen=True)
class WeekPlan:
    week: Week
    next_week: Week | None
    warnings: list[str] = field(default_factory=list)


def _units_for(schedule: Schedule, units: dict[str, Unit], month: int, week: int) -> tuple[Unit, ...]:
    for slot in schedule.slots:
        if slot.month == month and slot.week == week:
            return tuple(units[u] for u in slot.units if u in units)
    return ()


def build_week(
    schedules: Schedules, units: dict[str, Unit], cal: WorkCalendar, year: int, month: int, n: int
) -> Week | None:
    schedule = schedule_of(schedules, year)
    bounds = week_bounds(year, month, n, schedule.week_rule)
    if bounds is None:
        return None
    start, end = bounds
    days = tuple(cal.day(start + dt.timedelta(days=i)) for i in range(7))
    source = cal.source(start.year) if start.year == end.year else max(cal.source(start.year), cal.source(end.year))
    return Week(year, month, n, start, end, days, _units_for(schedule, units, month, n), source)


def next_scheduled(
    schedules: Schedules, units: dict[str, Unit], cal: WorkCalendar, after: dt.date
) -> Week | None:
    """The first week after the week of `after` that has units scheduled (in its year's plan)."""
    monday = monday_of(after)
    for i in range(1, 110):  # about two years ahead
        day = monday + dt.timedelta(weeks=i)
        schedule = schedule_of(schedules, day.year)
        y, m, n = slot_of(day, schedule.week_rule)
        schedule = schedule_of(schedules, y)
        if _units_for(schedule, units, m, n):
            return build_week(schedules, units, cal, y, m, n)
    return None


def plan_week(schedules: Schedules, units: dict[str, Unit], cal: WorkCalendar, on: dt.date) -> WeekPlan:
    """The plan of the week holding `on`."""
    y, m, n = slot_of(on, schedule_of(schedules, on.year).week_rule)
    week = build_week(schedules, units, cal, y, m, n)
    assert week is not None
    nxt = None if week.units else next_scheduled(schedules, units, cal, on)
    warnings = []
    guessed = cal.guessed_years(week.start, (nxt or week).end)
    if guessed:
        warnings.append(guess_warning(guessed))
    return WeekPlan(week, nxt, warnings)


def plan_year(schedules: Schedules, units: dict[str, Unit], cal: WorkCalendar, year: int) -> tuple[list[Week], list[str]]:
    """Every slot of the schedule with its real dates in `year`, in calendar order.

    A slot whose week does not exist in that year's month (a fifth week) is
    reported in the returned warnings instead of being dropped silently.
    """
    schedule = schedule_of(schedules, year)
    weeks: list[Week] = []
    warnings: list[str] = []
    for slot in sorted(schedule.slots, key=lambda s: (s.month, s.week)):
        w = build_week(schedule, units, cal, year, slot.month, slot.week)
        if w is None:
            warnings.append(f"{year}年{slot.month}月没有{WEEK_LABELS[slot.week]}，该格的单位无法安排")
            continue
        weeks.append(w)
        if w.mostly_holiday:
            warnings.append(f"{w.label}（{w.start}—{w.end}）周一至周五工作日不足 3 天：{'、'.join(w.holidays) or '节假日'}")
    guessed = cal.guessed_years(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if guessed:
        warnings.insert(0, guess_warning(guessed))
    return weeks, warnings


def parse_week(text: str) -> tuple[int, int, int] | None:
    """`YYYY-MM-N` → (year, month, week), or None when malformed."""
    parts = text.strip().split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    y, m, n = map(int, parts)
    if not (1 <= m <= 12 and 1 <= n <= 5):
        return None
    return y, m, n
