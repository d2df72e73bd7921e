"""Deadlines on the legal calendar (pure functions; the calendar is passed in).

Counting follows the 期间 rule of the Civil Procedure Law, applied by analogy
(DOMAIN.md): the day the period starts is not counted; when the last day is a
statutory rest day (a weekend or an official holiday — but not a 调休 working
weekend), the period ends on the next working day. Short periods that the
Administrative Penalty Law counts in working days (its Art. 85: 2, 3, 5, 7
days) are counted in working days instead.
"""

from __future__ import annotations

import datetime as dt

from lufa_cli.domain.workcal import WorkCalendar

#: Periods the 行政处罚法 counts in working days (Art. 85).
WORKING_DAY_PERIODS = frozenset({2, 3, 5, 7})


def calendar_deadline(start: dt.date, days: int, cal: WorkCalendar) -> dt.date:
    """Last day of a period of `days` calendar days starting on `start` (not counted)."""
    if days < 1:
        raise ValueError("期限天数必须至少为 1 天")
    return cal.next_workday(start + dt.timedelta(days=days))


def workday_deadline(start: dt.date, days: int, cal: WorkCalendar) -> dt.date:
    """Last day of a period of `days` working days starting on `start` (not counted)."""
    if days < 1:
        raise ValueError("期限天数必须至少为 1 天")
    d = start
    left = days
    while left:
        d += dt.timedelta(days=1)
        if cal.is_workday(d):
            left -= 1
    return d


def deadline(start: dt.date, days: int, cal: WorkCalendar, *, working_days: bool | None = None) -> dt.date:
    """The deadline of a period; short statutory periods count working days unless told otherwise."""
    if working_days is None:
        working_days = days in WORKING_DAY_PERIODS
    return workday_deadline(start, days, cal) if working_days else calendar_deadline(start, days, cal)
