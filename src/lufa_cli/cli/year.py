"""Year-level commands: schedule generation, calendar export and view, status, template lint."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from lufa_cli.cli.app import (
    CTX,
    ForceOpt,
    PdfOpt,
    _console,
    _echo,
    app,
    load,
    parse_date,
    plan_app,
    print_diagnostics,
    say,
    write_output,
)
from lufa_cli.errors import TemplateError, UsageError
from lufa_cli.workspace.loader import display_path

calendar_app = typer.Typer(help="工作日历：法定节假日和调休。", no_args_is_help=True, **CTX)
template_app = typer.Typer(help="文书模板：检查修改过的模板。", no_args_is_help=True, **CTX)
app.add_typer(calendar_app, name="calendar")
app.add_typer(template_app, name="template")


def _pairs(values: list[str] | None, option: str) -> list[tuple[str, str]]:
    out = []
    for v in values or []:
        key, sep, val = v.partition("=")
        if not sep or not key.strip() or not val.strip():
            raise UsageError(f"{option} 的值“{v}”无效，应写成 单位=值")
        out.append((key.strip(), val.strip()))
    return out


@plan_app.command(
    "generate",
    help="""按附件一的排法为某年生成分组计划表：乡镇单独排第一、四周，县直单位两两排第二、三周，
跳过周一至周五工作日不足 3 天的节假日周，最后一周留作年终总结；尽量保持各单位上一年的周次，
差异尽量小。同样的输入总是得到同样的结果。打印与当前计划表的差异；-o 写入文件。

[bold]示例[/bold]

  lufa plan generate --year 2027
  lufa plan generate --year 2027 -o data/schedule-2027.yaml
  lufa plan generate --year 2027 --pin 司法局=4-2 --exempt 气象局=垂直管理，由上级检查
""",
)
def plan_generate(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", metavar="年份", help="计划年度。", min=2000, max=2100)],
    out: Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="把计划表写入该文件（YAML）。")] = None,
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖（如直接替换 data/schedule.yaml）。")] = False,
    pins: Annotated[list[str] | None, typer.Option("--pin", metavar="单位=月-周", help="把单位固定在某周，如 司法局=4-2，可重复。")] = None,
    exempts: Annotated[list[str] | None, typer.Option("--exempt", metavar="单位=原因", help="免检单位及原因，可重复（默认沿用当前计划表的免检）。")] = None,
    year_end_weeks: Annotated[int, typer.Option("--year-end-weeks", metavar="周数", help="最后留给年终总结的周数。", min=0, max=4)] = 1,
) -> None:
    from lufa_cli.domain.generate import generate_schedule, schedule_yaml
    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.domain.workcal import WorkCalendar
    from lufa_cli.model.data import Schedule
    from lufa_cli.reading.yamlsrc import read_yaml
    from lufa_cli.workspace.checks import run_checks
    from lufa_cli.workspace.loader import validate

    ws = load(ctx)
    pin_map: dict[str, tuple[int, int]] = {}
    for name, when in _pairs(pins, "--pin"):
        parts = when.split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise UsageError(f"--pin 的值“{name}={when}”无效，周次应写成 月-周，如 4-2")
        pin_map[resolve_unit(ws.roster.units, name).id] = (int(parts[0]), int(parts[1]))
    previous = ws.schedule_for(year - 1)  # last year's plan (schedule-YYYY.yaml, else schedule.yaml)
    if exempts is None:
        ex_map = {e.unit: e.reason for e in previous.exempt}
    else:
        ex_map = {resolve_unit(ws.roster.units, n).id: r for n, r in _pairs(exempts, "--exempt")}
    gen = generate_schedule(ws.roster, previous, WorkCalendar(ws.calendar), year, pins=pin_map, exempt=ex_map, year_end_weeks=year_end_weeks)
    text = schedule_yaml(gen.schedule, year=year)
    # the proposal must pass the same checks as a hand-edited schedule
    src = read_yaml(Path("schedule.yaml"), display="（生成的计划表）", raw=text.encode("utf-8"))
    sched = validate(Schedule, src) if src.ok else None
    if sched is None:  # pragma: no cover - generator bug
        raise UsageError("生成的计划表未通过校验：" + "；".join(d.message for d in src.diagnostics))
    from dataclasses import replace

    problems = run_checks(replace(ws, schedule=sched, sources={**ws.sources, "schedule": src}))
    if any(d.severity == "error" for d in problems):  # pragma: no cover - generator bug
        raise UsageError("生成的计划表未通过校验：" + "；".join(d.message for d in problems))
    err = _console(stderr=True)
    for w in gen.warnings:
        err.print(f"警告：{w}", style="yellow")
    for m, w, why in gen.skipped:
        err.print(f"跳过 {m}月第{w}周：{why}", soft_wrap=True)
    if gen.changes:
        err.print(f"与当前计划表相比有 {len(gen.changes)} 处变化：", style="bold")
        for c in gen.changes:
            err.print(f"  {c}", soft_wrap=True)
    else:
        err.print("与当前计划表相比没有变化。", style="green")
    if out is None:
        sys.stdout.write(text)
    else:
        write_output(text, out, force)


@plan_app.command(
    "ics",
    help="""导出全年检查安排日历（.ics，RFC 5545），可导入 Outlook、手机日历或 WPS 日历。

