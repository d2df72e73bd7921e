"""Top-level commands about the workspace: check, units, init, status."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from lufa_cli.cli.common import (
    CTX,
    CheckFormat,
    ForceOpt,
    OutOpt,
    TableFormat,
    calendar_warnings,
    clean,
    console,
    echo,
    emit_rows,
    load,
    locate,
    note_bundled,
    parse_date,
    print_diagnostics,
    records_cache,
    say,
)
from lufa_cli.errors import Diagnostic, ExitCode, UsageError
from lufa_cli.workspace.loader import (
    ORIGIN_LABELS,
    display_path,
    load_workspace,
)

commands = typer.Typer(**CTX)  # registered on the root app by cli.app


@commands.command(
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
    from lufa_cli.workspace.cache import data_cache_file

    where_ = locate(ctx)
    root, origin = where_.data, where_.origin
    cache = records_cache(ctx, root)
    ws, diags = load_workspace(root, origin, cache=data_cache_file(cache))
    if origin == "bundled":
        note_bundled()
    records = None
    if ws is not None:
        from lufa_cli.records.inspections import load_records
        from lufa_cli.records.reviews import load_reviews

        ws.records_cache = cache
        from lufa_cli.records.registers import load_registers

        records = load_records(ws)
        reviews = load_reviews(ws)
        registers = load_registers(ws)
        from lufa_cli.workspace.checks import template_warnings

        diags = diags + records.diagnostics + _calendar_diagnostics(ws, records) + reviews.diagnostics + registers.diagnostics
        diags += list(template_warnings(ws))
    errors = [d for d in diags if d.severity == "error"]
    summary: dict[str, Any] = {"ok": not errors, "data": display_path(root), "origin": origin}
    if records is not None:
        summary.update(inspections=len(records.inspections), selfchecks=len(records.selfchecks), spotchecks=len(records.spotchecks),
                       reviews=len(reviews.reviews), registers=registers.count())
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
        echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print_diagnostics(diags)
        if not errors:
            echo(
                f"数据无误：{summary['units']} 个单位（县直单位 {summary['county']}、乡镇 {summary['township']}），"
                f"{summary['slots']} 个检查周，每个单位均已安排"
                + (f"（免检 {summary['exempt']} 个）" if summary["exempt"] else "")
                + (f"；另有年度计划表 {'、'.join(f'{y} 年' for y in summary['year_schedules'])}" if summary["year_schedules"] else "")
                + f"；检查内容 {summary['categories']} 类 {summary['items']} 项，共 {summary['points']} 分；"
                f"记录：检查 {summary['inspections']} 份、自查 {summary['selfchecks']} 份"
                + (f"、案卷评查 {summary['reviews']} 份" if summary["reviews"] else "")
                + (f"、登记簿 {summary['registers']} 条" if summary["registers"] else "") + "。"
                f"数据目录：{summary['data']}（{ORIGIN_LABELS[origin]}）"
            )
        else:
            say(f"共发现 {len(errors)} 个问题，请逐条修改后重新运行 lufa check。", style="red")
    if errors:
        raise typer.Exit(ExitCode.DATA)


def _calendar_diagnostics(ws, records) -> list[Diagnostic]:
    """A warning when a running deadline lies in a year the official calendar does not cover."""
    from lufa_cli.domain.workcal import WorkCalendar, guessed_warnings
    from lufa_cli.model.notices import open_deadlines
    from lufa_cli.records.notices import notices_dir

    folder = display_path(notices_dir(ws.root))
    return [Diagnostic(folder, 0, 0, w, "warning") for w in guessed_warnings(WorkCalendar(ws.calendar), open_deadlines(records.notices))]


@commands.command(
    help="""显示本次运行使用的工作区、数据目录、模板目录和输出目录，以及是怎样找到的。

查找顺序：--data 目录（工作区根目录或其 data/ 均可）→ 环境变量 LUFA_DATA → 从当前目录向上
查找工作区（含 .lufa-workspace 标记文件或 data/ 数据文件的目录）→ 内置鲁山县数据（只读）。

[bold]示例[/bold]

  lufa where
  lufa where --format json
