"""lufa plan: the week's plan, the year's plan, the spot-check draw, plan generation, calendar export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from lufa_cli.cli.common import (
    CTX,
    ForceOpt,
    ListFormatOpt,
    OutOpt,
    PdfOpt,
    PlanFormat,
    PlanFormatOpt,
    PlanOutOpt,
    console,
    emit_rows,
    format_for,
    load,
    parse_date,
    rows_data,
    run_today,
    say,
    write_output,
    write_stdout,
    year_in_range,
)
from lufa_cli.errors import UsageError
from lufa_cli.workspace.loader import (
    display_path,
)
from lufa_cli.workspace.workspace import Workspace

plan_app = typer.Typer(help="检查计划：本周检查安排、全年分组计划表、年中抽查名单。", no_args_is_help=True, **CTX)


def _plan_out(ws: Workspace, out: Path | None, default_name: str, suffix: str) -> Path:
    from lufa_cli.reading.fsio import path_inside

    if out is None:
        return path_inside(ws.output_dir, default_name + suffix)
    return out


@plan_app.command(
    "week",
    help="""某一周的检查安排：受监督单位、真实日期和工作日、工作小组科室及电话、检查内容和方式。

默认是今天所在的周。“第N周”按 schedule.yaml 的 week_rule 计算；工作日依据国务院放假安排（含调休上班），
未收录的年份按周一至周五推测并给出警告。

[bold]示例[/bold]

  lufa plan week
  lufa plan week --date 2021-04-12
  lufa plan week --week 2026-10-2
  lufa plan week --format md > 本周安排.md
  lufa plan week --format docx -o 检查安排.docx
  lufa plan week --issued 2026-04-09 --format docx
""",
)
def plan_week_cmd(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="该日期所在的周（YYYY-MM-DD），默认今天。")] = None,
    week: Annotated[str | None, typer.Option("--week", metavar="年-月-周", help="直接指定某月第几周，如 2026-10-2。")] = None,
    issued: Annotated[str | None, typer.Option("--issued", metavar="日期", help="文书落款的成文日期，默认今天（--date 选的是哪一周）。")] = None,
    fmt: PlanFormatOpt = PlanFormat.table,
    out: PlanOutOpt = None,
    force: ForceOpt = False,
    pdf: PdfOpt = False,
) -> None:
    from lufa_cli.domain.planning import WEEK_LABELS, build_week, parse_week, plan_week
    from lufa_cli.domain.workcal import WorkCalendar

    ws = load(ctx)
    today = parse_date(issued, "--issued") if issued is not None else run_today()
    cal = WorkCalendar(ws.calendar)
    units_by_id = ws.units_by_id
    if week is not None and date is not None:
        raise UsageError("--date 和 --week 只能用一个")
    if week is not None:
        parsed = parse_week(week)
        if parsed is None:
            raise UsageError(f"--week 的值“{week}”无效，请写成 年-月-周，如 2026-10-2")
        y, m, n = parsed
        year_in_range(y, f"--week 的值“{week}”")
        w = build_week(ws.schedule_for, units_by_id, cal, y, m, n)
        if w is None:
            raise UsageError(f"{y}年{m}月没有{WEEK_LABELS[n]}（按 week_rule={ws.schedule_for(y).week_rule} 计算）")
        on = w.start
    else:
        on = parse_date(date, "--date")
    plan = plan_week(ws.schedule_for, units_by_id, cal, on)
    from lufa_cli.render.views import week_plan_view

    view = week_plan_view(ws, plan, today)
    _emit_plan(ws, view, fmt, out, force, pdf, template="plan-week", default_name=f"检查安排-{view['label']}")


@plan_app.command(
    "year",
    help="""全年分组计划表（附件一），每一格给出当年的真实日期。

[bold]示例[/bold]

  lufa plan year
  lufa plan year --year 2021
  lufa plan year --year 2026 --format csv > 2026计划表.csv
  lufa plan year --year 2021 --issued 2021-01-04 --format docx -o plan.docx
