"""The working-day calendar: official holidays and 调休 from `chinese-calendar`,
local overrides from ``calendar.yaml`` for years the package does not cover,
and a plain Monday–Friday guess (always flagged) beyond that."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from lufa_cli.model.data import CalendarOverrides

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
WEEKDAYS = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
SOURCE_LABELS = {
    "official": "国务院放假安排",
    "override": "本地节假日文件 calendar.yaml",
    "guess": "推测：周一至周五上班，仅含元旦、劳动节、国庆节的固定日期",
}


# In a guessed year at least the holidays fixed by date are known (国务院《全国年节及纪念日放假办法》).
_FIXED_HOLIDAYS = {(1, 1): "元旦", (5, 1): "劳动节", (5, 2): "劳动节", (10, 1): "国庆节", (10, 2): "国庆节", (10, 3): "国庆节"}


@dataclass(frozen=True)
class Day:
    date: dt.date
    workday: bool
    holiday: str | None = None  # Chinese name of the statutory holiday, if any

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()]

    @property
    def status(self) -> str:
        if self.holiday and not self.workday:
            return f"法定节假日（{self.holiday}）"
        if self.workday and self.date.weekday() >= 5:
            return "调休上班"
        return "工作日" if self.workday else "休息日"


@cache
def _official_covers(year: int) -> bool:
    import chinese_calendar

    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Answers "is this a working day?" for any date, and says where the answer comes from."""

    def __init__(self, overrides: CalendarOverrides | None = None) -> None:
        self._years: dict[int, tuple[dict[dt.date, str], set[dt.date]]] = {}
        self._days: dict[dt.date, Day] = {}
        for y in (overrides.years if overrides else []):
            holidays: dict[dt.date, str] = {}
            for h in y.holidays:
                d = h.start
                while d <= h.end:
                    holidays[d] = h.name
                    d += dt.timedelta(days=1)
            self._years[y.year] = (holidays, set(y.workdays))

    def source(self, year: int) -> str:
        if year in self._years:
            return "override"
        return "official" if _official_covers(year) else "guess"

    def day(self, d: dt.date) -> Day:
        cached = self._days.get(d)
        if cached is None:
            cached = self._days[d] = self._day(d)
        return cached

    def _day(self, d: dt.date) -> Day:
        src = self.source(d.year)
        if src == "override":
            holidays, workdays = self._years[d.year]
            if d in workdays:
                return Day(d, True)
            if d in holidays:
                return Day(d, False, holidays[d])
            return Day(d, d.weekday() < 5)
        if src == "official":
            import chinese_calendar

            # chinese_calendar.get_holiday_detail(d), less its range check (min and max over
            # every holiday it knows, on each call: ~40 µs a day, 10 ms for a year's plan);
            # the year is known to be covered here
            if d in chinese_calendar.workdays:
                on_holiday, name = False, chinese_calendar.workdays[d]
            elif d in chinese_calendar.holidays:
                on_holiday, name = True, chinese_calendar.holidays[d]
            else:
                on_holiday, name = d.weekday() > 4, None
            return Day(d, not on_holiday, HOLIDAY_NAMES.get(name, name) if name else None)
        fixed = _FIXED_HOLIDAYS.get((d.month, d.day))
        if fixed:  # the dates that never move; Spring Festival, Qingming etc. need the official list
            return Day(d, False, fixed)
        return Day(d, d.weekday() < 5)

    def is_workday(self, d: dt.date) -> bool:
        return self.day(d).workday

    def next_workday(self, d: dt.date) -> dt.date:
        """The first working day on or after `d`."""
        for _ in range(60):
            if self.is_workday(d):
                return d
            d += dt.timedelta(days=1)
        raise ValueError("60 天内没有工作日，节假日数据有误")  # pragma: no cover

    def guessed_years(self, start: dt.date, end: dt.date) -> list[int]:
        return [y for y in range(start.year, end.year + 1) if self.source(y) == "guess"]


def guess_warning(years: list[int]) -> str:
    ys = "、".join(str(y) for y in years)
    return (
        f"{ys} 年的法定节假日尚未收录（chinese-calendar 只到已公布的年份），"
        "工作日按周一至周五推测（只含元旦、五一、国庆的固定假日）；国务院公布放假安排后，请在 data/calendar.yaml 中补录"
    )


def guessed_warnings(cal: WorkCalendar, dates: Iterable[dt.date]) -> list[str]:
    """The `plan week` warning for every year among `dates` the official calendar does not cover."""
    years = sorted(y for y in {d.year for d in dates} if cal.source(y) == "guess")  # each year asked once
    return [guess_warning(years)] if years else []


def cn_date(d: dt.date) -> str:
    """Official date style: Arabic numerals, no zero padding (2026年3月5日)."""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month_day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"