每个受监督单位一项全天日程（该周的工作日）；日程编号固定，重复导入会更新而不会重复。

[bold]示例[/bold]

  lufa plan ics --year 2026
  lufa plan ics --year 2026 --office 政策法规室 -o 政策法规室2026.ics
""",
)
def plan_ics(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", metavar="年份", help="年度。", min=2000, max=2100)],
    office: Annotated[str | None, typer.Option("--office", metavar="科室", help="为某科室导出（科室编号或名称）。")] = None,
    out: Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="输出文件（默认 output/依法行政监督检查-年份.ics）。")] = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.domain.planning import plan_year
    from lufa_cli.domain.workcal import WorkCalendar
    from lufa_cli.render.ics import year_calendar

    ws = load(ctx)
    from lufa_cli.cli.inspect import resolve_office

    off = ws.checklist.office(resolve_office(ws, office)) if office is not None else None
    weeks, warnings = plan_year(ws.schedule_for, ws.units_by_id, WorkCalendar(ws.calendar), year)
    for w in warnings:
        say(f"警告：{w}", style="yellow")
    text = year_calendar(weeks, year=year, issuer=ws.settings.issuer, offices=list(ws.checklist.offices), office=off,
                         now=dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    from lufa_cli.reading.fsio import path_inside

    target = out or path_inside(Path("output"), f"依法行政监督检查-{year}{'-' + off.name if off else ''}.ics")
    write_output(text.encode("utf-8"), target, force)


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
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="年份，默认今年。", min=2000, max=2100)] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="table 或 json。")] = "table",
) -> None:
    from lufa_cli.domain.workcal import SOURCE_LABELS, WorkCalendar, guess_warning

    ws = load(ctx)
    y = year or dt.date.today().year
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
        _echo(json.dumps(view, ensure_ascii=False, indent=2))
        return
    if fmt != "table":
        raise UsageError(f"--format 的值“{fmt}”无效，可选：table、json")
    con = _console()
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


def _context_for(name: str, contexts: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    stem = name.split(".")[0]
    for key in sorted(contexts, key=len, reverse=True):
        if stem == key or stem.startswith(key + "-") or (key == "notice" and stem.startswith("notice")):
            return contexts[key]
    return None


@template_app.command(
    "check",
    help="""检查文书模板：语法错误、模板用到但程序不提供的变量、越权访问。改过模板后、批量生成前运行。

不写名称时检查模板目录中的全部模板。有问题时退出码 4。

[bold]示例[/bold]

  lufa template check
  lufa template check notice-yijianshu.docx