""",
)
def plan_year_cmd(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="年份，默认今年。", min=2000, max=2099)] = None,
    date: Annotated[str | None, typer.Option("--issued", "--date", metavar="日期", help="文书落款的成文日期，默认今天（--issued 与 plan week 同名，--date 同义）。")] = None,
    fmt: PlanFormatOpt = PlanFormat.table,
    out: PlanOutOpt = None,
    force: ForceOpt = False,
    pdf: PdfOpt = False,
) -> None:
    from lufa_cli.domain.planning import plan_year
    from lufa_cli.domain.workcal import WorkCalendar
    from lufa_cli.render.views import year_plan_view

    ws = load(ctx)
    today = parse_date(date, "--issued/--date")
    y = year or today.year
    weeks, warnings = plan_year(ws.schedule_for, ws.units_by_id, WorkCalendar(ws.calendar), y)
    view = year_plan_view(ws, y, weeks, warnings, today)
    _emit_plan(ws, view, fmt, out, force, pdf, template="plan-year", default_name=f"{y}年依法行政日常监督分组计划表")


def _emit_plan(
    ws: Workspace, view: dict[str, Any], fmt: PlanFormat, out: Path | None, force: bool, pdf: bool, *, template: str, default_name: str
) -> None:
    from lufa_cli.render import terminal
    from lufa_cli.render.views import to_csv

    kind = format_for(fmt.value, out, ("csv", "xlsx", "json", "md", "docx"))
    xlsx = kind == "xlsx"
    fmt = PlanFormat.csv if xlsx else PlanFormat(kind)
    for w in view["warnings"]:
        say(f"警告：{w}", style="yellow")
    if pdf and fmt is not PlanFormat.docx:
        raise UsageError("--pdf 只能和 --format docx 一起用")
    text: str | None = None
    if fmt is PlanFormat.json:
        text = json.dumps(view, ensure_ascii=False, indent=2) + "\n"
    elif fmt is PlanFormat.csv:
        if template == "plan-week":
            rows = [{"label": view["label"], "start": view["start"], "end": view["end"], **u} for u in view["units"]]
            cols = [("label", "周次"), ("start", "开始日期"), ("end", "结束日期"), ("no", "序号"), ("id", "单位编号"), ("name", "受监督单位"), ("kind_label", "类别")]
        else:
            rows = view["rows"]
            cols = [("month", "月份"), ("week", "周次"), ("start", "开始日期"), ("end", "结束日期"), ("workdays", "工作日数"), ("holidays", "节假日"), ("units", "受监督单位")]
        if xlsx and out is not None:
            write_output(rows_data(rows, cols, "xlsx", default_name), out, force)
            return
        text = to_csv(rows, cols)
    elif fmt is PlanFormat.md:
        from lufa_cli.render.documents import render_text

        text = render_text(ws.template(f"{template}.md.j2"), view)
    elif fmt is PlanFormat.docx:
        from lufa_cli.render.documents import convert_to_pdf, pdf_refusal, render_docx

        target = _plan_out(ws, out, default_name, ".docx")
        if pdf:
            pdf_refusal(target, force=force)
        path = render_docx(ws.template(f"{template}.docx"), view, target, force=force, fonts=ws.settings.fonts)
        say(f"已写入 {display_path(path)}", style="green")
        if pdf:
            pdf_path = convert_to_pdf(path, force=force)
            say(f"已写入 {display_path(pdf_path)}", style="green")
        return
    else:
        (terminal.show_week if template == "plan-week" else terminal.show_year)(console(), view)
        return
    if out is not None:
        write_output(("\ufeff" + text) if fmt is PlanFormat.csv and not text.startswith("\ufeff") else text, out, force)
    else:
        write_stdout(text)


@plan_app.command(
    "spotcheck",
    help="""抽取年中抽查单位：按县直单位、乡镇分层随机抽取，给定种子即可复现。

