"""The command line: parse options, call one library function, print, exit.

Only this module (and cli_i18n) imports Typer, prints or exits.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from lufa_cli import __version__
from lufa_cli.errors import DataError, Diagnostic, ExitCode, LufaError, UsageError
from lufa_cli.workspace.loader import (
    ORIGIN_LABELS,
    display_path,
    find_data_dir,
    load_workspace,
)
from lufa_cli.workspace.workspace import Workspace

HELP = """依法行政监督考核工具（鲁山县 鲁法政办〔2021〕4号）。

管理单位名册、分组计划表和检查内容，生成每周检查安排和全年计划表。

数据目录查找顺序：--data 目录 → 环境变量 LUFA_DATA → 当前目录下的 data/ → 内置鲁山县数据（只读）。

[bold]示例[/bold]

  lufa plan week                      本周检查安排
  lufa plan week --date 2021-04-12    指定日期所在周
  lufa plan year --year 2026          全年计划表（含真实日期）
  lufa check                          校验全部数据文件
  lufa init 我的工作区                 建立可写的工作区
"""

app = typer.Typer(
    name="lufa",
    help=HELP,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
CTX: dict[str, Any] = {
    "options_metavar": "[选项]",
    "subcommand_metavar": "命令 [参数]...",
    "rich_markup_mode": "rich",
    "context_settings": {"help_option_names": ["-h", "--help"], "max_content_width": 100},
}
plan_app = typer.Typer(help="检查计划：本周检查安排、全年分组计划表、年中抽查名单。", no_args_is_help=True, **CTX)
app.add_typer(plan_app, name="plan")


@dataclass
class State:
    data: Path | None = None
    debug: bool = False


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class PlanFormat(str, Enum):
    table = "table"
    md = "md"
    json = "json"
    csv = "csv"
    docx = "docx"


# options shared by several commands (defined once, as sqlite-utils does)
ForceOpt = Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖。")]
PdfOpt = Annotated[bool, typer.Option("--pdf", help="另用 LibreOffice 转出 PDF（需已安装）。")]
PlanFormatOpt = Annotated[PlanFormat, typer.Option("--format", metavar="格式", help="输出格式：table、md、json、csv 或 docx。")]
PlanOutOpt = Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="写入文件（docx 默认写到 output/ 目录）。")]


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


# --- shared helpers -----------------------------------------------------------------


def _console(stderr: bool = False):  # noqa: ANN202
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=stderr, emoji=False)


def clean(text: str | None, option: str, *, required: bool = False) -> str | None:
    """Free text from an option, cleaned as textclean.clean_text does (UsageError naming the option)."""
    from lufa_cli.reading.textclean import clean_text

    if text is None:
        if required:
            raise UsageError(f"{option} 不能为空")
        return None
    try:
        t = clean_text(text)
    except ValueError as exc:
        raise UsageError(f"{option} {exc}") from None
    if required and not t:
        raise UsageError(f"{option} 不能为空")
    return t


def say(text: str, style: str | None = None) -> None:
    """A message to the clerk on stderr; data inside it is never read as Rich markup."""
    _console(stderr=True).print(text, style=style, markup=False, soft_wrap=True)


def _echo(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()


def load(ctx: typer.Context) -> Workspace:
    """The workspace for this run, or a DataError listing every problem."""
    root, origin = find_data_dir(_state(ctx).data, os.environ, Path.cwd())
    ws, diags = load_workspace(root, origin)
    if ws is None:
        raise DataError(f"数据有误（数据目录：{display_path(root)}，来自{ORIGIN_LABELS[origin]}）", diagnostics=diags)
    print_diagnostics([d for d in diags if d.severity == "warning"])
    return ws


def parse_date(text: str | None, option: str) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} 的值“{text}”不是有效日期，请写成 YYYY-MM-DD，如 2026-03-05") from None


def print_diagnostics(diags: list[Diagnostic]) -> None:
    if not diags:
        return
    err = _console(stderr=True)
    from rich.markup import escape

    for d in diags:
        style = "red" if d.severity == "error" else "yellow"
        err.print(d.format(), style=style, markup=False)
        if d.source_line is not None and d.line:
            err.print(f"  {d.line:>4} | {escape(d.source_line)}", style="dim")
            pad = sum(2 if ord(c) > 0x2E7F else 1 for c in d.source_line[: max(d.col - 1, 0)])
            err.print(f"       | {' ' * pad}^", style=style)


def write_output(data: bytes | str, out: Path, force: bool) -> Path:
    from lufa_cli.reading.fsio import atomic_write

    path = atomic_write(out, data, overwrite=force)
    say(f"已写入 {display_path(path)}", style="green")
    return path


# --- root ----------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        _echo(f"lufa {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", metavar="目录", help="数据目录（含 units.yaml 等）；默认见上文查找顺序。"),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示程序内部的调用栈（排查问题用）。")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。")
    ] = False,
) -> None:
    ctx.obj = State(data=data, debug=debug)


# --- check ---------------------------------------------------------------------------


@app.command(
    help="""校验全部数据文件及其相互关系。