""",
)
def template_check(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar="模板", help="模板文件名，如 plan-week.docx。")] = None,
) -> None:
    from lufa_cli.render.documents import lint_template

    ws = load(ctx)
    folder = ws.templates_dir
    if name is not None:
        path = ws.template(name)
        if not path.is_file():
            raise UsageError(f"模板“{name}”不存在（模板目录：{display_path(folder)}）")
        paths = [path]
    else:
        paths = sorted(p for p in folder.iterdir() if p.suffix in (".docx", ".j2") and not p.name.startswith(("~$", ".")))
    from lufa_cli.render.samples import template_contexts

    contexts = template_contexts(ws, dt.date.today())
    problems = []
    for p in paths:
        ctx_ = _context_for(p.name, contexts)
        if ctx_ is None:
            say(f"{display_path(p)}：不知道这个模板用于哪种文书，跳过（文件名应以 plan-week、plan-year、notice、circular、score-report 或 overdue 开头）", style="yellow")
            continue
        found = lint_template(Path(display_path(p)), ctx_)
        problems += found
        if not found:
            _console().print(f"{display_path(p)}：无误", markup=False)
    if problems:
        print_diagnostics(problems)
        raise TemplateError(f"共 {len(problems)} 个模板问题，请修改模板后重新检查")


report_app = typer.Typer(help="通报：考核结果通报。", no_args_is_help=True, **CTX)
app.add_typer(report_app, name="report")


@report_app.command(
    "circular",
    help="""生成考核情况通报（Word）：考核结果表、表现较好和较差的单位、存在的主要问题、工作要求。
年中通报计入 6 月 30 日以前的检查，年终通报计入全年。生成后可在 Word/WPS 中修改后印发。

[bold]示例[/bold]

  lufa report circular --year 2026 --kind 年终
  lufa report circular --year 2026 --kind 年中 -o 年中通报.docx
""",
)
def report_circular(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", metavar="年份", help="考核年度。", min=2000, max=2100)],
    kind: Annotated[str, typer.Option("--kind", metavar="类别", help="年中 或 年终。")] = "年终",
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="成文日期，默认今天。")] = None,
    out: Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="输出文件（默认写到 output/）。")] = None,
    force: ForceOpt = False,
    pdf: PdfOpt = False,
) -> None:
    from lufa_cli.reading.fsio import path_inside
    from lufa_cli.records.inspections import require_records
    from lufa_cli.render.documents import convert_to_pdf, render_docx
    from lufa_cli.render.reports import circular_context, score_report

    if kind not in ("年中", "年终"):
        raise UsageError(f"--kind 的值“{kind}”无效，可选：年中、年终")
    ws = load(ctx)
    today = parse_date(date, "--date")
    cutoff = dt.date(year, 6, 30) if kind == "年中" else dt.date(year, 12, 31)
    rs = require_records(ws)
    report = score_report(ws, rs.inspections, year, min(cutoff, today))
    context = circular_context(ws, report, kind, today)
    target = out or path_inside(Path("output"), f"{context['title']}.docx")
    path = render_docx(ws.template("circular.docx"), context, target, force=force, fonts=ws.settings.fonts)
    say(f"已写入 {display_path(path)}（{context['inspected']} 个单位的考核结果）", style="green")
    if pdf:
        say(f"已写入 {display_path(convert_to_pdf(path, force=force))}", style="green")


@app.command(
    help="""一屏看全年：本周安排、完成情况、整改状态和下一步。

本周和下周的受监督单位、日常监督完成情况、文书整改状态（待反馈、将到期、逾期）、
自查材料未报送的单位，以及接下来该运行的命令。

[bold]示例[/bold]

  lufa status
  lufa status --as-of 2026-11-30 --format json
""",
)
def status(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="以该日期为“今天”（默认今天）。")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="table 或 json。")] = "table",
) -> None:
    from lufa_cli.render.dashboard import status_view

    ws = load(ctx)
    today = parse_date(as_of, "--as-of")
    from lufa_cli.records.inspections import require_records

    view = status_view(ws, require_records(ws), today)
    if fmt == "json":
        _echo(json.dumps(view, ensure_ascii=False, indent=2))
    elif fmt == "table":
        from lufa_cli.render.terminal import show_status

        show_status(_console(), view)
    else:
        raise UsageError(f"--format 的值“{fmt}”无效，可选：table、json")
