"""An RFC 5545 (iCalendar) file of the year's inspection weeks.

Written by hand — the format is small and a runtime dependency is not worth
it (``icalendar`` is used only by the tests to prove the output parses).

* One all-day VEVENT per unit visit: a week with two units gives two events,
  each covering exactly the week's working days (DTSTART the first, DTEND the
  day after the last, as RFC 5545 wants for DATE values; 调休 working weekends
  count as working days, and the DESCRIPTION lists the exact days). When a
  holiday splits the working days (Mon, then Thu–Fri), the visit is one event
  per run of consecutive working days, so no event covers a day off. A week
  without a working day is left out.
* UIDs are derived from year, unit, month and week
  (``lufa-2021-sifaju-04-2@lufa-cli``), so importing a regenerated file
  updates the events instead of duplicating them. DTSTAMP is the `now` passed
  in (UTC), SEQUENCE 0.
* ``office`` makes the calendar that office's copy: its name goes into
  X-WR-CALNAME and X-WR-CALDESC, but every visit stays in it, because the
  working group of each visit draws staff from all offices (Annex 2) and
  every office checks its own categories at every unit. The UIDs do not
  depend on the office: the copies describe the same visits.
* Events are TRANSPARENT so a week-long all-day entry does not block the
  clerk's free/busy time.
* Text values are escaped (``\\``, ``;``, ``,``, newline) and lines folded at
  75 octets of UTF-8 without splitting a character or an escape pair (a line
  ending in ``\\`` with ``n`` on the next makes calendar apps drop the event);
  lines end in CRLF.
"""

from __future__ import annotations

import datetime as dt

from lufa_cli.domain.planning import Week
from lufa_cli.domain.workcal import WEEKDAYS, cn_month_day
from lufa_cli.model.data import Office

PRODID = "-//lufa-cli//依法行政监督考核//ZH"
UID_DOMAIN = "lufa-cli"
SUMMARY_PREFIX = "依法行政监督检查："
CATEGORY = "依法行政日常监督"
MAX_OCTETS = 75

VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "X-LIC-LOCATION:Asia/Shanghai",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "DTSTART:19700101T000000",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape_text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT escaping; other control characters are dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for c in value:
        if c == "\\":
            out.append("\\\\")
        elif c in ";,":
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t" or (ord(c) >= 0x20 and ord(c) != 0x7F):
            out.append(c)
    return "".join(out)


def _units(line: str) -> list[str]:
    """The pieces a fold may not split: one character, or an escape pair such as \\n or \\,
    (calendar apps drop an event whose line ends in "\\" and continues with "n")."""
    out, i = [], 0
    while i < len(line):
        step = 2 if line[i] == "\\" and i + 1 < len(line) else 1
        out.append(line[i:i + step])
        i += step
    return out


def fold(line: str, limit: int = MAX_OCTETS) -> str:
    """Fold one content line into chunks of at most `limit` UTF-8 octets (CRLF + space),
    never inside a UTF-8 character or an escape pair."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for c in _units(line):
        n = len(c.encode("utf-8"))
        if size + n > limit:
            chunks.append("".join(current))
            current, size = [], 1  # the continuation line's leading space counts
        current.append(c)
        size += n
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def unfold(text: str) -> str:
    """Undo :func:`fold` (RFC 5545 §3.1)."""
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def event_uid(year: int, unit_id: str, month: int, week: int, part: int = 1) -> str:
    """The UID of a visit (of its `part`-th run of working days when a holiday splits the week)."""
    suffix = "" if part == 1 else f"-{part}"
    return f"lufa-{year}-{unit_id}-{month:02d}-{week}{suffix}@{UID_DOMAIN}"


def working_runs(days: list[dt.date]) -> list[list[dt.date]]:
    """The working days of a week as runs of consecutive days (a mid-week holiday splits them)."""
    runs: list[list[dt.date]] = []
    for d in days:
        if runs and (d - runs[-1][-1]).days == 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


def _date(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def _stamp(now: dt.datetime) -> str:
    if now.tzinfo is not None:  # naive datetimes are taken to be UTC already
        now = now.astimezone(dt.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ")


def calendar_name(year: int, office: Office | None = None) -> str:
    name = f"{year}年依法行政日常监督检查"
    return f"{name}（{office.name}）" if office else name


def _days_text(days: list[dt.date]) -> str:
    return "、".join(f"{cn_month_day(d)}（{WEEKDAYS[d.weekday()]}）" for d in days)


def _description(week: Week, unit_name: str, issuer: str, offices: list[Office], office: Office | None) -> str:
    lines = [
        f"{week.label}（{cn_month_day(week.start)}至{cn_month_day(week.end)}）",
        f"受监督单位：{unit_name}",
        f"工作日：{_days_text(week.workdays)}，共{len(week.workdays)}天",
    ]
    if week.holidays:
        lines.append(f"本周节假日：{'、'.join(week.holidays)}")
    lines.append("工作小组科室：" + "；".join(f"{o.name} {o.phone}" for o in offices))
    if office is not None:
        lines.append(f"本日历为{office.name}（{office.phone}）所用")
    lines.append(f"组织单位：{issuer}")
    return "\n".join(lines)


def year_calendar(
    weeks: list[Week],
    *,
    year: int,
    issuer: str,
    offices: list[Office],
    office: Office | None = None,
    now: dt.datetime,
) -> str:
    """The whole .ics text (CRLF line endings) for the visits in `weeks`."""
    name = calendar_name(year, office)
    desc = f"{issuer}{year}年依法行政日常监督分组计划（每个受监督单位一项）"
    if office is not None:
        desc += f"；{office.name}的日历"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-CALDESC:{escape_text(desc)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
        *VTIMEZONE,
    ]
    stamp = _stamp(now)
    for week in weeks:
        for unit in week.units:
            for part, days in enumerate(working_runs(list(week.workdays)), start=1):
                lines += [
                    "BEGIN:VEVENT",
                    f"UID:{event_uid(week.year, unit.id, week.month, week.week, part)}",
                    f"DTSTAMP:{stamp}",
                    "SEQUENCE:0",
                    f"DTSTART;VALUE=DATE:{_date(days[0])}",
                    f"DTEND;VALUE=DATE:{_date(days[-1] + dt.timedelta(days=1))}",
                    f"SUMMARY:{escape_text(SUMMARY_PREFIX + unit.name)}",
                    f"LOCATION:{escape_text(unit.name)}",
                    f"DESCRIPTION:{escape_text(_description(week, unit.name, issuer, offices, office))}",
                    f"CATEGORIES:{escape_text(CATEGORY)},{escape_text(unit.kind_label)}",
                    "STATUS:CONFIRMED",
                    "TRANSP:TRANSPARENT",
                    "END:VEVENT",
                ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
