"""Propose next year's schedule (分组计划表) from last year's and the roster.

The rule, read off Annex 1 (鲁法政办〔2021〕4号 附件一):

* Plan weeks are weeks 1–4 of each month in ``previous.months`` (fifth weeks
  are never used). Weeks 1 and 4 are township weeks, one township alone;
  weeks 2 and 3 are county weeks, two county units together.
* A week is skipped as "mostly holiday" when fewer than
  ``MIN_WEEKDAY_WORKDAYS`` (3) of its Monday–Friday are working days. 调休
  working weekends do not count: 2021-05-03..09 has three working days in all
  (6, 7 and the 调休 Saturday 8 May) but only two on weekdays, and Annex 1
  leaves it empty; 2021-10-04..10 has one. Counting weekend working days, May
  week 1 would be kept, so this threshold differs on purpose from
  ``planning.Week.mostly_holiday`` (all seven days).
* The last plan week of the year (week 4 of the last month) is kept free for
  the year-end 总结式集中监督 (seed §四（三）“年终一次总结式”): that is why
  Annex 1 has no December week 4 although 2021-12-27..31 are working days.
  ``year_end_weeks`` changes how many weeks are kept (0 = none).
* Each kind takes its own weeks from the start of the plan on, as many as it
  needs: county units two by two (an odd one out is alone in the last county week —
  Annex 1's November week 3), townships one by one.
* Weeks of one kind left over once that kind is finished go to the other
  kind's remaining units. Townships stay alone as long as there are enough of
  these weeks and double up in the latest ones when there are not; county
  units stay in pairs. For Lushan 2021: 18 county weeks (March week 2 to
  November week 3) hold the 35 county units; 17 township weeks (March week 1
  to December week 1, without the two holiday weeks and December week 4) hold
  17 townships; the 3 left take December weeks 2 and 3, alone then two —
  exactly Annex 1, so generating 2021 from the shipped schedule changes nothing.

Who goes where: the rule above fixes how many units of which kind each week
holds; the units then keep last year's week whenever that week still has room
for them (so a year whose holidays differ moves only the few units displaced),
and everyone else — units whose week is gone or full, units new to the roster
or no longer exempt — takes the earliest free places in calendar order. Both
lists follow last year's order of appearance (slots taken in calendar order),
newcomers at the end of their kind in roster order; units that left the
roster are dropped. Filling an empty schedule this way is the plain
"in order" fill, and for Lushan 2021 no unit moves at all.

Pins (unit id → (month, week)) put a unit in a given week; the week must be a
usable plan week given to the unit's kind (weeks the rule leaves empty accept
their home kind). The unit counts towards that week; when that overfills the
week's share, another week of the same kind gives up a place — preferably the
one the pinned unit left, else the latest week of two. Exempt
units are listed in ``exempt`` and not scheduled. Any impossible request
raises :class:`UsageError` listing every problem; nothing partial is returned.

Pure: the year and the calendar are arguments; no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from lufa_cli.domain.planning import MONTH_LABELS, WEEK_LABELS, week_bounds
from lufa_cli.domain.workcal import WorkCalendar, cn_month_day, guess_warning
from lufa_cli.errors import UsageError
from lufa_cli.model.data import KIND_LABELS, Exemption, Roster, Schedule, Slot

MIN_WEEKDAY_WORKDAYS = 3
PLAN_WEEKS = (1, 2, 3, 4)
HOME_KIND = {1: "township", 2: "county", 3: "county", 4: "township"}
KIND_WEEKS_TEXT = {"township": "第一、四周", "county": "第二、三周"}
YEAR_END_REASON = "留作年终总结式集中监督"


@dataclass(frozen=True)
class GeneratedSchedule:
    """A proposed schedule and what it changes compared with last year's."""

    schedule: Schedule
    changes: list[str]
    skipped: list[tuple[int, int, str]]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Cell:
    month: int
    week: int
    kind: str
    target: int  # how many units the rule puts here
    cap: int  # how many it may hold
    pinned: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, int]:
        return self.month, self.week


