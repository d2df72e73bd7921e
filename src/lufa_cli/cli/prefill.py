"""lufa inspect prefill: what the registers show against a unit before a visit (proposed findings)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lufa_cli.cli.common import ForceOpt, ListFormatOpt, OutOpt, console, emit_rows, load, parse_date, say
from lufa_cli.errors import UsageError
from lufa_cli.model.registers import KIND_LABELS
from lufa_cli.workspace.loader import display_path

PREFILL_HELP = """列出登记簿对某单位已经显示的问题（检查前的“问题线索”），每条附证据；可写入现场检查记录表或检查记录，作为“拟定问题”由检查组确认或删去。

检查项目 1.2 执法证件过期、未按期审验、离岗未注销、遗失未公告；2 培训不足学时、未考试、试卷未归档、
没有培训计划；4 重大行政处罚逾期备案、未备案、材料不全；6 规范性文件逾期备案、未备案。
只算 --date 当天及以前的登记（晚于它的收到、审查、培训都不算）。

--into 现场记录.xlsx（或 .csv、.yaml）：生成该单位的现场检查记录表，每条线索作为“拟定问题”写在
对应项目下面一行，问题描述以“【登记簿】”开头、扣分留空。检查组现场核实后：属实的填扣分
（不扣分填 0），不属实的删去问题描述；扣分未填的行，lufa inspect record --from 会拒绝录入
并指出位置，所以每条线索都必须经检查组确认或删去。

--record 检查记录编号：把线索写进已录入的检查记录（按该记录的检查日期读取登记簿），放在
“拟定问题”（proposed）里，不是问题、不计分、不进文书；用 lufa inspect amend 编号 --confirm 号=扣分
确认（成为一条问题）或 --drop 号 --reason 原因 删去。已写入过的线索不重复写入。

[bold]示例[/bold]

  lufa inspect prefill 司法局 --date 2026-11-20
  lufa inspect prefill 司法局 --date 2026-11-20 \\
      --into 现场记录-司法局.xlsx
  lufa inspect prefill 司法局 --record 2026-11-20-sifaju
"""


def inspect_prefill(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(metavar="单位", help="受检单位（编号、全称或简称）。")],
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="检查日期（默认今天）：按这一天的登记情况。")] = None,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="备案和培训的年度，默认为检查日期所在年。")] = None,
    into: Annotated[Path | None, typer.Option("--into", metavar="文件", help="写成现场检查记录表（.xlsx、.csv 或 .yaml），线索为拟定问题。")] = None,
    record: Annotated[str | None, typer.Option("--record", metavar="编号", help="写进这份检查记录（该单位的），线索为待确认的拟定问题。")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="与 --record 一起用：修改日期（默认今天）。")] = None,
    fmt: ListFormatOpt = "table",
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.records.registers import require_registers
    from lufa_cli.render.registers import prefilled_form, unit_evidence

    ws = load(ctx)
    u = resolve_unit(ws.roster.units, unit)
    if into is not None and into.suffix.lower() not in (".xlsx", ".csv", ".yaml", ".yml"):
        raise UsageError(f"--into 的文件“{into.name}”应以 .xlsx、.csv 或 .yaml 结尾")
    chosen = [name for name, given in (("--into", into is not None), ("--record", record is not None), ("-o", out is not None)) if given]
    if len(chosen) > 1:
        raise UsageError(f"{'、'.join(chosen)} 只能选一个")
    if as_of is not None and record is None:
        raise UsageError("--as-of 只与 --record 一起用（按哪天读取登记簿用 --date）")
    if record is not None:
        _into_record(ws, u, record, date, year, as_of)
        return
    when = parse_date(date, "--date")
    if year is not None and year > when.year:
        raise UsageError(f"--year {year} 晚于检查日期所在年 {when.year}")
    evidence = unit_evidence(ws, require_registers(ws), u.id, when, year)
    names = {i.id: i.name for i in ws.checklist.items()}
    if into is not None:
        from lufa_cli.cli.common import write_output
        from lufa_cli.records.fieldforms import FORM_COLUMNS, blank_form, form_csv, form_yaml

        form = prefilled_form(blank_form(ws.checklist, u.name, when), evidence)
        data: bytes | str
        if into.suffix.lower() == ".xlsx":
            from lufa_cli.render.xlsx import form_workbook

            data = form_workbook(form, FORM_COLUMNS)
        elif into.suffix.lower() == ".csv":
            data = form_csv(form)
        else:
            data = form_yaml(form)
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


class _NothingNew(Exception):
    pass


def _into_record(ws, u, ref: str, date: str | None, year: int | None, as_of: str | None) -> None:
    """The unit's evidence, as of the inspection's date, added to the record as pending proposals."""
    from lufa_cli.records.inspections import add_proposals, find_inspection, require_records, update_inspection
    from lufa_cli.records.registers import require_registers
    from lufa_cli.render.registers import unit_evidence

    ws.require_writable()
    today = parse_date(as_of, "--as-of")
    insp = find_inspection(require_records(ws), ref)
    if insp.unit != u.id:
        raise UsageError(f"检查记录 {insp.id} 是{ws.units_by_id[insp.unit].name}的，不是{u.name}的；没有做任何修改")
    if date is not None and parse_date(date, "--date") != insp.date:
        raise UsageError(f"--record 按检查记录的检查日期 {insp.date} 读取登记簿，--date {date} 与之不符；去掉 --date 即可；没有做任何修改")
    if year is not None and year > insp.date.year:
        raise UsageError(f"--year {year} 晚于检查日期所在年 {insp.date.year}")
    if insp.date > today:
        raise UsageError(f"检查记录 {insp.id} 的检查日期 {insp.date} 晚于今天（{today}）；没有做任何修改")
    evidence = unit_evidence(ws, require_registers(ws), u.id, insp.date, year)

    def change(current):  # the record as on disk, inside its lock: what another lufa added meanwhile counts
        new, n = add_proposals(current, evidence, today=today, as_of=insp.date)
        if n == 0:
            raise _NothingNew
        return new

    path = require_records(ws).paths[insp.id]
    try:
        new = update_inspection(ws, path, change)
    except _NothingNew:
        say(f"{u.name}：登记簿线索 {len(evidence)} 条" + ("，均已写入过检查记录" if evidence else "") + f" {insp.id}，没有新的拟定问题；记录未改动")
        return
    pending = [p for p in new.proposed if p.pending]
    say(f"已写入检查记录 {new.id}：{new.amendments[-1].summary}（{display_path(path)}）", style="green")
    say(f"拟定问题不计分；核实后确认或删去：lufa inspect amend {new.id} --confirm {pending[0].id}=扣分 或 --drop {pending[0].id} --reason 原因"
        f"（待确认 {len(pending)} 条，lufa inspect show {new.id} 可查）")