没有问题时只打印一行摘要，退出码 0；有问题时逐条列出“文件:行:列: 错误：说明”，退出码 1。

[bold]示例[/bold]

  lufa check
  lufa check --format json     供脚本读取
  lufa --data 其他目录/data check
"""
)
def check(
    ctx: typer.Context,
    fmt: Annotated[CheckFormat, typer.Option("--format", metavar="格式", help="输出格式：text 或 json。")] = CheckFormat.text,
) -> None:
    root, origin = find_data_dir(_state(ctx).data, os.environ, Path.cwd())
    ws, diags = load_workspace(root, origin)
    records = None
    if ws is not None:
        from lufa_cli.records.inspections import load_records

        records = load_records(ws)
        diags = diags + records.diagnostics
    errors = [d for d in diags if d.severity == "error"]
    summary: dict[str, Any] = {"ok": not errors, "data": display_path(root), "origin": origin}
    if records is not None:
        summary.update(inspections=len(records.inspections), selfchecks=len(records.selfchecks), spotchecks=len(records.spotchecks))
    if ws is not None:
        kinds = {"county": 0, "township": 0}
        for u in ws.roster.units:
            kinds[u.kind] += 1
        summary.update(
            units=len(ws.roster.units),
            county=kinds["county"],
            township=kinds["township"],
            slots=len(ws.schedule.slots),
            exempt=len(ws.schedule.exempt),
            year_schedules=sorted(ws.year_schedules),
            categories=len(ws.checklist.categories),
            items=len(ws.checklist.items()),
            points=sum(i.points for i in ws.checklist.items()),
        )
    if fmt is CheckFormat.json:
        summary["problems"] = [d.as_dict() for d in diags]
        _echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print_diagnostics(diags)
        if not errors:
            _echo(
                f"数据无误：{summary['units']} 个单位（县直单位 {summary['county']}、乡镇 {summary['township']}），"
                f"{summary['slots']} 个检查周，每个单位均已安排"
                + (f"（免检 {summary['exempt']} 个）" if summary["exempt"] else "")
                + (f"；另有年度计划表 {'、'.join(f'{y} 年' for y in summary['year_schedules'])}" if summary["year_schedules"] else "")
                + f"；检查内容 {summary['categories']} 类 {summary['items']} 项，共 {summary['points']} 分；"
                f"记录：检查 {summary['inspections']} 份、自查 {summary['selfchecks']} 份。"
                f"数据目录：{summary['data']}（{ORIGIN_LABELS[origin]}）"
            )
        else:
            say(f"共发现 {len(errors)} 个问题，请逐条修改后重新运行 lufa check。", style="red")
    if errors:
        raise typer.Exit(ExitCode.DATA)


# --- units ---------------------------------------------------------------------------


@app.command(
    help="""列出单位名册（受监督单位）。

[bold]示例[/bold]

  lufa units
  lufa units 司法局               查一个单位（编号、全称或简称均可）
  lufa units --kind township
  lufa units --format csv > 单位名册.csv
