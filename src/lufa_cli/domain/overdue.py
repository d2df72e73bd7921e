"""What is overdue in the rectification loop (pure; `as_of` passed in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from lufa_cli.domain.escalation import ladder_cells
from lufa_cli.model.data import Checklist, Settings, Unit
from lufa_cli.model.notices import Notice
from lufa_cli.model.records import Inspection


def chase_offices(inspections: dict[str, Inspection], checklist: Checklist, settings: Settings) -> Callable[[Notice], dict[str, str]]:
    """The office that follows a notice up: the inspection's lead office, else the office
    covering the first finding's checklist category (of a finding naming an item), else the
    reply office. The look-ups are built once for a whole list."""
    offices: dict[str, Any] = {}
    for o in checklist.offices:
        offices.setdefault(o.id, o)  # as Checklist.office: the first of an id
    item_office: dict[str, str] = {}
    for c in checklist.categories:
        for i in c.items:
            item_office.setdefault(i.id, c.office)  # the first category listing the item
    reply = {"name": settings.reply_office, "phone": settings.contact.phone}

    def chase(n: Notice) -> dict[str, str]:
        office = None
        insp = inspections.get(n.inspection or "")
        if insp and insp.office:
            office = offices.get(insp.office)
        if office is None:
            for f in n.findings:
                if f.item and f.item in item_office:
                    office = offices.get(item_office[f.item])
                    break
        if office is None:
            return dict(reply)
        return {"name": office.name, "phone": office.phone}

    return chase


def _base(n: Notice, status: str, units: dict[str, Unit], chase_office: Callable[[Notice], dict[str, str]]) -> dict[str, Any]:
    """The columns every listed notice has."""
    unit = units.get(n.unit)
    return {
        "key": n.key,
        "doc_number": n.doc_number,
        "unit": n.unit,
        "unit_name": unit.name if unit is not None else n.unit,
        "issued": n.issued.isoformat(),
        "status": status,
        "office": chase_office(n),
    }


_LATE = {"待反馈": "逾期未报送整改情况", "待核查": "整改报告待核查（回头看）超期"}
_SOON = {"待反馈": "整改期限将到", "待核查": "回头看核查将到期"}


def overdue_report(
    notices: list[Notice],
    units: dict[str, Unit],
    inspections: dict[str, Inspection],
    checklist: Checklist,
    settings: Settings,
    as_of: dt.date,
    *,
    due_within: int | None = None,
) -> dict[str, Any]:
    """Overdue feedback, overdue verification and (optionally) what falls due soon,
    as things stood on `as_of` (notices issued later and later events are ignored)."""
    notices = [m for m in (n.as_of(as_of) for n in notices) if m is not None]
    chase_office = chase_offices(inspections, checklist, settings)
    steps = settings.escalation
    referral_days = settings.referral_overdue_days
    wait = dt.timedelta(days=settings.verification_wait_days)
    items: list[dict[str, Any]] = []
    soon: list[dict[str, Any]] = []
    for n in notices:  # as they stood on `as_of`: issued by then, later events dropped
        status, when = n.state()
        if status == "待反馈":
            due = n.current_deadline  # the feedback is due
        elif status == "待核查":
            due = when + wait  # the verification (回头看) is due
        else:
            continue
        if n.followed_by:  # a 决定书 issued after it carries the loop on
            continue
        if due < as_of:
            late = (as_of - due).days
            row = _base(n, status, units, chase_office)
            row["what"] = _LATE[status]
            row["due"] = due.isoformat()
            row["days_overdue"] = late
            row["referral"] = status == "待反馈" and late > referral_days
            row.update(ladder_cells(n, steps, as_of, status=status))
            items.append(row)
        elif due_within is not None and (due - as_of).days <= due_within:
            row = _base(n, status, units, chase_office)
            row["what"] = _SOON[status]
            row["due"] = due.isoformat()
            row["days_left"] = (due - as_of).days
            soon.append(row)
    items.sort(key=lambda r: (-r["days_overdue"], r["key"]))
    soon.sort(key=lambda r: (r["days_left"], r["key"]))
    groups: dict[str, dict[str, Any]] = {}
    for r in items:
        g = groups.setdefault(r["unit"], {"unit": r["unit"], "unit_name": r["unit_name"], "max_days": 0, "items": [], "referral": False})
        g["items"].append(r)
        g["max_days"] = max(g["max_days"], r["days_overdue"])
        g["referral"] = g["referral"] or r["referral"]
    ordered = sorted(groups.values(), key=lambda g: (-g["max_days"], g["unit"]))
    return {
        "as_of": as_of.isoformat(),
        "overdue": items,
        "by_unit": ordered,
        "due_soon": soon,
        "due_within": due_within,
        "referral_days": settings.referral_overdue_days,
        "verification_wait_days": settings.verification_wait_days,
        "referrals": [g["unit_name"] for g in ordered if g["referral"]],
    }


def notices_by_month(
    notices: list[Notice],
    units: dict[str, Unit],
    inspections: dict[str, Inspection],
    checklist: Checklist,
    settings: Settings,
    year: int,
    as_of: dt.date,
) -> list[dict[str, Any]]:
    """Per month of `year` up to `as_of`: notices issued (not voided by `as_of`), notices closed
    (已办结), and the overdue items at the month's end (`as_of` for its own month) as
    `overdue_report` counts them then, notices of earlier years included."""
    if year > as_of.year:
        return []
    known = [m for m in (n.as_of(as_of) for n in notices) if m is not None]
    last = as_of.month if year == as_of.year else 12
    rows = []
    for month in range(1, last + 1):
        end = min(as_of, (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1))
        issued = sum(1 for n in known if n.issued.year == year and n.issued.month == month and not n.voided)
        closed = 0
        for n in known:
            status, when = n.state()
            if status == "已办结" and when.year == year and when.month == month:
                closed += 1
        late = overdue_report(known, units, inspections, checklist, settings, end)["overdue"]
        rows.append({"month": month, "label": f"{month}月", "end": end.isoformat(), "issued": issued, "closed": closed, "overdue": len(late)})
    return rows
