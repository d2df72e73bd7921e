"""lufa calendar: the official working-day calendar."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer

from lufa_cli.cli.common import CTX, console, echo, load, run_today, say
from lufa_cli.errors import UsageError

calendar_app = typer.Typer(help="工作日历：法定节假日和调休。", no_args_is_help=True, **CTX)


@calendar_app.command(
    "show",
    help="""显示某年的工作日历：法定节假日、调休上班日，以及数据来源（官方、本地补录或推测）。

chinese-calendar 尚未收录的年份，可在 data/calendar.yaml 中补录（格式见 README）。

[bold]示例[/bold]

  lufa calendar show --year 2026
  lufa calendar show --year 2027 --format json
""",
)
def calendar_show(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="年份，默认今年。", min=2000, max=2099)] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="table 或 json。")] = "table",
) -> None:
    from lufa_cli.domain.workcal import SOURCE_LABELS, WorkCalendar, guess_warning

    ws = load(ctx)
    y = year or run_today().year
    cal = WorkCalendar(ws.calendar)
    holidays: list[dict[str, Any]] = []
    workdays: list[str] = []
    d = dt.date(y, 1, 1)
    while d.year == y:
        day = cal.day(d)
        if day.holiday and not day.workday:
            if holidays and holidays[-1]["name"] == day.holiday and holidays[-1]["_last"] == d - dt.timedelta(days=1):
                holidays[-1]["end"], holidays[-1]["_last"] = d.isoformat(), d
                holidays[-1]["days"] += 1
            else:
                holidays.append({"name": day.holiday, "start": d.isoformat(), "end": d.isoformat(), "days": 1, "_last": d})
        if day.workday and d.weekday() >= 5:
            workdays.append(d.isoformat())
        d += dt.timedelta(days=1)
    for h in holidays:
        del h["_last"]
    source = cal.source(y)
    view = {"year": y, "source": source, "source_label": SOURCE_LABELS[source], "holidays": holidays, "workdays": workdays}
    if source == "guess":
        view["warning"] = guess_warning([y])
    if fmt == "json":
        echo(json.dumps(view, ensure_ascii=False, indent=2))
        return
    if fmt != "table":
        raise UsageError(f"--format 的值“{fmt}”无效，可选：table、json")
    con = console()
    con.print(f"[bold]{y} 年工作日历[/bold]（来源：{view['source_label']}）")
    if source == "guess":
        say(f"警告：{view['warning']}", style="yellow")
    from rich.markup import escape
    from rich.table import Table

    t = Table(title="放假安排", title_justify="left")
    for h in ("节日", "起", "止", "天数"):
        t.add_column(h)
    for h in holidays:
        t.add_row(escape(h["name"]), h["start"], h["end"], str(h["days"]))
    con.print(t)
    con.print("调休上班：" + ("、".join(workdays) if workdays else "无"))