"""
)
def units(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(metavar="单位", help="只显示这个单位：编号、全称或简称。")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", metavar="类别", help="只列某类：county（县直单位）或 township（乡镇）。")
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", metavar="格式", help="输出格式：table、json 或 csv。")] = TableFormat.table,
) -> None:
    from lufa_cli.render.views import to_csv, units_view

    ws = load(ctx)
    if kind not in (None, "county", "township"):
        raise UsageError(f"--kind 的值“{kind}”无效，可选：county（县直单位）、township（乡镇）")
    rows = [r for r in units_view(ws) if kind is None or r["kind"] == kind]
    if query is not None:
        from lufa_cli.domain.roster import resolve_unit

        wanted = resolve_unit(ws.roster.units, query).id
        rows = [r for r in rows if r["id"] == wanted]
    if fmt is TableFormat.json:
        _echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt is TableFormat.csv:
        sys.stdout.write(to_csv(rows, [("no", "序号"), ("id", "编号"), ("name", "全称"), ("short", "简称"), ("kind_label", "类别"), ("slot", "检查周"), ("exempt", "免检原因")]))
    else:
        from rich.table import Table

        t = Table(title=f"单位名册（{len(rows)} 个）", title_justify="left")
        t.add_column("序号", justify="right")
        t.add_column("编号", overflow="fold")
        t.add_column("全称", min_width=12)
        t.add_column("简称", min_width=6)
        t.add_column("类别", no_wrap=True)
        t.add_column("检查周", no_wrap=True)
        for r in rows:
            from rich.markup import escape

            t.add_row(str(r["no"]), escape(r["id"]), escape(r["name"]), escape(r["short"]), r["kind_label"], escape(r["slot"] or f"免检：{r['exempt'] or '未安排'}"))
        _console().print(t)


# --- init ----------------------------------------------------------------------------


@app.command(
    help="""建立新的工作区（数据和文书模板），便于修改并用 git 管理。

复制内置鲁山县数据和文书模板，并写一个忽略 output/ 的 .gitignore。

目录已存在且不为空时拒绝执行（退出码 3），不会覆盖任何文件。

[bold]示例[/bold]

  lufa init 监督考核2026
  cd 监督考核2026 && git init && git add . && git commit -m "初始数据"
"""
)
def init(
    directory: Annotated[Path, typer.Argument(metavar="目录", help="新工作区的目录。")],
) -> None:
    from lufa_cli.workspace.init import init_workspace

    created = init_workspace(directory)
    out = _console()
    out.print(f"已建立工作区 {display_path(directory)}：", style="green", markup=False)
    for p in created:
        out.print(f"  {display_path(p)}", markup=False)
    out.print(f"下一步：cd {directory} && git init && git add . && git commit -m \"初始数据\"；之后在该目录下运行 lufa check。", soft_wrap=True, markup=False)


# --- plan ----------------------------------------------------------------------------


def _plan_out(out: Path | None, default_name: str, suffix: str) -> Path:
    from lufa_cli.reading.fsio import path_inside

    if out is None:
        folder = Path("output")
        return path_inside(folder, default_name + suffix)
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
""",
)
def plan_week_cmd(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="该日期所在的周（YYYY-MM-DD），默认今天。")] = None,
    week: Annotated[str | None, typer.Option("--week", metavar="年-月-周", help="直接指定某月第几周，如 2026-10-2。")] = None,
    fmt: PlanFormatOpt = PlanFormat.table,
    out: PlanOutOpt = None,
    force: ForceOpt = False,
    pdf: PdfOpt = False,
) -> None:
    from lufa_cli.domain.planning import WEEK_LABELS, build_week, parse_week, plan_week
    from lufa_cli.domain.workcal import WorkCalendar

    ws = load(ctx)
    today = dt.date.today()
    cal = WorkCalendar(ws.calendar)
    units_by_id = ws.units_by_id
    if week is not None and date is not None:
        raise UsageError("--date 和 --week 只能用一个")
    if week is not None:
        parsed = parse_week(week)
        if parsed is None:
            raise UsageError(f"--week 的值“{week}”无效，请写成 年-月-周，如 2026-10-2")
        y, m, n = parsed
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
  lufa plan year --year 2021 --date 2021-01-04 --format docx -o plan.docx