def slot_text(month: int, week: int) -> str:
    """`4月第二周`."""
    return f"{month}月{WEEK_LABELS.get(week, f'第{week}周')}"


def _pairs(n: int) -> list[int]:
    return [2] * (n // 2) + [1] * (n % 2)


def _plan_weeks(
    previous: Schedule, cal: WorkCalendar, year: int, year_end_weeks: int
) -> tuple[list[tuple[int, int]], dict[tuple[int, int], str]]:
    """Usable (month, week)s in calendar order, and the skipped ones with their reason."""
    first, last = previous.months
    existing = [
        (m, w) for m in range(first, last + 1) for w in PLAN_WEEKS if week_bounds(year, m, w, previous.week_rule)
    ]
    reserved = set(existing[len(existing) - year_end_weeks:]) if year_end_weeks > 0 else set()
    usable: list[tuple[int, int]] = []
    skipped: dict[tuple[int, int], str] = {}
    for m, w in existing:
        start, end = week_bounds(year, m, w, previous.week_rule)  # type: ignore[misc]
        days = [cal.day(start + dt.timedelta(days=i)) for i in range(7)]
        working = sum(d.workday for d in days[:5])
        if working < MIN_WEEKDAY_WORKDAYS:
            names: list[str] = []
            for d in days:
                if d.holiday and not d.workday and d.holiday not in names:
                    names.append(d.holiday)
            skipped[(m, w)] = (
                f"{'、'.join(names) or '节假日'}：{cn_month_day(start)}至{cn_month_day(end)}"
                f"周一至周五只有 {working} 个工作日"
            )
        elif (m, w) in reserved:
            skipped[(m, w)] = YEAR_END_REASON
        else:
            usable.append((m, w))
    return usable, skipped


def _layout(
    usable: list[tuple[int, int]], counts: dict[str, int], year: int, problems: list[str]
) -> list[_Cell]:
    """Cells with target sizes for `counts` units of each kind (see the module docstring)."""
    home = {k: [mw for mw in usable if HOME_KIND[mw[1]] == k] for k in ("county", "township")}
    cells: list[_Cell] = []
    spare: dict[str, list[tuple[int, int]]] = {}
    left: dict[str, int] = {}
    for kind, sizes, cap in (("county", _pairs(counts["county"]), 2), ("township", [1] * counts["township"], 1)):
        used = home[kind][: len(sizes)]
        cells += [_Cell(m, w, kind, n, cap) for (m, w), n in zip(used, sizes, strict=False)]
        spare[kind] = home[kind][len(used):]
        left[kind] = sum(sizes[len(used):])
    # county units left over: in pairs, in the township weeks townships did not need
    n = left["county"]
    if n:
        sizes = _pairs(n)
        if len(sizes) > len(spare["township"]):
            problems.append(_short_of(year, "county", n, len(spare["township"]) * 2))
        cells += [_Cell(m, w, "county", k, 2) for (m, w), k in zip(spare["township"], sizes, strict=False)]
    # townships left over: alone while the free county weeks suffice, then two in the latest ones
    n = left["township"]
    if n:
        free = spare["county"]
        if n > 2 * len(free):
            problems.append(_short_of(year, "township", n, 2 * len(free)))
        taken = free[:n]
        doubles = max(0, n - len(taken))
        sizes = [1] * (len(taken) - doubles) + [2] * doubles
        cells += [_Cell(m, w, "township", k, 2) for (m, w), k in zip(taken, sizes, strict=False)]
    return sorted(cells, key=lambda c: c.key)


def _short_of(year: int, kind: str, n: int, room: int) -> str:
    return (
        f"{year}年可用的周不够：还有 {n} 家{KIND_LABELS[kind]}排不下（剩余的空周最多还能容纳 {room} 家）；"
        "可以把部分单位列为免检、放宽起止月份，或不再保留年终总结周"
    )


def _unit_label(roster_names: dict[str, str], uid: str) -> str:
    return f"“{roster_names[uid]}”" if uid in roster_names else f"“{uid}”"


def _unknown(uid: str, ids: list[str], what: str) -> str:
    near = difflib.get_close_matches(uid, ids, n=1, cutoff=0.6)
    hint = f"，是否想写“{near[0]}”？" if near else ""
    return f"{what}中的单位“{uid}”不在名册中{hint}"


def generate_schedule(
    roster: Roster,
    previous: Schedule,
    cal: WorkCalendar,
    year: int,
    *,
    pins: dict[str, tuple[int, int]] | None = None,
    exempt: dict[str, str] | None = None,
    year_end_weeks: int = 1,
) -> GeneratedSchedule:
    """Propose `year`'s schedule following Annex 1's pattern; raises UsageError when impossible."""
    pins = dict(pins or {})
    exempt = dict(exempt or {})
    units = {u.id: u for u in roster.units}
    names = {u.id: u.name for u in roster.units}
    ids = list(units)
    problems: list[str] = []
    for uid in sorted(exempt):
        if uid not in units:
            problems.append(_unknown(uid, ids, "免检名单"))
        elif not exempt[uid].strip():
            problems.append(f"免检单位{_unit_label(names, uid)}没有写明免检原因")
    for uid in sorted(pins):
        if uid not in units:
            problems.append(_unknown(uid, ids, "固定安排"))
        elif uid in exempt:
            problems.append(f"{_unit_label(names, uid)}既被列为免检，又被固定安排在{slot_text(*pins[uid])}")

    # order: last year's calendar order, then newcomers in roster order
    seen: dict[str, None] = {}
    for slot in sorted(previous.slots, key=lambda s: (s.month, s.week)):
        for uid in slot.units:
            seen.setdefault(uid, None)
    order: dict[str, list[str]] = {"county": [], "township": []}
    for uid in [*seen, *(u.id for u in roster.units if u.id not in seen)]:
        if uid in units and uid not in exempt:
            order[units[uid].kind].append(uid)

    usable, skipped = _plan_weeks(previous, cal, year, year_end_weeks)
    cells = _layout(usable, {k: len(v) for k, v in order.items()}, year, problems)
    by_key = {c.key: c for c in cells}
    first, last = previous.months

    for uid, (m, w) in sorted(pins.items(), key=lambda kv: (kv[1], kv[0])):
        if uid not in units or uid in exempt:
            continue
        kind = units[uid].kind
        where = f"{_unit_label(names, uid)}固定在{year}年{slot_text(m, w)}，"
        if not first <= m <= last:
            problems.append(f"{where}但 {m} 月不在日常监督月份 {first}—{last} 月之内")
        elif not week_bounds(year, m, w, previous.week_rule):
            problems.append(f"{where}但 {year}年{m}月没有{WEEK_LABELS.get(w, f'第{w}周')}")
        elif w not in PLAN_WEEKS:
            problems.append(f"{where}但日常监督不使用第五周")
        elif (m, w) in skipped:
            problems.append(f"{where}但该周不能安排（{skipped[(m, w)]}）")
        else:
            cell = by_key.get((m, w))
            if cell is None and HOME_KIND[w] == kind:  # a week the rule left empty
                cell = by_key[(m, w)] = _Cell(m, w, kind, 0, 1 if kind == "township" else 2)
                cells.append(cell)
            if cell is None or cell.kind != kind:
                given = KIND_LABELS[cell.kind] if cell else KIND_LABELS[HOME_KIND[w]]
                problems.append(
                    f"{where}但它是{KIND_LABELS[kind]}，该周安排的是{given}"
                    f"（{KIND_LABELS[kind]}排在{KIND_WEEKS_TEXT[kind]}）"
                )
            else:
                cell.pinned.append(uid)
    cells.sort(key=lambda c: c.key)
    for cell in cells:
        if len(cell.pinned) > cell.cap:
            who = "、".join(_unit_label(names, u) for u in cell.pinned)
            problems.append(
                f"{who}都固定在{year}年{slot_text(*cell.key)}，但该周最多安排 {cell.cap} 家{KIND_LABELS[cell.kind]}"
            )
    if problems:
        raise UsageError(f"无法生成 {year} 年分组计划表：\n" + "\n".join(f"  - {p}" for p in problems))

    prev_at = {uid: (s.month, s.week) for s in reversed(previous.slots) for uid in s.units}
    vacated = {prev_at.get(uid) for uid in pins}
    for cell in cells:  # a pinned week grows; another week of its kind gives up a place
        for _ in range(len(cell.pinned) - cell.target):
            cell.target += 1
            donors = [c for c in cells if c.kind == cell.kind and c is not cell and c.target > len(c.pinned)]
            min(donors, key=lambda c: (c.key not in vacated, c.target != 2, [-c.month, -c.week])).target -= 1
    rank = {uid: i for kind in order.values() for i, uid in enumerate(kind)}
    for kind, queue in order.items():
        room = {c.key: c.target - len(c.pinned) for c in cells if c.kind == kind}
        moving: list[str] = []
        for uid in queue:  # stay in last year's week while it has room
            if uid in pins:
                continue
            key = prev_at.get(uid)
            if room.get(key, 0) > 0:  # type: ignore[arg-type]
                by_key[key].units.append(uid)  # type: ignore[index]
                room[key] -= 1  # type: ignore[index]
            else:
                moving.append(uid)
        rest = iter(moving)  # the others take the earliest free places, in order
        for cell in cells:
            if cell.kind == kind:
                cell.units += [next(rest) for _ in range(room[cell.key])]
                cell.units = sorted(cell.pinned + cell.units, key=rank.__getitem__)

    schedule = Schedule(
        week_rule=previous.week_rule,
        months=list(previous.months),
        slots=[Slot(month=c.month, week=c.week, units=c.units) for c in cells if c.units],
        exempt=[Exemption(unit=u.id, reason=exempt[u.id].strip()) for u in roster.units if u.id in exempt],
    )
    warnings = [guess_warning([year])] if cal.source(year) == "guess" else []
    return GeneratedSchedule(
        schedule=schedule,
        changes=describe_changes(previous, schedule, names, year, skipped, pinned=set(pins)),
        skipped=[(m, w, reason) for (m, w), reason in sorted(skipped.items())],
        warnings=warnings,
    )


def describe_changes(
    previous: Schedule,
    new: Schedule,
    names: dict[str, str],
    year: int,
    skipped: dict[tuple[int, int], str],
    *,
    pinned: frozenset[str] | set[str] = frozenset(),
) -> list[str]:
    """Chinese lines saying how `new` differs from `previous`: weeks first, then units."""
    was = {uid: (s.month, s.week) for s in reversed(previous.slots) for uid in s.units}
    now = {uid: (s.month, s.week) for s in new.slots for uid in s.units}
    was_exempt = {e.unit: e.reason for e in previous.exempt}
    now_exempt = {e.unit: e.reason for e in new.exempt}
    old_weeks = {(s.month, s.week) for s in previous.slots}
    new_weeks = {(s.month, s.week) for s in new.slots}
    lines: list[str] = []
    for key in sorted(old_weeks | new_weeks):
        if key in old_weeks and key not in new_weeks:
            why = skipped.get(key, "不再需要")
            lines.append(f"{slot_text(*key)}：{year}年不安排（{why}）")
        elif key in new_weeks and key not in old_weeks:
            lines.append(f"{slot_text(*key)}：{year}年新启用")
    for s in sorted(new.slots, key=lambda s: (s.month, s.week)):
        for uid in s.units:
            name = names.get(uid, uid)
            note = "（按固定安排）" if uid in pinned else ""
            if uid in was and was[uid] != now[uid]:
                lines.append(f"{name}：由{slot_text(*was[uid])}调整到{slot_text(*now[uid])}{note}")
            elif uid in was_exempt and uid not in was:
                lines.append(f"{name}：不再免检，安排在{slot_text(*now[uid])}{note}")
            elif uid not in was:
                lines.append(f"{name}：新增单位，安排在{slot_text(*now[uid])}{note}")
    for uid, reason in now_exempt.items():
        name = names.get(uid, uid)
        if uid in was:
            lines.append(f"{name}：列为免检（{reason}），原安排在{slot_text(*was[uid])}")
        elif uid not in was_exempt:
            lines.append(f"{name}：列为免检（{reason}）")
        elif was_exempt[uid] != reason:
            lines.append(f"{name}：免检原因改为“{reason}”")
    for uid in [*was, *was_exempt]:
        if uid not in names and uid not in now and uid not in now_exempt:
            where = f"（原安排在{slot_text(*was[uid])}）" if uid in was else "（原为免检）"
            lines.append(f"{uid}：已不在名册中，从计划表删除{where}")
    return lines


# --- YAML text in the style of data/schedule.yaml ------------------------------

_RESERVED_WORDS = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"}


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar the strict reader takes back as the same string."""
    plain = (
        text
        and text == text.strip()
        and text.lower() not in _RESERVED_WORDS
        and not text[0].isdigit()
        and text[0] not in "-._+"
        and all(c.isprintable() and not c.isspace() and (not c.isascii() or c.isalnum() or c in "-._") for c in text)
    )
    if plain:
        return text
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif not c.isprintable() or (c.isspace() and c != " "):
            out.append(f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def schedule_yaml(schedule: Schedule, *, year: int, header: str = "") -> str:
    """The schedule as YAML text laid out like data/schedule.yaml (comments included)."""
    lines = [
        "# 依法行政日常监督分组计划表",
        f"# 由 lufa plan generate --year {year} 生成，按附件一的排法：乡镇排第一、四周（每周一个），",
        "# 县直单位两两排第二、三周；节假日周（周一至周五工作日不足 3 天）不排，最后一周留作年终总结。",
        "# 本表只写“几月第几周查哪些单位”，具体日期由程序按 week_rule 和当年节假日推算。",
        "# 修改说明：单位一律写 units.yaml 里的 id；每个单位全年只能出现一次；缩进用两个空格。",
    ]
    lines += [f"# {h}" if h.strip() else "#" for h in header.splitlines()]
    lines += [
        "",
        "# week_rule：“第N周”怎么算（monday：周一落在本月的第N个周一至周日；thursday：ISO 式，看周四）",
        f"week_rule: {schedule.week_rule}",
        "",
        "# months：日常监督的起止月份（第一个、最后一个月）",
        f"months: [{schedule.months[0]}, {schedule.months[1]}]",
        "",
        "# slots：计划表的每一格（month 月份，week 第几周，units 本周受监督单位的 id）",
        "slots:" if schedule.slots else "slots: []",
    ]
    month = None
    for s in schedule.slots:
        if s.month != month:
            month = s.month
            lines.append(f"  # ---------- {MONTH_LABELS[month]} ----------")
        lines += [
            f"  - month: {s.month}",
            f"    week: {s.week}",
            f"    units: [{', '.join(yaml_scalar(u) for u in s.units)}]",
        ]
    lines += ["", "# exempt：有意不排进计划表的单位（免排名单），每条写 unit（单位 id）和 reason（中文原因）"]
    if schedule.exempt:
        lines.append("exempt:")
        for e in schedule.exempt:
            lines += [f"  - unit: {yaml_scalar(e.unit)}", f"    reason: {yaml_scalar(e.reason)}"]
    else:
        lines.append("exempt: []")
    return "\n".join(lines) + "\n"