--save 把名单存入 data/records/spotchecks/年份.yaml（已存在时需 --force）。

[bold]示例[/bold]

  lufa plan spotcheck --year 2026 --count 10 --seed 20260701
  lufa plan spotcheck --year 2026 --count 10 --seed 20260701 --save
""",
)
def plan_spotcheck(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", metavar="年份", help="年度。", min=2000, max=2099)],
    count: Annotated[int, typer.Option("--count", metavar="数量", help="抽取单位数。", min=1)],
    seed: Annotated[str, typer.Option("--seed", metavar="种子", help="随机种子（如抽签日期），同样的种子抽出同样的名单。")],
    save: Annotated[bool, typer.Option("--save", help="保存名单为记录。")] = False,
    force: Annotated[bool, typer.Option("--force", help="已有名单（或 -o 的文件已存在）时覆盖。")] = False,
    fmt: ListFormatOpt = "table",
    out: OutOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="抽取日期（默认今天）。")] = None,
) -> None:
    from contextlib import nullcontext

    from lufa_cli.domain.sampling import stratified_sample
    from lufa_cli.model.records import SpotCheck
    from lufa_cli.reading.fsio import atomic_write, record_lock
    from lufa_cli.records.store import record_yaml, spotcheck_path

    ws = load(ctx)
    today = parse_date(as_of, "--as-of")
    units = stratified_sample(ws.roster.units, count, year=year, seed=seed)
    rows = [{"no": n, "id": u.id, "name": u.name, "kind_label": u.kind_label} for n, u in enumerate(units, start=1)]
    if save:
        ws.require_writable()
        rec = SpotCheck(year=year, seed=seed, count=count, drawn=today, units=[u.id for u in units])
        target = spotcheck_path(ws.root, year)
        with record_lock(target, display_path(target)) if target.exists() else nullcontext():  # a --force replace waits for a rewrite in progress
            path = atomic_write(target, record_yaml(SpotCheck, rec.model_dump(), header=f"{year}年年中抽查名单（lufa plan spotcheck 生成）"), overwrite=force)
        say(f"已保存抽查名单：{display_path(path)}", style="green")
    emit_rows(rows, fmt, [("no", "序号"), ("id", "编号"), ("name", "单位"), ("kind_label", "类别")],
              title=f"{year}年年中抽查名单（{len(rows)} 个，种子 {seed}）", out=out, force=force)


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
  lufa plan generate --year 2027 --pin 司法局=4-2 \\
      --exempt 气象局=垂直管理，由上级检查
""",
)
def plan_generate(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", metavar="年份", help="计划年度。", min=2000, max=2099)],
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
    from lufa_cli.workspace.validation import validate

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
    err = console(stderr=True)
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
        write_stdout(text)
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
    year: Annotated[int, typer.Option("--year", metavar="年份", help="年度。", min=2000, max=2099)],
    office: Annotated[str | None, typer.Option("--office", metavar="科室", help="为某科室导出（科室编号或名称）。")] = None,
    out: Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="输出文件（默认 output/依法行政监督检查-年份.ics）。")] = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.domain.planning import plan_year
    from lufa_cli.domain.workcal import WorkCalendar
    from lufa_cli.render.ics import year_calendar

    ws = load(ctx)
    from lufa_cli.cli.common import resolve_office

    off = ws.checklist.office(resolve_office(ws, office)) if office is not None else None
    weeks, warnings = plan_year(ws.schedule_for, ws.units_by_id, WorkCalendar(ws.calendar), year)
    for w in warnings:
        say(f"警告：{w}", style="yellow")
    text = year_calendar(weeks, year=year, issuer=ws.settings.issuer, offices=list(ws.checklist.offices), office=off,
                         now=dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    from lufa_cli.reading.fsio import path_inside

    target = out or path_inside(ws.output_dir, f"依法行政监督检查-{year}{'-' + off.name if off else ''}.ics")
    write_output(text.encode("utf-8"), target, force)