""",
)
def plan_year_cmd(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="年份，默认今年。", min=1900, max=2199)] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="文书落款的成文日期，默认今天。")] = None,
    fmt: PlanFormatOpt = PlanFormat.table,
    out: PlanOutOpt = None,
    force: ForceOpt = False,
    pdf: PdfOpt = False,
) -> None:
    from lufa_cli.domain.planning import plan_year
    from lufa_cli.domain.workcal import WorkCalendar
    from lufa_cli.render.views import year_plan_view

    ws = load(ctx)
    today = parse_date(date, "--date")
    y = year or today.year
    weeks, warnings = plan_year(ws.schedule_for, ws.units_by_id, WorkCalendar(ws.calendar), y)
    view = year_plan_view(ws, y, weeks, warnings, today)
    _emit_plan(ws, view, fmt, out, force, pdf, template="plan-year", default_name=f"{y}年依法行政日常监督分组计划表")


def _emit_plan(
    ws: Workspace, view: dict[str, Any], fmt: PlanFormat, out: Path | None, force: bool, pdf: bool, *, template: str, default_name: str
) -> None:
    from lufa_cli.render import terminal
    from lufa_cli.render.views import to_csv

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
            text = to_csv(rows, [("label", "周次"), ("start", "开始日期"), ("end", "结束日期"), ("no", "序号"), ("id", "单位编号"), ("name", "受监督单位"), ("kind_label", "类别")])
        else:
            text = to_csv(view["rows"], [("month", "月份"), ("week", "周次"), ("start", "开始日期"), ("end", "结束日期"), ("workdays", "工作日数"), ("holidays", "节假日"), ("units", "受监督单位")])
    elif fmt is PlanFormat.md:
        from lufa_cli.render.documents import render_text

        text = render_text(ws.template(f"{template}.md.j2"), view)
    elif fmt is PlanFormat.docx:
        from lufa_cli.render.documents import convert_to_pdf, render_docx

        target = _plan_out(out, default_name, ".docx")
        path = render_docx(ws.template(f"{template}.docx"), view, target, force=force, fonts=ws.settings.fonts)
        say(f"已写入 {display_path(path)}", style="green")
        if pdf:
            pdf_path = convert_to_pdf(path, force=force)
            say(f"已写入 {display_path(pdf_path)}", style="green")
        return
    else:
        if out is not None:
            raise UsageError("表格格式只在终端显示；写入文件请用 --format md、json、csv 或 docx")
        (terminal.show_week if template == "plan-week" else terminal.show_year)(_console(), view)
        return
    if out is not None:
        write_output(("\ufeff" + text) if fmt is PlanFormat.csv and not text.startswith("\ufeff") else text, out, force)
    else:
        sys.stdout.write(text)


from lufa_cli.cli import inspect as cli_inspect  # noqa: E402,F401  (register their commands on `app`)
from lufa_cli.cli import notice as cli_notice  # noqa: E402,F401  (register their commands on `app`)
from lufa_cli.cli import year as cli_year  # noqa: E402,F401  (register their commands on `app`)

# --- entry point ---------------------------------------------------------------------


def _fail(message: str, code: int, diags: list[Diagnostic] | None = None) -> NoReturn:
    print_diagnostics(diags or [])
    _console(stderr=True).print(f"[red]错误：[/red]{_escape(message)}")
    sys.exit(int(code))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: turns every failure into a Chinese message and exit code."""
    from typer._click import exceptions as click_exc

    from lufa_cli.cli import i18n as cli_i18n

    cli_i18n.install()
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if enc and enc not in ("utf8", "gb18030") and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    try:
        rv = app(args=args, prog_name="lufa", standalone_mode=False)
    except click_exc.NoArgsIsHelpError:
        sys.exit(0)
    except click_exc.UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f"\n用 '{exc.ctx.command_path} --help' 查看帮助。"
        _fail(cli_i18n.translate_usage_error(exc.format_message()) + hint, ExitCode.USAGE)
    except typer.Abort:
        say("已中止。", style="red")
        sys.exit(130)
    except LufaError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        _fail(exc.message, exc.exit_code, exc.diagnostics)
    except KeyboardInterrupt:
        say("已中止。", style="red")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001 - last resort: never a bare traceback
        if debug:
            raise
        _fail(f"程序内部错误（{type(exc).__name__}）。请加 --debug 重新运行并把输出报告给维护者。", ExitCode.INTERNAL)
    sys.exit(int(rv or 0))
