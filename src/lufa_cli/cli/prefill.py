"""lufa inspect prefill: what the registers show against a unit before a visit (proposed findings)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lufa_cli.cli.common import ForceOpt, OutOpt, console, emit_rows, load, parse_date, say
from lufa_cli.errors import UsageError
from lufa_cli.model.registers import KIND_LABELS
from lufa_cli.workspace.loader import display_path

PREFILL_HELP = """列出登记簿对某单位已经显示的问题（检查前的“问题线索”），每条附证据；可写入现场检查记录表。

检查项目 1.2 执法证件过期、未按期审验、离岗未注销；2 培训不足学时、未考试、试卷未归档、
没有培训计划；4 重大行政处罚逾期备案、未备案、材料不全；6 规范性文件逾期备案、未备案。
只算 --date 当天及以前的登记（晚于它的收到、审查、培训都不算）。

--into 现场记录.xlsx（或 .csv）：生成该单位的现场检查记录表，每条线索作为“拟定问题”写在
对应项目下面一行，问题描述以“【登记簿】”开头、扣分留空。检查组现场核实后：属实的填扣分
（不扣分填 0），不属实的删去问题描述；扣分未填的行，lufa inspect record --from 会拒绝录入
并指出位置，所以每条线索都必须经检查组确认或删去。

[bold]示例[/bold]

  lufa inspect prefill 司法局 --date 2026-11-20
  lufa inspect prefill 司法局 --date 2026-11-20 \\
      --into 现场记录-司法局.xlsx
"""


def inspect_prefill(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(metavar="单位", help="受检单位（编号、全称或简称）。")],
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="检查日期（默认今天）：按这一天的登记情况。")] = None,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="备案和培训的年度，默认为检查日期所在年。")] = None,
    into: Annotated[Path | None, typer.Option("--into", metavar="文件", help="写成现场检查记录表（.xlsx 或 .csv），线索为拟定问题。")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="table、json 或 csv（.xlsx 用 -o）。")] = "table",
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.records.registers import require_registers
    from lufa_cli.render.registers import prefilled_form, unit_evidence

    ws = load(ctx)
    when = parse_date(date, "--date")
    u = resolve_unit(ws.roster.units, unit)
    if into is not None and into.suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError(f"--into 的文件“{into.name}”应以 .xlsx 或 .csv 结尾")
    if into is not None and out is not None:
        raise UsageError("--into 和 -o 只能选一个")
    if year is not None and year > when.year:
        raise UsageError(f"--year {year} 晚于检查日期所在年 {when.year}")
    evidence = unit_evidence(ws, require_registers(ws), u.id, when, year)
    names = {i.id: i.name for i in ws.checklist.items()}
    if into is not None:
        from lufa_cli.cli.common import write_output
        from lufa_cli.records.fieldforms import FORM_COLUMNS, blank_form, form_csv

        form = prefilled_form(blank_form(ws.checklist, u.name, when), evidence)
        if into.suffix.lower() == ".xlsx":
            from lufa_cli.render.xlsx import form_workbook

            data: bytes | str = form_workbook(form, FORM_COLUMNS)
        else:
            data = form_csv(form)
        write_output(data, into, force)
        say(f"{u.name}：登记簿线索 {len(evidence)} 条，已作为拟定问题写入（扣分留空）；现场核实后填扣分或删去问题描述，再运行：lufa inspect record --from {display_path(into)}")
        return
    rows = [{"item": e.item, "item_name": names.get(e.item, ""), "register": KIND_LABELS[e.kind], "entry": e.entry, "evidence": e.text} for e in evidence]
    if fmt == "table" and out is None:
        console().print(f"{u.name}，截至 {when}：登记簿线索 {len(rows)} 条。", markup=False)
        if not rows:
            return
    emit_rows(rows, fmt, [("item", "项目"), ("item_name", "检查内容"), ("register", "登记簿"), ("entry", "登记编号"), ("evidence", "线索")],
              title=f"{u.name} 登记簿线索", out=out, force=force)
