"""Views of the registers as plain data: the bureau's review backlog, the evidence against a
unit before a visit (proposed findings), and the year's figures for status and the circular."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lufa_cli.domain.registers import (
    Evidence,
    normative_evidence,
    normative_state,
    penalty_evidence,
    penalty_state,
    staff_evidence,
    training_evidence,
)
from lufa_cli.domain.workcal import WorkCalendar
from lufa_cli.records.inspections import PROPOSED
from lufa_cli.records.registers import RegisterSet
from lufa_cli.workspace.workspace import Workspace


def review_backlog(ws: Workspace, rs: RegisterSet, as_of: dt.date) -> list[dict[str, Any]]:
    """Filings received by `as_of`, not reviewed by then, past the review period."""
    cal = WorkCalendar(ws.calendar)
    rows = []
    for kind, state, ref in (("penalty", penalty_state, lambda r: r.case), ("normative", normative_state, lambda r: r.number)):
        for eid, r in sorted(rs.entries[kind].items()):
            s = state(r, ws.registers, cal, as_of)
            if s.received is not None and s.review_late_days > 0:
                rows.append({"id": eid, "kind": "重大行政处罚备案" if kind == "penalty" else "规范性文件备案", "unit": ws.units_by_id[r.unit].name,
                             "ref": ref(r), "received": s.received, "deadline": s.review_deadline, "late": s.review_late_days})
    rows.sort(key=lambda r: (-r["late"], r["id"]))
    return rows


def unit_evidence(ws: Workspace, rs: RegisterSet, unit: str, as_of: dt.date, year: int | None = None) -> list[Evidence]:
    """What the registers show against `unit` on `as_of`: items 4, 2, 6, 1.2 of the checklist.

    Filings and training of `year` (default: the year of `as_of`); certificates as they stand."""
    cal = WorkCalendar(ws.calendar)
    y = year or as_of.year
    st = ws.registers
    out: list[Evidence] = []
    for eid, r in sorted(rs.entries["penalty"].items()):
        if r.unit == unit and r.decided.year == y:
            out += penalty_evidence(eid, r, st, cal, as_of)
    eid, t = rs.training(unit, y)
    # no training entry of the unit: evidence only when the year's training register is in use
    if y <= as_of.year and (t is not None or any(x.year == y for x in rs.entries["training"].values())):
        out += training_evidence(eid, unit, y, t, st, as_of)
    for eid, r in sorted(rs.entries["normative"].items()):
        if r.unit == unit and r.issued.year == y:
            out += normative_evidence(eid, r, st, cal, as_of)
    for eid, r in sorted(rs.entries["staff"].items()):
        if r.unit == unit:
            out += staff_evidence(eid, r, st, cal, as_of)
    order = {"1.2": 0, "2": 1, "4": 2, "6": 3}
    return sorted(out, key=lambda e: order[e.item])


def register_figures(ws: Workspace, rs: RegisterSet, year: int, as_of: dt.date) -> dict[str, Any]:
    """The year's figures as of `as_of`: filings received, on time, reviewed; training hours by unit."""
    cal = WorkCalendar(ws.calendar)
    st = ws.registers
    figures: dict[str, Any] = {}
    for kind, state, start in (("penalty", penalty_state, lambda r: r.decided), ("normative", normative_state, lambda r: r.issued)):
        states = [state(r, st, cal, as_of) for r in rs.entries[kind].values() if start(r).year == year and start(r) <= as_of]
        received = [s for s in states if s.received is not None]
        figures[kind] = {
            "known": len(states),
            "received": len(received),
            "on_time": sum(1 for s in received if s.late_days == 0),
            "late": sum(1 for s in received if s.late_days > 0),
            "missing": sum(1 for s in states if s.received is None and s.late_days > 0),
            "reviewed": sum(1 for s in received if s.reviewed is not None),
            "review_overdue": sum(1 for s in received if s.review_late_days > 0),
        }
    hours = []
    for u in ws.roster.units:
        _, t = rs.training(u.id, year)
        if t is not None:
            h = t.hours(as_of)
            hours.append({"unit": u.name, "hours": h, "enough": h >= st.training_hours,
                          "exam": t.exam is not None and t.exam <= as_of})
    figures["training"] = {
        "threshold": st.training_hours,
        "units": hours,
        "registered": len(hours),
        "short": sum(1 for h in hours if not h["enough"]),
        "no_exam": sum(1 for h in hours if not h["exam"]),
    }
    return figures




def prefilled_form(form: Any, evidence: list[Evidence]) -> Any:
    """The field form with one proposed row per piece of evidence, under its item's row.

    The proposed row has its description and no deduction: read back as it is, it is refused
    ("写了问题描述但没有填扣分"), so the inspectors confirm it (fill in the deduction, 0 for none)
    or drop it (clear the description) before the record is made."""
    from dataclasses import replace

    rows = []
    for row in form.rows:
        rows.append(row)
        for e in evidence:
            if e.item == row[0]:
                rows.append([row[0], row[1], row[2], "", "", PROPOSED + e.text, "", "", "", ""])
    return replace(form, rows=rows)


def register_status(ws: Workspace, rs: RegisterSet, as_of: dt.date) -> dict[str, Any]:
    """The registers' part of `lufa status`: the year's figures, the review backlog, and lines to print
    (none when nothing is registered)."""
    figures = register_figures(ws, rs, as_of.year, as_of)
    backlog = review_backlog(ws, rs, as_of)
    lines = []
    for kind, label in (("penalty", "重大行政处罚备案"), ("normative", "规范性文件备案")):
        f = figures[kind]
        if f["known"]:
            lines.append(f"{label}：已收到 {f['received']} 件（按时 {f['on_time']}、逾期 {f['late']}），逾期未报 {f['missing']} 件；"
                         f"已审查 {f['reviewed']} 件，逾期未审查 {f['review_overdue']} 件")
    t = figures["training"]
    if t["registered"]:
        lines.append(f"培训考核：已登记 {t['registered']} 个单位，不足 {_num(t['threshold'])} 学时 {t['short']} 个，未考试 {t['no_exam']} 个")
    if backlog:
        lines.append(f"本局逾期未审查的备案 {len(backlog)} 件：lufa register overdue --as-of {as_of}")
    return {"figures": figures, "review_overdue": len(backlog), "lines": lines}


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def circular_sentences(ws: Workspace, rs: RegisterSet, year: int, as_of: dt.date) -> list[str]:
    """The registers' paragraph of the circular (通报): one sentence per register with entries."""
    figures = register_figures(ws, rs, year, as_of)
    out = []
    for kind, label in (("penalty", "重大行政处罚备案"), ("normative", "规范性文件备案")):
        f = figures[kind]
        if f["known"]:
            missing = f"，另有{f['missing']}件逾期未报" if f["missing"] else ""
            out.append(f"{label}方面，共收到{f['received']}件，其中按时报送{f['on_time']}件、逾期报送{f['late']}件{missing}；县司法局已审查{f['reviewed']}件。")
    t = figures["training"]
    if t["registered"]:
        short = [u["unit"] for u in t["units"] if not u["enough"]]
        no_exam = [u["unit"] for u in t["units"] if not u["exam"]]
        text = f"培训考核方面，登记培训考核的{t['registered']}个单位中，"
        text += (f"全年培训不足{_num(t['threshold'])}学时的{len(short)}个（{'、'.join(short)}）" if short else f"全年培训均达到{_num(t['threshold'])}学时")
        text += (f"，未组织考试的{len(no_exam)}个（{'、'.join(no_exam)}）。" if no_exam else "，均组织了考试。")
        out.append(text)
    return out
