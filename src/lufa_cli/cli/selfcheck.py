"""lufa selfcheck: self-inspection receipts and who is missing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from lufa_cli.cli.common import CTX, ForceOpt, ListFormatOpt, OutOpt, clean, console, emit_rows, load, parse_date, say
from lufa_cli.errors import DataError, UsageError
from lufa_cli.workspace.loader import display_path

selfcheck_app = typer.Typer(help="单位自查：登记自查材料，列出未按时自查的单位。", no_args_is_help=True, **CTX)


def _receipts_help() -> str:
    from lufa_cli.records.fieldforms import RECEIPTS_HELP

    return RECEIPTS_HELP


@selfcheck_app.command(
    "record",
    help=f"""登记单位报送了年度自查材料（每年 3 月底前）；--from 从表格一次登记多个单位。

--from 表格（.xlsx 或 .csv）：{_receipts_help()}。先校验全部行，任何一行有误都不写入任何登记。

[bold]示例[/bold]

  lufa selfcheck record 司法局 --date 2026-03-20 \\
      --doc "鲁司〔2026〕5号 自查报告"
  lufa selfcheck record --from 自查材料收文登记.xlsx
""",
)
def selfcheck_record(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Argument(metavar="单位", help="编号、全称或简称（用 --from 时不写）。")] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="收到自查材料的日期，默认今天。")] = None,
    doc: Annotated[str, typer.Option("--doc", metavar="文件", help="自查材料的文号或标题。")] = "",
    note: Annotated[str, typer.Option("--note", metavar="备注", help="备注。")] = "",
    from_file: Annotated[Path | None, typer.Option("--from", metavar="表格", help="收文登记表（.xlsx 或 .csv），每行一个单位，列见上文。")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="以该日期为“今天”校验（默认今天）。")] = None,
    force: Annotated[bool, typer.Option("--force", help="该单位本年度已登记时覆盖。")] = False,
) -> None:
    from contextlib import nullcontext

    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.model.records import SelfCheck
    from lufa_cli.reading.fsio import atomic_write, record_lock
    from lufa_cli.records.store import record_yaml, selfcheck_path

    doc, note = clean(doc, "--doc"), clean(note, "--note")
    ws = load(ctx)
    ws.require_writable()
    today = parse_date(as_of, "--as-of")
    if from_file is not None:
        if unit is not None or date is not None or doc or note:
            raise UsageError("--from 表格已写明单位、日期和材料，不能再写单位、--date、--doc 或 --note")
        todo = _receipts(ws, from_file, today, force)
    else:
        if unit is None:
            raise UsageError("请写明单位，或用 --from 表格批量登记")
        u = resolve_unit(ws.roster.units, unit)
        when = parse_date(date, "--date") if date else today
        if when > today:
            raise UsageError(f"--date：日期 {when} 晚于今天（{today}）")
        todo = [(u, SelfCheck(unit=u.id, year=when.year, date=when, document=doc, note=note))]
    # every record proven readable before the first is written
    texts = [record_yaml(SelfCheck, rec.model_dump(), header="单位自查登记（lufa selfcheck record 生成）") for _, rec in todo]
    for (u, rec), text in zip(todo, texts, strict=True):
        path = selfcheck_path(ws.root, rec.year, u.id)
        with record_lock(path, display_path(path)) if path.exists() else nullcontext():  # a --force replace waits for a rewrite in progress
            atomic_write(path, text, overwrite=force)
        late = "（已超过 3 月 31 日）" if rec.date > dt.date(rec.year, 3, 31) else ""
        say(f"已登记 {u.name} {rec.year} 年自查材料，收到日期 {rec.date}{late}：{display_path(path)}", style="green")
    if from_file is not None:
        say(f"共登记 {len(todo)} 个单位。")


def _receipts(ws, path: Path, today: dt.date, force: bool) -> list:
    """Every receipt of the sheet checked (unit, date, not yet registered) before any is written."""
    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.model.records import SelfCheck
    from lufa_cli.reading.sheets import SHEET_SUFFIXES
    from lufa_cli.records.fieldforms import read_receipts
    from lufa_cli.records.store import selfcheck_path

    if path.suffix.lower() not in SHEET_SUFFIXES:
        raise UsageError(f"--from 的文件“{path.name}”不是 .xlsx 或 .csv 表格")
    receipts, src = read_receipts(path, display_path(path))
    todo = []
    seen: dict[tuple[str, int], int] = {}
    for r in receipts:
        try:
            u = resolve_unit(ws.roster.units, r.unit.text)
        except UsageError as exc:
            src.error(r.unit.pos, exc.message)
            continue
        if r.date > today:
            src.error(r.unit.pos, f"收到日期 {r.date} 晚于今天（{today}）")
            continue
        if (u.id, r.date.year) in seen:
            src.error(r.unit.pos, f"{u.name}在第 {seen[u.id, r.date.year]} 行已登记过 {r.date.year} 年的自查材料")
            continue
        seen[u.id, r.date.year] = r.unit.line
        if not force and selfcheck_path(ws.root, r.date.year, u.id).exists():
            src.error(r.unit.pos, f"{u.name} {r.date.year} 年的自查材料已登记（--force 可覆盖）")
            continue
        todo.append((u, SelfCheck(unit=u.id, year=r.date.year, date=r.date, document=r.document, note=r.note)))
    if not src.ok:
        diags = sorted(src.diagnostics, key=lambda d: (d.line, d.col))
        raise DataError(f"表格 {display_path(path)} 有误，未登记任何单位", diagnostics=diags)
    if not todo:
        raise UsageError(f"表格 {display_path(path)} 中没有要登记的行")
    return todo


@selfcheck_app.command(
    "missing",
    help="""列出截至某日尚未报送年度自查材料的单位（期限：每年 3 月 31 日）。

[bold]示例[/bold]

  lufa selfcheck missing --as-of 2026-04-01
  lufa selfcheck missing --as-of 2026-03-15 --format json
  lufa selfcheck missing --as-of 2026-04-01 -o 未报送自查.xlsx
""",
)
def selfcheck_missing(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="截至日期（默认今天）。")] = None,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="年度，默认为截至日期所在年。", min=2000, max=2099)] = None,
    fmt: ListFormatOpt = "table",
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.records.inspections import require_records

    ws = load(ctx)
    today = parse_date(as_of, "--as-of")
    y = year or today.year
    deadline = dt.date(y, 3, 31)
    rs = require_records(ws, as_of=today)
    filed = {s.unit: s for s in rs.selfchecks if s.year == y}
    rows = [
        {"id": u.id, "name": u.name, "short": u.short, "kind_label": u.kind_label,
         "status": (f"逾期 {(today - deadline).days} 天" if today > deadline else f"距期限 {(deadline - today).days} 天")}
        for u in ws.roster.units if u.id not in filed
    ]
    if fmt == "table" and out is None:
        console().print(f"{y} 年自查期限 {deadline}，截至 {today}：已报送 {len(filed)} 个，未报送 {len(rows)} 个。", soft_wrap=True)
    emit_rows(rows, fmt, [("id", "编号"), ("name", "单位"), ("kind_label", "类别"), ("status", "状态")], title="未报送自查材料的单位", out=out, force=force)
