"""The .ics calendar: parses, one event per visit, right dates, stable UIDs, escaping, folding."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import icalendar
import pytest

from lufa_cli.domain.planning import Week, build_week, plan_year
from lufa_cli.domain.workcal import Day, WorkCalendar
from lufa_cli.model import data as models
from lufa_cli.render.ics import (
    MAX_OCTETS,
    escape_text,
    event_uid,
    fold,
    unfold,
    year_calendar,
)
from lufa_cli.workspace.loader import load_workspace

REPO = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def lushan():
    ws, diags = load_workspace(REPO / "data")
    assert ws is not None, [d.format() for d in diags]
    weeks, _ = plan_year(ws.schedule, {u.id: u for u in ws.roster.units}, WorkCalendar(ws.calendar), 2021)
    return ws, weeks


def make(lushan, **kw) -> str:
    ws, weeks = lushan
    args = {"year": 2021, "issuer": ws.settings.issuer, "offices": ws.checklist.offices, "now": NOW, **kw}
    return year_calendar(weeks, **args)


def events(text: str) -> list:
    return icalendar.Calendar.from_ical(text).walk("VEVENT")


def visit(uid: str) -> str:
    """The visit an event belongs to: its UID without the run number a split week adds."""
    return re.sub(r"(-\d{2}-\d)-\d+@", r"\1@", uid)


#: 2021 weeks whose working days a holiday splits (Mid-Autumn 19–21 Sep, 调休 Sun 26 Sep …):
#: 55 visits, 59 events
SPLIT_2021 = 4


def test_parses_with_one_event_per_visit(lushan) -> None:
    text = make(lushan)
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["PRODID"]) == "-//lufa-cli//依法行政监督考核//ZH"
    assert str(cal["VERSION"]) == "2.0" and str(cal["METHOD"]) == "PUBLISH" and str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "2021年依法行政日常监督检查"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    tz = cal.walk("VTIMEZONE")
    assert len(tz) == 1 and str(tz[0]["TZID"]) == "Asia/Shanghai"
    evs = events(text)
    assert len(evs) == 55 + SPLIT_2021
    assert len({visit(str(e["UID"])) for e in evs}) == 55
    ws, _ = lushan
    assert sorted({str(e["LOCATION"]) for e in evs}) == sorted(u.name for u in ws.roster.units)


def test_dates_of_sifaju(lushan) -> None:
    (ev,) = [e for e in events(make(lushan)) if str(e["LOCATION"]) == "鲁山县司法局"]
    assert ev["DTSTART"].dt == dt.date(2021, 4, 12)
    assert ev["DTEND"].dt == dt.date(2021, 4, 17)  # exclusive: Monday 12 to Friday 16 April
    assert str(ev["SUMMARY"]) == "依法行政监督检查：鲁山县司法局"
    assert str(ev["UID"]) == "lufa-2021-sifaju-04-2@lufa-cli"
    assert ev["DTSTAMP"].dt == NOW
    assert int(ev["SEQUENCE"]) == 0
    desc = str(ev["DESCRIPTION"])
    assert desc.startswith("2021年4月第二周（4月12日至4月18日）\n")
    assert "4月12日（星期一）、4月13日（星期二）、4月14日（星期三）、4月15日（星期四）、4月16日（星期五）" in desc
    assert "法治调研督察室 0375-7653020；政策法规室 0375-7653029；行政执法协调监督室 0375-7653158" in desc
    assert "鲁山县法治政府建设领导小组办公室" in desc
    assert ev["CATEGORIES"].cats == ["依法行政日常监督", "县直单位"]


def test_holiday_week_starts_on_first_working_day(lushan) -> None:
    """Qingming week 2021 (5–11 April): Monday is a holiday, the visit runs Tuesday–Friday."""
    (ev,) = [e for e in events(make(lushan)) if str(e["LOCATION"]) == "鲁山县下汤镇人民政府"]
    assert (ev["DTSTART"].dt, ev["DTEND"].dt) == (dt.date(2021, 4, 6), dt.date(2021, 4, 10))
    assert "本周节假日：清明节" in str(ev["DESCRIPTION"])


def test_two_units_two_events(lushan) -> None:
    evs = [e for e in events(make(lushan)) if e["DTSTART"].dt == dt.date(2021, 4, 12)]
    assert {str(e["LOCATION"]) for e in evs} == {"鲁山县司法局", "鲁山县发展和改革委员会"}


def test_uids_unique_and_stable(lushan) -> None:
    a = make(lushan)
    b = make(lushan, now=dt.datetime(2027, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    uids_a = [str(e["UID"]) for e in events(a)]
    uids_b = [str(e["UID"]) for e in events(b)]
    assert len(set(uids_a)) == len(uids_a) == 55 + SPLIT_2021
    assert uids_a == uids_b
    assert a != b and a.replace("20260301T083000Z", "20270102T030405Z") == b  # only DTSTAMP differs


def test_now_is_converted_to_utc(lushan) -> None:
    beijing = dt.timezone(dt.timedelta(hours=8))
    text = make(lushan, now=dt.datetime(2026, 3, 1, 16, 30, tzinfo=beijing))
    assert "DTSTAMP:20260301T083000Z\r\n" in text


def test_folding_and_crlf(lushan) -> None:
    text = make(lushan)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= MAX_OCTETS for line in lines)
    assert any(line.startswith(" ") for line in lines)  # long Chinese descriptions were folded
    logical = unfold(text).split("\r\n")
    assert "LOCATION:鲁山县司法局" in logical
    assert any(line.startswith("DESCRIPTION:2021年4月第二周（4月12日至4月18日）\\n") for line in logical)
    text.encode("utf-8").decode("utf-8")  # no character was split


@pytest.mark.parametrize("n", [1, 2, 3, 10, 74, 75, 76, 200])
def test_fold_never_splits_characters(n) -> None:
    for filler in ("", "a", "ab"):  # shift the character boundaries against the 75-octet limit
        line = "DESCRIPTION:" + filler + "中文字符𠀀é" * n
        folded = fold(line)
        parts = folded.split("\r\n")
        assert all(len(p.encode("utf-8")) <= MAX_OCTETS for p in parts)
        assert all(p.startswith(" ") for p in parts[1:])
        assert unfold(folded) == line
        assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_escaping_round_trips(lushan) -> None:
    assert escape_text("A,B;C\\D\nE") == "A\\,B\\;C\\\\D\\nE"
    unit = models.Unit(id="odd", name="A,B;C\\D", short="odd", kind="county")
    start = dt.date(2021, 4, 12)
    days = tuple(Day(start + dt.timedelta(days=i), i < 5) for i in range(7))
    week = Week(2021, 4, 2, start, start + dt.timedelta(days=6), days, (unit,), "official")
    office = models.Office(id="x", name="科室,一;二", phone="0375-1")
    text = year_calendar([week], year=2021, issuer="发文\\机关", offices=[office], office=office, now=NOW)
    assert "LOCATION:A\\,B\\;C\\\\D\r\n" in text
    (ev,) = events(text)
    assert str(ev["LOCATION"]) == "A,B;C\\D"
    assert str(ev["SUMMARY"]) == "依法行政监督检查：A,B;C\\D"
    assert "科室,一;二 0375-1" in str(ev["DESCRIPTION"]) and "发文\\机关" in str(ev["DESCRIPTION"])
    # X- properties are TEXT by default (RFC 5545 §3.8.8.2), so they are escaped too;
    # icalendar leaves unknown properties raw, hence the check on the text itself
    assert "X-WR-CALNAME:2021年依法行政日常监督检查（科室\\,一\\;二）\r\n" in unfold(text)


def test_office_copy_changes_the_name_only(lushan) -> None:
    ws, _ = lushan
    office = ws.checklist.office("fagui")
    text = make(lushan, office=office)
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["X-WR-CALNAME"]) == "2021年依法行政日常监督检查（政策法规室）"
    assert "政策法规室" in str(cal["X-WR-CALDESC"])
    assert len(events(text)) == 55 + SPLIT_2021  # every office takes part in every visit
    assert [str(e["UID"]) for e in events(text)] == [str(e["UID"]) for e in events(make(lushan))]


def test_week_without_working_day_is_skipped(lushan) -> None:
    ws, _ = lushan
    units = {u.id: u for u in ws.roster.units}
    cal = WorkCalendar(ws.calendar)
    national_day = build_week(ws.schedule, units, cal, 2021, 10, 1)  # 4–10 Oct: only Fri 8 and Sat 9 work
    assert national_day is not None
    empty = Week(2021, 10, 1, national_day.start, national_day.end,
                 tuple(Day(d.date, False, "国庆节") for d in national_day.days), (units["sifaju"],), "official")
    normal = build_week(ws.schedule, units, cal, 2021, 4, 2)
    text = year_calendar([empty, normal], year=2021, issuer="x", offices=[], now=NOW)
    assert [str(e["UID"]) for e in events(text)] == ["lufa-2021-sifaju-04-2@lufa-cli", "lufa-2021-fagaiwei-04-2@lufa-cli"]


def test_event_uid() -> None:
    assert event_uid(2021, "sifaju", 4, 2) == "lufa-2021-sifaju-04-2@lufa-cli"
    assert event_uid(2026, "xinji-xiang", 12, 1) == "lufa-2026-xinji-xiang-12-1@lufa-cli"


def test_empty_calendar_is_valid() -> None:
    text = year_calendar([], year=2021, issuer="x", offices=[], now=NOW)
    assert events(text) == []
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def test_events_cover_only_working_days(lushan) -> None:
    """No event covers a day off: a week split by a holiday is one event per run of working days."""
    ws, _weeks = lushan
    cal = WorkCalendar(ws.calendar)
    evs = events(make(lushan))
    for e in evs:
        start, end = e["DTSTART"].dt, e["DTEND"].dt
        days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
        assert days and all(cal.is_workday(d) for d in days), (str(e["UID"]), days)
    split = sorted(str(e["UID"]) for e in evs if "caizhengju" in str(e["UID"]))
    assert split == ["lufa-2021-caizhengju-09-3-2@lufa-cli", "lufa-2021-caizhengju-09-3@lufa-cli"]
    runs = {str(e["UID"]): (e["DTSTART"].dt, e["DTEND"].dt) for e in evs if "caizhengju" in str(e["UID"])}
    assert runs["lufa-2021-caizhengju-09-3@lufa-cli"] == (dt.date(2021, 9, 22), dt.date(2021, 9, 25))  # Wed–Fri
    assert runs["lufa-2021-caizhengju-09-3-2@lufa-cli"] == (dt.date(2021, 9, 26), dt.date(2021, 9, 27))  # 调休 Sunday


@pytest.mark.parametrize("shift", range(0, 80))
def test_fold_never_splits_an_escape_pair(shift) -> None:
    """Every position of an escape against the 75-octet limit: no physical line ends in a lone
    backslash, and icalendar reads back exactly the text."""
    text = "a" * shift + "\n".join(["中,文;\\x"] * 12) + ",\n末尾"
    unit = models.Unit(id="odd", name="单位", short="odd", kind="county")
    start = dt.date(2021, 4, 12)
    days = tuple(Day(start + dt.timedelta(days=i), i < 5) for i in range(7))
    week = Week(2021, 4, 2, start, start + dt.timedelta(days=6), days, (unit,), "official")
    ics = year_calendar([week], year=2021, issuer=text, offices=[], now=NOW)
    for line in ics.split("\r\n"):
        trailing = len(line) - len(line.rstrip("\\"))
        assert trailing % 2 == 0, line
        assert len(line.encode("utf-8")) <= MAX_OCTETS
    (ev,) = events(ics)
    assert str(ev["DESCRIPTION"]).endswith("组织单位：" + text)
