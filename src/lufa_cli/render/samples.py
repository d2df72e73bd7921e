"""Real contexts for each kind of template, for `lufa template check`.

Built from the workspace's own data plus a few sample records, so that loops over
rows in a template are exercised too. Pure: `today` is passed in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lufa_cli.domain.overdue import overdue_report
from lufa_cli.domain.planning import plan_week, plan_year, week_bounds
from lufa_cli.domain.workcal import WorkCalendar
from lufa_cli.model.notices import Case, Contact, Event, NoticeFinding
from lufa_cli.model.records import Finding, Inspection
from lufa_cli.records.notices import draft, notice_context
from lufa_cli.render.reports import circular_context, score_report
from lufa_cli.render.views import week_plan_view, year_plan_view
from lufa_cli.workspace.workspace import Workspace


def template_contexts(ws: Workspace, today: dt.date) -> dict[str, dict[str, Any] | None]:
    """A real context for each kind of template, built from the workspace's own data."""
    cal = WorkCalendar(ws.calendar)
    units = ws.units_by_id
    first = ws.schedule.slots[0]
    bounds = week_bounds(today.year, first.month, first.week, ws.schedule.week_rule)
    week_view = week_plan_view(ws, plan_week(ws.schedule, units, cal, bounds[0] if bounds else today), today)
    weeks, warnings = plan_year(ws.schedule, units, cal, today.year)
    year_view = year_plan_view(ws, today.year, weeks, warnings, today)
    u = ws.roster.units[0]
    notice_kind = ws.settings.notice_kinds[0]
    d = draft(notice_kind, u.id, today, [NoticeFinding(text="示例问题一"), NoticeFinding(text="示例问题二")], cal,
              case=Case(name="某某案", number="鲁×罚决字〔2026〕第1号"), contact=Contact(name="张三", phone="0375-7653158"))
    notice = notice_context(d.with_number(today.year, 1), u.name, ws.settings)
    # sample records so that loops over rows in the templates are exercised too
    item = ws.checklist.items()[0]
    samples = []
    for unit_kind in ("county", "township"):
        unit = next((x for x in ws.roster.units if x.kind == unit_kind), None)
        if unit is not None:
            samples.append(Inspection(id=f"{today.isoformat()}-{unit.id}", unit=unit.id, date=today, kind="日常监督",
                                      findings=[Finding(id=1, item=item.id, deduction=min(1, item.points), description="示例问题")]))
    report = score_report(ws, samples, today.year, today)
    late = d.with_number(today.year, 1).model_copy(update={"issued": today - dt.timedelta(days=90), "deadline": today - dt.timedelta(days=60)})
    waiting = d.with_number(today.year, 2).model_copy(update={"history": [Event(event="feedback", date=today - dt.timedelta(days=40))],
                                                               "issued": today - dt.timedelta(days=50)})
    soon = d.with_number(today.year, 3).model_copy(update={"deadline": today + dt.timedelta(days=3)})
    overdue = overdue_report([late, waiting, soon], units, {}, ws.checklist, ws.settings, today, due_within=7)
    letter = next((st.letter for st in ws.settings.escalation if st.letter is not None), None)
    if letter is not None:
        from lufa_cli.records.letters import letter_context, letter_record

        stepped = late.model_copy(update={"history": [Event(event="remind", date=today - dt.timedelta(days=50), doc="示例催办函"),
                                                      Event(event="interview", date=today - dt.timedelta(days=40), who="张三", promised="限期整改")]})
        rec = letter_record(letter, "refer", stepped, today, 1)
        letter_ctx = letter_context(rec, letter, stepped, [], u.name, ws.settings, reply_by=today + dt.timedelta(days=7))
    from lufa_cli.records.inspections import RecordSet
    from lufa_cli.records.registers import RegisterSet
    from lufa_cli.render.briefing import briefing_view, docx_context

    # the briefing without drawing: each chart's place holds its marker (the variables are the same)
    briefing = docx_context(briefing_view(ws, RecordSet(inspections=samples), RegisterSet(), [], today.year, today))

    from lufa_cli.render.feedback import feedback_letters, models_context

    sample_notices = [late, waiting, soon]
    letters = feedback_letters(ws, report, samples, sample_notices, overdue, "年终", today)
    return {
        "briefing": briefing,
        "feedback": letters[0] if letters else None,
        "models": models_context(ws, report, samples, sample_notices, set(), "年终", today, ws.settings.superior),
        "letter": letter_ctx if letter is not None else None,
        "plan-week": week_view,
        "plan-year": year_view,
        "notice": notice,
        "circular": circular_context(ws, report, "年终", today),
        "score-report": report,
        "overdue": overdue,
    }
