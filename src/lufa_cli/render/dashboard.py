"""`lufa status`: the year at a glance (pure; `today` passed in)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lufa_cli.domain.overdue import overdue_report
from lufa_cli.domain.planning import plan_week, plan_year
from lufa_cli.domain.workcal import WorkCalendar, guessed_warnings
from lufa_cli.model.notices import STATUS_ORDER, open_deadlines
from lufa_cli.records.inspections import RecordSet
from lufa_cli.render.views import week_brief
from lufa_cli.workspace.workspace import Workspace


def not_inspected(ws: Workspace, rs: RecordSet, today: dt.date) -> tuple[int, list[dict[str, Any]]]:
    """Units whose plan week of `today`'s year ended before `today` without a 日常监督 record
    dated on or before `today`: (number of units planned so far, one row per missed unit)."""
    cal = WorkCalendar(ws.calendar)
    weeks, _ = plan_year(ws.schedule_for, ws.units_by_id, cal, today.year)
    done = {i.unit for i in rs.inspections if i.date.year == today.year and i.kind == "日常监督" and i.date <= today}
    due = [(w, u) for w in weeks if w.end < today for u in w.units]
    rows = [
        {"id": u.id, "name": u.name, "short": u.short, "kind_label": u.kind_label, "week": w.label,
         "start": w.start.isoformat(), "end": w.end.isoformat(), "days_since": (today - w.end).days}
        for w, u in due if u.id not in done
    ]
    return len(due), rows


def status_view(ws: Workspace, rs: RecordSet, today: dt.date) -> dict[str, Any]:
    """The year at a glance on `today`, from `rs` as it stood that day (RecordSet.as_of)."""
    rs = rs.as_of(today)
    cal = WorkCalendar(ws.calendar)
    units = {u.id: u for u in ws.roster.units}
    this = plan_week(ws.schedule_for, units, cal, today)
    nxt = plan_week(ws.schedule_for, units, cal, today + dt.timedelta(days=7))
    planned, missed_rows = not_inspected(ws, rs, today)
    missed = [r["name"] for r in missed_rows]
    od = overdue_report(rs.notices, units, {i.id: i for i in rs.inspections}, ws.checklist, ws.settings, today, due_within=7)
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for n in rs.notices:
        if n.year == today.year or n.state()[0] in ("待反馈", "待核查"):
            counts[n.state()[0]] += 1
    filed = {s.unit for s in rs.selfchecks if s.year == today.year}
    deadline = dt.date(today.year, 3, 31)
    pending_notice = 0
    from lufa_cli.records.notices import open_findings

    noticed = {n.inspection for n in rs.notices if not n.voided}
    for insp in rs.inspections:
        if insp.date.year == today.year and insp.id not in noticed and open_findings(insp, rs.notices):
            pending_notice += 1
    nexts: list[str] = []
    if this.week.units:
        nexts.append(f"lufa plan week --format docx    # 打印本周检查安排（{this.week.label}）")
    if pending_notice:
        nexts.append(f"lufa notice issue --all --since {today.year}-01-01    # {pending_notice} 次检查有未整改问题、尚未下达意见书")
    if od["overdue"]:
        nexts.append(f"lufa rectify overdue    # {len(od['overdue'])} 项逾期，需催办")
    if today <= deadline + dt.timedelta(days=60) and len(filed) < len(units):
        nexts.append(f"lufa selfcheck missing    # {len(units) - len(filed)} 个单位未报送自查材料")
    if missed:
        nexts.append(f"lufa inspect missing --as-of {today.isoformat()}    # {len(missed)} 个已过计划周的单位还没有日常监督记录")
    sample = next((s for s in rs.spotchecks if s.year == today.year and s.drawn <= today), None)
    spot_done = {i.unit for i in rs.inspections if i.date.year == today.year and i.kind == "年中抽查" and i.date <= today}
    waiting = [units[u].name for u in (sample.units if sample else []) if u not in spot_done and u in units]
    if waiting:
        nexts.append(f"lufa inspect record 单位 --kind 年中抽查    # 抽查名单中 {len(waiting)} 个单位还没有抽查记录")
    from lufa_cli.model.records import SUPERVISION_TYPES

    this_year = [i for i in rs.inspections if i.date.year == today.year and i.date <= today]
    return {
        "as_of": today.isoformat(),
        "this_week": week_brief(this.week),
        "next_week": week_brief(nxt.week),
        # the next week with units, when this week has none (not repeated when it is next week)
        "next_scheduled": week_brief(this.next_week) if this.next_week and not this.week.units and this.next_week.start != nxt.week.start else None,
        "inspections": {
            "planned_so_far": planned,
            "done": planned - len(missed),
            "missed": missed,
            "recorded_this_year": sum(1 for i in rs.inspections if i.date.year == today.year),
            "by_type": {t: sum(1 for i in this_year if i.type == t) for t in SUPERVISION_TYPES},
        },
        "spotcheck": {"drawn": len(sample.units), "done": len(sample.units) - len(waiting), "waiting": waiting} if sample else None,
        "notices": {
            **counts,
            "overdue": len(od["overdue"]),
            "due_soon": len(od["due_soon"]),
            "referrals": od["referrals"],
            "inspections_without_notice": pending_notice,
        },
        "selfchecks": {"deadline": deadline.isoformat(), "filed": len(filed), "missing": len(units) - len(filed)},
        "next_steps": nexts,
        "warnings": guessed_warnings(cal, [
            *(d.date for w in (this.week, nxt.week, this.next_week) if w is not None for d in w.days), *open_deadlines(rs.notices),
        ]),
    }