"""
)
def where(
    ctx: typer.Context,
    fmt: Annotated[CheckFormat, typer.Option("--format", metavar="格式", help="输出格式：text 或 json。")] = CheckFormat.text,
) -> None:
    from lufa_cli.workspace.workspace import bundled_root

    loc = locate(ctx)
    bundled = loc.origin == "bundled"
    view = {
        "workspace": None if bundled else os.path.abspath(loc.home),
        "data": os.path.abspath(loc.data),
        "templates": os.path.abspath(bundled_root() / "templates" if bundled else loc.home / "templates"),
        "output": os.path.abspath(Path("output") if bundled else loc.home / "output"),
        "origin": loc.origin,
        "how": loc.how,
        "writable": not bundled,
    }
    if fmt is CheckFormat.json:
        echo(json.dumps(view, ensure_ascii=False, indent=2))
        return
    echo(
        f"工作区：{view['workspace'] or '（无，使用内置数据）'}\n"
        f"数据目录：{view['data']}{'（只读）' if bundled else ''}\n"
        f"模板目录：{view['templates']}\n"
        f"输出目录：{view['output']}\n"
        f"查找方式：{loc.how}"
    )


@commands.command(
    help="""列出单位名册（受监督单位）。

[bold]示例[/bold]

  lufa units
  lufa units 司法局               查一个单位（编号、全称或简称均可）
  lufa units --kind township
  lufa units -o 单位名册.xlsx
  lufa units --format csv > 单位名册.csv
"""
)
def units(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(metavar="单位", help="只显示这个单位：编号、全称或简称。")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", metavar="类别", help="只列某类：county（县直单位）或 township（乡镇）。")
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", metavar="格式", help="输出格式：table、json、csv 或 xlsx（xlsx 用 -o 写入文件或重定向）。")] = TableFormat.table,
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.render.views import units_view

    ws = load(ctx)
    if kind not in (None, "county", "township"):
        raise UsageError(f"--kind 的值“{kind}”无效，可选：county（县直单位）、township（乡镇）")
    rows = [r for r in units_view(ws) if kind is None or r["kind"] == kind]
    if query is not None:
        from lufa_cli.domain.roster import resolve_unit

        wanted = resolve_unit(ws.roster.units, query).id
        rows = [r for r in rows if r["id"] == wanted]
    columns = [("no", "序号"), ("id", "编号"), ("name", "全称"), ("short", "简称"), ("kind_label", "类别"), ("slot", "检查周"), ("exempt", "免检原因")]
    if fmt is not TableFormat.table or out is not None:
        emit_rows(rows, fmt.value, columns, title="单位名册", out=out, force=force)
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
        console().print(t)


@commands.command(
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
    contact: Annotated[str | None, typer.Option("--contact", metavar="姓名", help="文书末尾的联系人（settings.yaml 的 contact.name）；不写时在终端里询问。")] = None,
) -> None:
    from lufa_cli.workspace.init import init_workspace

    if contact is None and sys.stdin is not None and sys.stdin.isatty():
        contact = typer.prompt("文书末尾的联系人姓名（可直接回车，之后在 data/settings.yaml 的 contact.name 填写）", default="", show_default=False)
    contact = clean(contact, "--contact") if contact else ""
    created = init_workspace(directory, contact=contact)
    out = console()
    out.print(f"已建立工作区 {display_path(directory)}：", style="green", markup=False)
    for p in created:
        out.print(f"  {display_path(p)}", markup=False)
    if not contact:
        out.print("注意：data/settings.yaml 的 contact.name（联系人）还没有填写，填写前不能下达文书。", style="yellow", markup=False)
    out.print(f"下一步：cd {directory} && git init && git add . && git commit -m \"初始数据\"；之后在该目录下运行 lufa check。", soft_wrap=True, markup=False)


@commands.command(
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

    view = status_view(ws, require_records(ws, as_of=today), today)
    calendar_warnings(view["warnings"])
    from lufa_cli.records.registers import require_registers
    from lufa_cli.render.registers import register_status

    view["registers"] = register_status(ws, require_registers(ws), today)
    if fmt == "json":
        echo(json.dumps(view, ensure_ascii=False, indent=2))
    elif fmt == "table":
        from lufa_cli.render.terminal import show_status

        show_status(console(), view)
    else:
        raise UsageError(f"--format 的值“{fmt}”无效，可选：table、json")
