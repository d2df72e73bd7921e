"""Plain-data views of domain results.

One dict per result feeds every output format: ``--format json`` dumps it,
CSV and Markdown read from it, and the .docx templates receive it as their
context. No printing here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lufa_cli.domain.planning import MONTH_LABELS, WEEK_LABELS, Week, WeekPlan
from lufa_cli.domain.workcal import SOURCE_LABELS, cn_date, cn_month_day
from lufa_cli.workspace.workspace import Workspace


def _unit(u, no: int | None = None) -> dict[str, Any]:
    d = {"id": u.id, "name": u.name, "short": u.short, "kind": u.kind, "kind_label": u.kind_label}
    if no is not None:
        d = {"no": no, **d}
    return d


def offices_view(ws: Workspace) -> list[dict[str, Any]]:
    out = []
    for o in ws.checklist.offices:
        cats = [c for c in ws.checklist.categories if c.office == o.id]
        out.append(
            {
                "id": o.id,
                "name": o.name,
                "phone": o.phone,
                "category_numbers": [c.no for c in cats],
                "categories": "、".join(f"{c.no}.{c.name}" for c in cats),
            }
        )
    return out


def categories_view(ws: Workspace) -> list[dict[str, Any]]:
    out = []
    for c in ws.checklist.categories:
        office = ws.checklist.office(c.office)
        out.append(
            {
                "no": c.no,
                "name": c.name,
                "points": c.points,
                "office": office.name if office else c.office,
                # each item's checkpoints as one sentence (the annex of the weekly plan prints each category once)
                "items": [{"id": i.id, "name": i.name, "points": i.points,
                           "summary": "；".join(cp.rstrip("。；;，, ") for cp in i.checkpoints) + "。" if i.checkpoints else ""}
                          for i in c.items],
                # a category with several items names the item before each of its checkpoints
                "checkpoints": [cp if len(c.items) == 1 else f"{i.name}：{cp}" for i in c.items for cp in i.checkpoints],
            }
        )
    return out


def period_text(start: dt.date, end: dt.date) -> str:
    if start.year == end.year:
        return f"{cn_date(start)}至{cn_month_day(end)}"
    return f"{cn_date(start)}至{cn_date(end)}"


def workdays_text(week: Week) -> str:
    days = week.workdays
    if not days:
        return "本周没有工作日"
    if len(days) == (days[-1] - days[0]).days + 1:
        span = f"{cn_month_day(days[0])}至{cn_month_day(days[-1])}" if len(days) > 1 else cn_month_day(days[0])
    else:
        span = "、".join(cn_month_day(d) for d in days)
    return f"{span}，共{len(days)}个工作日"


def week_brief(week: Week) -> dict[str, Any]:
    return {
        "year": week.year,
        "month": week.month,
        "week": week.week,
        "label": week.label,
        "start": week.start.isoformat(),
        "end": week.end.isoformat(),
        "period": period_text(week.start, week.end),
        "units": [_unit(u, i) for i, u in enumerate(week.units, start=1)],
    }


def week_plan_view(ws: Workspace, plan: WeekPlan, today: dt.date) -> dict[str, Any]:
    """The `plan week` result; also the context of templates/plan-week.docx."""
    w = plan.week
    note = ""
    if not w.units:
        why = f"（{'、'.join(w.holidays)}）" if w.holidays else ""
        note = f"本周无检查安排{why}。"
        if plan.next_week:
            n = plan.next_week
            names = "、".join(u.name for u in n.units)
            note += f"下一安排周：{n.label}（{period_text(n.start, n.end)}），受监督单位：{names}。"
    return {
        **week_brief(w),
        "title": "依法行政日常监督检查安排",
        "week_rule": ws.schedule_for(w.year).week_rule,
        "workdays": [d.isoformat() for d in w.workdays],
        "workdays_text": workdays_text(w),
        "days": [
            {
                "iso": d.date.isoformat(),
                "date": cn_month_day(d.date),
                "weekday": d.weekday,
                "workday": d.workday,
                "holiday": d.holiday,
                "status": d.status,
            }
            for d in w.days
        ],
        "holidays": w.holidays,
        "offices": offices_view(ws),
        "categories": categories_view(ws),
        "methods": "、".join(ws.checklist.methods),
        "calendar_source": w.calendar_source,
        "calendar_source_label": SOURCE_LABELS[w.calendar_source],
        "next": week_brief(plan.next_week) if plan.next_week else None,
        "note": note,
        "warnings": list(plan.warnings),
        "issuer": ws.settings.issuer,
        "date": cn_date(today),
    }


def year_plan_view(ws: Workspace, year: int, weeks: list[Week], warnings: list[str], today: dt.date) -> dict[str, Any]:
    """The `plan year` result; also the context of templates/plan-year.docx."""
    counts = {"county": 0, "township": 0}
    for w in weeks:
        for u in w.units:
            counts[u.kind] += 1
    rows = []
    for w in weeks:
        rows.append(
            {
                **week_brief(w),
                "month_label": MONTH_LABELS[w.month],
                "week_label": WEEK_LABELS[w.week],
                "dates": f"{cn_month_day(w.start)}至{cn_month_day(w.end)}",
                "workdays": len(w.workdays),
                "holidays": w.holidays,
                "units": [u.name for u in w.units],
                "unit_ids": [u.id for u in w.units],
            }
        )
    return {
        "title": f"{year}年依法行政日常监督分组计划表",
        "year": year,
        "week_rule": ws.schedule_for(year).week_rule,
        "rows": rows,
        "note": f"注：共计有县直单位{counts['county']}家、乡镇{counts['township']}家。",
        "holiday_note": "“工作日”栏为该周的工作日天数，其下注明该周的法定节假日。" if any(w.holidays for w in weeks) else "",
        "exempt": [{"unit": e.unit, "reason": e.reason} for e in ws.schedule_for(year).exempt],
        "warnings": warnings,
        "issuer": ws.settings.issuer,
        "date": cn_date(today),
    }


def units_view(ws: Workspace) -> list[dict[str, Any]]:
    slot_of: dict[str, str] = {}
    for s in ws.schedule.slots:
        for uid in s.units:
            slot_of[uid] = f"{s.month}月{WEEK_LABELS[s.week]}"
    exempt = {e.unit: e.reason for e in ws.schedule.exempt}
    return [
        {**_unit(u, i), "slot": slot_of.get(u.id, ""), "exempt": exempt.get(u.id)}
        for i, u in enumerate(ws.roster.units, start=1)
    ]


#: what Excel/WPS read as the start of a formula in a CSV cell (OWASP "CSV injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> Any:
    """A CSV cell: text that starts like a formula gets a leading ' (shown by Excel/WPS as text,
    the OWASP advice); numbers are left alone, so -1.5 stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cell_value(v: Any) -> Any:
    """A value as every table, CSV and sheet shows it: 3 not 3.0, 0.5 as is, lists joined with 、."""
    if isinstance(v, list):
        return "、".join(str(cell_value(x)) for x in v)
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def to_csv(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    """CSV with Chinese headers (the CLI adds a BOM when it writes a file, for Excel/WPS)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([csv_text(h) for _, h in columns])
    for r in rows:
        w.writerow([csv_text(cell_value(r[k])) for k, _ in columns])
    return buf.getvalue()
