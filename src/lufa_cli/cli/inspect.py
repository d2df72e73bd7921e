"""lufa inspect: record, list, show and amend inspections."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer

from lufa_cli.cli.common import (
    CTX,
    ForceOpt,
    ListFormatOpt,
    OutOpt,
    clean,
    console,
    echo,
    emit_rows,
    first_error,
    fmt_cell,
    load,
    parse_date,
    parse_requirements,
    print_diagnostics,
    resolve_office,
    say,
    write_output,
)
from lufa_cli.errors import DataError, UsageError
from lufa_cli.workspace.loader import display_path

inspect_app = typer.Typer(help="检查记录：录入、列出、查看、修改。", no_args_is_help=True, **CTX)


KIND_HELP = "检查类别：日常监督、年中抽查、年终总结、回头看。"
TYPE_HELP = "监督类型（《行政执法监督条例》）：日常监督、重点监督、专项监督。"


def check_type(value: str) -> None:
    from lufa_cli.model.records import SUPERVISION_TYPES

    if value not in SUPERVISION_TYPES:
        raise UsageError(f"--type 的值“{value}”无效，可选：{'、'.join(SUPERVISION_TYPES)}")


def _fieldform_help() -> str:
    from lufa_cli.records.fieldforms import COLUMNS_HELP

    return COLUMNS_HELP


def _build_checked(*args, **kwargs):
    """build_inspection, with model errors as usage errors (never a traceback)."""
    from lufa_cli.model.records import Inspection
    from lufa_cli.records.inspections import build_inspection

    try:
        return build_inspection(*args, **kwargs)
    except ValueError as exc:
        raise UsageError(f"检查记录无效：{first_error(exc, Inspection)}") from None


def _problems_to_usage(problems: list[tuple[tuple, str, str]], option_of: dict[str, str]) -> None:
    errors = []
    for loc, message, severity in problems:
        opt = option_of.get(str(loc[-1]) if loc else "", option_of.get(str(loc[0]) if loc else "", ""))
        text = f"{opt}：{message}" if opt else message
        if severity == "warning":
            say(f"警告：{text}", style="yellow")
        else:
            errors.append(text)
    if errors:
        raise UsageError("；\n".join(errors) if len(errors) > 1 else errors[0])


NO_INPUT = ("没有可读的输入：--interactive 逐项提问，要在终端上回答（或由管道给出全部回答）；"
            "不在终端上时用 --item、--deduction、--finding 等选项或 --from 现场记录表录入")


def _ask(question: str, *, number: bool = False, **kwargs: Any) -> Any:
    """One question of --interactive, in Chinese (Rich's own messages are English); no answer at
    all (end of input) is refused with NO_INPUT, never taken as an empty one."""
    from rich.prompt import FloatPrompt, Prompt

    class ChinesePrompt(Prompt):
        illegal_choice_message = "[prompt.invalid.choice]请从给出的选项中选择"
        validate_error_message = "[prompt.invalid]输入无效，请重新输入"

    class ChineseFloatPrompt(FloatPrompt):
        validate_error_message = "[prompt.invalid]请输入数字"

    try:
        return (ChineseFloatPrompt if number else ChinesePrompt).ask(question, console=console(), **kwargs)
    except (EOFError, OSError, RuntimeError):  # RuntimeError: input() without a stdin at all (<&-)
        raise UsageError(NO_INPUT) from None


def _yes_no(question: str, *, default: bool) -> bool:
    from lufa_cli.cli.common import ask_yes_no

    try:
        return ask_yes_no(question, default=default)
    except UsageError:  # its message tells to add --yes, which answers no question here
        raise UsageError(NO_INPUT) from None


def _prompt_header(ws, inspectors, office, methods):
    """Ask for whatever of inspectors, office and methods was not given as an option."""
    from lufa_cli.reading.textclean import clean_text

    con = console()
    while not inspectors:
        names = _ask("检查人员（多人用顿号或空格分隔，可直接回车）", default="", show_default=False)
        try:
            inspectors = [n for n in (clean_text(x) for x in names.replace("、", " ").replace(",", " ").split()) if n]
            break
        except ValueError as exc:
            con.print(f"检查人员{exc}", style="red", markup=False)
    if office is None:
        for o in ws.checklist.offices:
            con.print(f"  {o.id}  {o.name}", markup=False)
        while True:  # the name, the id or a fragment of the name, as --office takes
            choice = _ask("牵头科室（名称或编号，可直接回车）", default="", show_default=False).strip()
            if not choice:
                break
            try:
                office = resolve_office(ws, choice, option="牵头科室")
                break
            except UsageError as exc:
                con.print(exc.message, style="red", markup=False)
    if not methods:
        for i, m in enumerate(ws.checklist.methods, start=1):
            con.print(f"  {i}. {m}", markup=False)
        while True:
            picked = _ask("检查方式（序号，多个用空格分隔，可直接回车）", default="", show_default=False)
            try:
                methods = [ws.checklist.methods[int(x) - 1] for x in picked.replace(",", " ").split()]
                if all(int(x) >= 1 for x in picked.replace(",", " ").split()):
                    break
            except (ValueError, IndexError):
                pass
            con.print("请输入上面列出的序号", style="red")
    return inspectors, office, methods


def _prompt_findings(ws) -> list[Any]:
    """Walk the checklist categories and ask for findings (Rich prompts on the terminal)."""
    from rich.markup import escape

    from lufa_cli.reading.textclean import clean_text
    from lufa_cli.records.inspections import FindingInput

    con = console()
    items = {i.id: i for i in ws.checklist.all_items()}
    findings: list[FindingInput] = []
    con.print("逐类录入发现的问题；没有问题直接回车。", style="bold")
    for cat in ws.checklist.categories:
        con.print(f"\n[bold]{cat.no}. {escape(cat.name)}[/bold]（{cat.points}分）")
        while _yes_no("  本类有问题吗", default=False):
            if len(cat.items) == 1:
                item = cat.items[0]
            else:
                choices = [i.id for i in cat.items]
                for i in cat.items:
                    con.print(f"    {i.id} {i.name}（{i.points}分）", markup=False)
                item = items[_ask("  检查项目", choices=choices)]
            description = ""
            while not description:
                try:
                    description = clean_text(_ask("  问题描述"))
                except ValueError as exc:
                    con.print(f"  问题描述{exc}", style="red", markup=False)
            while True:
                deduction = _ask(f"  扣分（0—{item.points}，直接回车为 0）", number=True, default=0.0, show_default=False)
                if 0 <= deduction <= item.points and (deduction * 2).is_integer():
                    break
                con.print(f"  扣分应在 0 到 {item.points} 之间，且为 0.5 的整数倍", style="red")
            while True:
                try:
                    case = clean_text(_ask("  涉及案卷文号（没有直接回车）", default="", show_default=False)) or None
                    break
                except ValueError as exc:
                    con.print(f"  案卷文号{exc}", style="red", markup=False)
            while True:
                try:
                    requirement = clean_text(_ask("  整改要求（没有直接回车）", default="", show_default=False))
                    break
                except ValueError as exc:
                    con.print(f"  整改要求{exc}", style="red", markup=False)
            fixed = _yes_no("  已立行立改", default=False)
            findings.append(FindingInput(item=item.id, deduction=deduction, description=description, requirement=requirement,
                                         case=case, fixed_on_spot=fixed))
    return findings


def _finding_groups(items, deductions, findings, cases, case_names, fixed: bool, occurrences=None) -> list:
    """The findings given as options: one --item/--deduction/--finding group each, paired in
    order; refused when the counts do not pair up (never a silently dropped group)."""
    from lufa_cli.records.inspections import FindingInput

    items = [clean(x, "--item", required=True) for x in items or []]
    texts = [clean(x, "--finding", required=True) for x in findings or []]
    deductions = list(deductions or [])
    cases = [clean(x, "--case") for x in cases or []]
    case_names = [clean(x, "--case-name") for x in case_names or []]
    occurrences = list(occurrences or [])
    counts = (len(items), len(deductions), len(texts))
    if not any(counts):
        if cases or case_names or fixed:
            raise UsageError("--case、--case-name 和 --fixed 要和 --item、--deduction、--finding 一起用")
        if occurrences:
            raise UsageError("--count 要和 --item、--deduction、--finding 一起用")
        return []
    if len(set(counts)) != 1:
        raise UsageError(
            f"每条问题需要一组 --item、--deduction 和 --finding：现有 --item {counts[0]} 个、--deduction {counts[1]} 个、"
            f"--finding {counts[2]} 个，无法一一对应；未写入任何记录"
        )
    n = counts[0]
    for values, option in ((cases, "--case"), (case_names, "--case-name"), (occurrences, "--count")):
        if values and len(values) != n:
            raise UsageError(f"{option} 有 {len(values)} 个，问题有 {n} 条：请每条问题写一个，或都不写")
    if fixed and n > 1:
        raise UsageError("--fixed 只能用于一条问题；多条问题的立行立改请用 --from 记录表逐条填写")
    for c in occurrences:
        if c < 1:
            raise UsageError(f"--count 的值 {c} 无效：处数应为正整数")
    out = []
    for i in range(n):
        d = deductions[i]
        if d < 0 or not (d * 2).is_integer():
            raise UsageError(f"--deduction 的值 {d} 无效：扣分应为非负数，且为 0.5 的整数倍")
        try:
            out.append(FindingInput(item=items[i], deduction=d, description=texts[i], count=occurrences[i] if occurrences else 1,
                                    case=cases[i] if cases else None,
                                    case_name=case_names[i] if case_names else None, fixed_on_spot=fixed))
        except ValueError as exc:  # pydantic: deduction above 100, malformed item id …
            raise UsageError(f"--item/--deduction/--finding 无效：{first_error(exc, FindingInput)}") from None
    return out


@inspect_app.command(
    "record",
    help=f"""录入一次检查：单位、日期、类别、检查人员、科室、检查方式和发现的问题。

三种方式：用选项录入一条问题（--item/--deduction/--finding）；用 --from 读取在现场填好的
记录表（.xlsx、.csv 或 .yaml，空白表由 lufa inspect form 生成）；或用 --interactive 按检查内容
逐类提问。写入前全部校验：未知的检查项目、扣分超过分值、将来的日期都会拒绝，不写任何文件；
不在计划周的日常监督只给警告（补查可加 --ack-out-of-plan 注明已知悉；
--type 重点监督、专项监督 不受计划周限制，不提示）；年中抽查的单位不在抽查名单中时给警告。

记录表：{_fieldform_help()}。

[bold]示例[/bold]

  lufa inspect record 司法局 --date 2026-04-13 --inspector 张三 \\
      --office jiandu --item 3.3 --deduction 2 \\
      --finding 执法记录仪未全程开启
  lufa inspect record 司法局 --date 2026-04-13 --item 4 --deduction 1 \\
      --finding 案卷未按规范立卷 --requirement 1=按立卷规范重新装订
  lufa inspect record --from 现场记录.xlsx
  lufa inspect record 张良镇 --date 2026-03-03 --from 问题清单.csv
  lufa inspect record 司法局 --interactive
  lufa inspect record 市场监督管理局 --date 2026-06-18 --type 重点监督 \\
      --item 5 --deduction 2 --finding 群众反映的处罚程序问题属实
""",
)
def inspect_record(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Argument(metavar="单位", help="编号、全称或简称（记录表已写受检单位时可省略）。")] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="检查日期，默认今天。")] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar="类别", help=KIND_HELP + "默认日常监督。")] = None,
    type_: Annotated[str | None, typer.Option("--type", metavar="监督类型", help=TYPE_HELP + "默认日常监督。")] = None,
    inspectors: Annotated[list[str] | None, typer.Option("--inspector", metavar="姓名", help="检查人员，可重复。")] = None,
    office: Annotated[str | None, typer.Option("--office", metavar="科室", help="牵头科室：名称或编号，如 行政执法协调监督室 或 jiandu。")] = None,
    methods: Annotated[list[str] | None, typer.Option("--method", metavar="方式", help="检查方式，可重复。")] = None,
    item: Annotated[list[str] | None, typer.Option("--item", metavar="项目", help="问题对应的检查项目编号，如 3.3；每条问题一组 --item/--deduction/--finding，可重复。")] = None,
    deduction: Annotated[list[float] | None, typer.Option("--deduction", metavar="分", help="扣分，与 --item 一一对应。")] = None,
    finding: Annotated[list[str] | None, typer.Option("--finding", metavar="描述", help="问题描述，与 --item 一一对应。")] = None,
    count: Annotated[list[int] | None, typer.Option("--count", metavar="处数", help="问题出现的处数，扣分为 扣分×处数（每条问题一个，或都不写＝1）。")] = None,
    case: Annotated[list[str] | None, typer.Option("--case", metavar="文号", help="涉及的案卷文号（多条问题时每条一个，或都不写）。")] = None,
    case_name: Annotated[list[str] | None, typer.Option("--case-name", metavar="名称", help="涉及的案件名称（同上）。")] = None,
    fixed: Annotated[bool, typer.Option("--fixed", help="该问题已立行立改（只用于一条问题）。")] = False,
    requirement: Annotated[list[str] | None, typer.Option("--requirement", metavar="序号=要求", help="第几条问题（本次 --item/--deduction/--finding 的第几组）的整改要求，如 1=按立卷规范重新装订；下达意见书时印在该条之后。可重复。")] = None,
    from_file: Annotated[Path | None, typer.Option("--from", metavar="文件", help="现场记录表（.xlsx、.csv 或 .yaml，列见上文）。")] = None,
    interactive: Annotated[bool, typer.Option("--interactive", "-i", help="按检查内容逐类提问录入。")] = False,
    note: Annotated[str | None, typer.Option("--note", metavar="备注", help="备注。")] = None,
    ack_out_of_plan: Annotated[bool, typer.Option("--ack-out-of-plan", help="注明已知悉本次检查不在计划周（补查、调整），lufa check 不再提示。")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="--interactive 录完后不再确认，直接保存。")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="以该日期为“今天”校验（默认今天）。")] = None,
    again: Annotated[bool, typer.Option("--again", help="该单位当天已有检查记录时，另存为同一天的又一次检查。")] = False,
) -> None:
    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.records.fieldforms import FORM_SUFFIXES, read_form
    from lufa_cli.records.inspections import FindingInput, inspection_problems, sheet_from, write_new_inspection

    note = clean(note, "--note")
    inspectors = [clean(x, "--inspector", required=True) for x in inspectors or []] or None
    methods = [clean(x, "--method", required=True) for x in methods or []] or None
    groups = _finding_groups(item, deduction, finding, case, case_name, fixed, count)
    requirements = parse_requirements(requirement or [])
    if requirements and not groups:
        raise UsageError("--requirement 要和 --item、--deduction、--finding 一起用（序号为本次录入的第几条问题）；用 --from 记录表时请填“整改要求”列")
    over = sorted(k for k in requirements if not 1 <= k <= len(groups))
    if over:
        raise UsageError(f"--requirement 的序号 {'、'.join(map(str, over))} 超出范围：本次录入共 {len(groups)} 条问题"
                         "（序号即第几组 --item/--deduction/--finding）")
    groups = [g.model_copy(update={"requirement": requirements[i]}) if i in requirements else g for i, g in enumerate(groups, 1)]
    ws = load(ctx)
    ws.require_writable()
    today = parse_date(as_of, "--as-of")
    u = resolve_unit(ws.roster.units, unit) if unit is not None else None
    if u is None and from_file is None:
        raise UsageError("请写明受检单位（编号、全称或简称），如 lufa inspect record 司法局 …")
    if office is not None:
        office = resolve_office(ws, office)
    if from_file is not None and from_file.suffix.lower() not in FORM_SUFFIXES:
        raise UsageError(f"--from 的文件“{from_file.name}”不是 .xlsx、.csv 或 .yaml 记录表")
    modes = sum([bool(groups), from_file is not None, interactive])
    if modes > 1:
        raise UsageError("--item/--finding、--from 和 --interactive 只能用一种")
    sheet = None
    if from_file is not None:
        data, src = read_form(from_file, display_path(from_file))
        if data is not None and isinstance(data.get("office"), str):  # the sheet may name the office
            try:
                data["office"] = resolve_office(ws, data["office"], option="牵头科室")
            except UsageError as exc:
                src.error(("office",), exc.message)
                del data["office"]
        sheet = sheet_from(data, src) if data is not None else None
        if sheet is not None:
            for loc, message, severity in inspection_problems(ws, {**sheet.model_dump(), "unit": None}, as_of=None):
                src.error(loc, message, severity=severity)
            if sheet.unit is not None:
                try:
                    named = resolve_unit(ws.roster.units, sheet.unit)
                    if u is None:
                        u = named
                    elif named.id != u.id:
                        src.error(("unit",), f"记录表中的单位“{sheet.unit}”与命令行的“{unit}”不一致")
                except UsageError as exc:
                    src.error(("unit",), exc.message)
            elif u is None:
                src.error(("unit",), "记录表没有填受检单位，命令行也没有写单位")
        if not src.ok or sheet is None:
            raise DataError(f"记录表 {display_path(from_file)} 有误，未写入任何记录", diagnostics=src.diagnostics)
        print_diagnostics([d for d in src.diagnostics if d.severity == "warning"])
    findings: list[FindingInput]
    if groups:
        findings = groups
    elif sheet is not None:
        findings = list(sheet.findings)
    elif interactive:
        inspectors, office, methods = _prompt_header(ws, inspectors, office, methods)
        findings = _prompt_findings(ws)
    else:
        findings = []
    when = parse_date(date, "--date") if date is not None else (sheet.date if sheet and sheet.date else today)
    kind_value = kind or (sheet.kind if sheet and sheet.kind else "日常监督")
    from lufa_cli.model.records import INSPECTION_KINDS

    if kind_value not in INSPECTION_KINDS:
        raise UsageError(f"--kind 的值“{kind_value}”无效，可选：{'、'.join(INSPECTION_KINDS)}")
    type_value = type_ or (sheet.type if sheet and sheet.type else "日常监督")
    check_type(type_value)
    assert u is not None  # a record without a unit was refused above
    insp = _build_checked(
        u.id, when, kind_value, type=type_value,
        inspectors=inspectors or (sheet.inspectors if sheet else []),
        office=office or (sheet.office if sheet else None),
        methods=methods or (sheet.methods if sheet else []),
        findings=findings,
        note=note if note is not None else (sheet.note if sheet else ""),
        acknowledged=["out_of_plan_week"] if ack_out_of_plan else [],
    )
    _problems_to_usage(
        inspection_problems(ws, insp, as_of=today),
        {"item": "--item", "deduction": "--deduction", "count": "--count", "date": "--date", "office": "--office", "methods": "--method", "unit": "单位", "kind": "--kind"},
    )
    if interactive and not yes:
        _print_inspection(ws, insp, heading="\n[bold]请核对：[/bold]")
        if not _yes_no("保存这份检查记录吗", default=True):
            say("未保存，没有写入任何记录。", style="yellow")
            return
    rec, path = write_new_inspection(ws, insp, again=again)
    say(f"已写入检查记录 {rec.id}（{len(rec.findings)} 条问题）：{display_path(path)}", style="green")
    open_ = [f for f in rec.active_findings() if not f.fixed_on_spot]
    if open_:
        say(f"下一步：{len(open_)} 条问题未立行立改，下达意见书：lufa notice issue --inspection {rec.id}")


@inspect_app.command(
    "form",
    help=f"""生成空白的现场检查记录表（.xlsx、.csv 或 .yaml，按 -o 的后缀），供检查组在现场填写。

每个检查项目一行，附检查内容、分值和检查要点作提示；表头有受检单位、检查日期、检查人员、
牵头科室、检查方式。填好后用 lufa inspect record --from 文件 录入。

{_fieldform_help()}。

[bold]示例[/bold]

  lufa inspect form 司法局 --date 2026-04-13 -o 现场记录-司法局.xlsx
  lufa inspect form -o 现场记录.csv
  lufa inspect record --from 现场记录-司法局.xlsx
""",
)
def inspect_form(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Argument(metavar="单位", help="受检单位（编号、全称或简称）；不写则表头留空。")] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="检查日期；不写则表头留空。")] = None,
    out: Annotated[Path, typer.Option("-o", "--output", metavar="文件", help="输出文件：.xlsx、.csv 或 .yaml。")] = ...,  # type: ignore[assignment]
    force: ForceOpt = False,
) -> None:
    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.records.fieldforms import FORM_COLUMNS, blank_form, form_csv, form_yaml

    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".yaml", ".yml"):
        raise UsageError(f"-o 的文件“{out.name}”应以 .xlsx、.csv 或 .yaml 结尾")
    ws = load(ctx)
    name = resolve_unit(ws.roster.units, unit).name if unit is not None else ""
    when = parse_date(date, "--date") if date is not None else None
    form = blank_form(ws.checklist, name, when)
    if suffix == ".xlsx":
        from lufa_cli.render.xlsx import form_workbook

        data: bytes | str = form_workbook(form, FORM_COLUMNS)
    elif suffix == ".csv":
        data = form_csv(form)
    else:
        data = form_yaml(form)
    write_output(data, out, force)
    say(f"共 {len(form.rows)} 个检查项目；填好后运行：lufa inspect record --from {display_path(out)}")


@inspect_app.command(
    "list",
    help="""列出检查记录。

[bold]示例[/bold]

  lufa inspect list
  lufa inspect list --year 2026 --unit 司法局
  lufa inspect list --type 重点监督 --format csv
  lufa inspect list --format json
  lufa inspect list --year 2026 -o 检查记录.xlsx
""",
)
def inspect_list(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="只列该年。", min=2000, max=2099)] = None,
    unit: Annotated[str | None, typer.Option("--unit", metavar="单位", help="只列该单位。")] = None,
    type_: Annotated[str | None, typer.Option("--type", metavar="监督类型", help="只列该监督类型：日常监督、重点监督、专项监督。")] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar="类别", help="只列该类别：日常监督、年中抽查、年终总结、回头看。")] = None,
    fmt: ListFormatOpt = "table",
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.model.records import INSPECTION_KINDS
    from lufa_cli.records.inspections import require_records

    if type_ is not None:
        check_type(type_)
    if kind is not None and kind not in INSPECTION_KINDS:
        raise UsageError(f"--kind 的值“{kind}”无效，可选：{'、'.join(INSPECTION_KINDS)}")
    ws = load(ctx)
    rs = require_records(ws)
    uid = resolve_unit(ws.roster.units, unit).id if unit else None
    bonus = {i.id for i in ws.checklist.bonus_items()}
    rows = []
    for i in rs.inspections:
        if (year and i.date.year != year) or (uid and i.unit != uid) or (type_ and i.type != type_) or (kind and i.kind != kind):
            continue
        active = i.active_findings()
        rows.append({
            "id": i.id, "date": i.date.isoformat(), "unit": i.unit, "unit_name": ws.units_by_id[i.unit].name, "unit_short": ws.units_by_id[i.unit].short,
            "kind": i.kind, "type": i.type, "findings": len(active), "deductions": sum(f.deduction * f.count for f in active if f.item not in bonus),
            "open": sum(1 for f in active if not f.fixed_on_spot),
        })
    emit_rows(rows, fmt, [("id", "编号"), ("unit_short", "单位"), ("kind", "类别"), ("type", "监督类型"), ("findings", "问题"), ("deductions", "扣分"), ("open", "待整改")],
              title=f"检查记录（{len(rows)} 份）", out=out, force=force)


@inspect_app.command(
    "missing",
    help="""列出计划周已过、还没有日常监督记录的单位（本年度，截至 --as-of）。

与 lufa inspect list 不同：那里列的是已有的检查记录，这里列的是该查而没有记录的单位。

[bold]示例[/bold]

  lufa inspect missing
  lufa inspect missing --as-of 2026-06-30 -o 未检查单位.xlsx
""",
)
def inspect_missing(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="截至日期（默认今天）。")] = None,
    fmt: ListFormatOpt = "table",
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.records.inspections import require_records
    from lufa_cli.render.dashboard import not_inspected

    ws = load(ctx)
    today = parse_date(as_of, "--as-of")
    planned, rows = not_inspected(ws, require_records(ws), today)
    if fmt == "table" and out is None:
        console().print(f"{today.year} 年截至 {today}：计划周已过的 {planned} 个单位中，{len(rows)} 个还没有日常监督记录。", soft_wrap=True)
    emit_rows(rows, fmt, [("id", "编号"), ("name", "单位"), ("kind_label", "类别"), ("week", "计划周"), ("end", "计划周末日"), ("days_since", "已过天数")],
              title="计划周已过、尚未检查的单位", out=out, force=force)


@inspect_app.command(
    "show",
    help="""显示一份检查记录的全部内容。

[bold]示例[/bold]

  lufa inspect show 2026-04-13-sifaju
  lufa inspect show 2026-04-13-sifaju --format json
""",
)
def inspect_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="编号", help="检查记录编号（可只写能唯一确定的一段）。")],
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="text 或 json。")] = "text",
) -> None:
    from lufa_cli.records.inspections import find_inspection, require_records

    ws = load(ctx)
    rs = require_records(ws)
    insp = find_inspection(rs, ref)
    if fmt == "json":
        echo(json.dumps(insp.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    if fmt != "text":
        raise UsageError(f"--format 的值“{fmt}”无效，可选：text、json")
    _print_inspection(ws, insp)


def _print_inspection(ws, insp, *, heading: str | None = None) -> None:
    from rich.markup import escape

    con = console()
    if heading:
        con.print(heading)
    items = {i.id: i for i in ws.checklist.all_items()}
    bonus = {i.id for i in ws.checklist.bonus_items()}
    office = ws.checklist.office(insp.office) if insp.office else None
    con.print(f"[bold]{escape(insp.id)}[/bold]  {escape(ws.units_by_id[insp.unit].name)}  {insp.date}  {insp.kind}" + (f"  {insp.type}" if insp.type != insp.kind else ""))
    con.print(f"检查人员：{escape('、'.join(insp.inspectors) or '（未填）')}；科室：{escape(office.name if office else '（未填）')}；检查方式：{escape('、'.join(insp.methods) or '（未填）')}")
    if not insp.findings:
        con.print("未发现问题。")
    for f in insp.findings:
        item = items.get(f.item)
        flags = []
        if f.fixed_on_spot:
            flags.append("已立行立改")
        if f.withdrawn:
            flags.append(f"已撤销：{f.withdrawn}")
        case = f"（案卷：{f.case_name or ''}{f.case or ''}）" if (f.case or f.case_name) else ""
        cost = f"{'加' if f.item in bonus else '扣'} {fmt_cell(f.deduction * f.count)} 分" + (f"（{f.count} 处×{fmt_cell(f.deduction)}）" if f.count > 1 else "")
        con.print(f"  {f.id}. [{f.item} {escape(item.name if item else '?')}] {cost}：{escape(f.description)}{escape(case)}" + (f"  [dim]{escape('；'.join(flags))}[/dim]" if flags else ""), soft_wrap=True)
        if f.requirement:
            con.print(f"     整改要求：{escape(f.requirement)}", soft_wrap=True)
    if insp.proposed:
        con.print("登记簿拟定问题（确认前不计分）：")
    for p in insp.proposed:
        item = items.get(p.item)
        state = ("待确认或删去" if p.pending else f"已确认为第 {p.finding} 条问题" if p.finding is not None else f"已删去：{p.dropped}")
        con.print(f"  拟{p.id}. [{p.item} {escape(item.name if item else '?')}] {escape(p.evidence)}（登记簿截至 {p.as_of}）  [dim]{escape(state)}[/dim]", soft_wrap=True)
    if insp.note:
        con.print(f"备注：{escape(insp.note)}")
    if "out_of_plan_week" in insp.acknowledged:
        con.print("已注明知悉：不在计划周的补查")
    for a in insp.amendments:
        con.print(f"[dim]{a.date} 修改：{escape(a.summary)}[/dim]")


@inspect_app.command(
    "amend",
    help="""修改一份检查记录：增加问题、撤销问题、调整扣分、填写或删去整改要求、改备注；确认或删去登记簿拟定问题（由 lufa inspect prefill --record 写入）。

问题编号不会重排或复用；撤销的问题保留在记录中并注明原因；每次修改都记入记录的 amendments，
原内容可在 git 历史中查到。

[bold]示例[/bold]

  lufa inspect amend 2026-04-13-sifaju --item 5 --deduction 1 \\
      --finding 处罚决定书未载明救济途径
  lufa inspect amend 2026-04-13-sifaju --withdraw 1 --reason 经复核不属实
  lufa inspect amend 2026-04-13-sifaju --set-deduction 2=1.5
  lufa inspect amend 2026-04-13-sifaju --requirement 2=按立卷规范重新装订
  lufa inspect amend 2026-04-13-sifaju --clear-requirement 2
  lufa inspect amend 2026-05-20-sifaju --ack-out-of-plan     补查，不在计划周
  lufa inspect amend 2026-11-20-sifaju --confirm 1=1 --drop 2 \\
      --reason 经现场核实已整改
""",
)
def inspect_amend(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="编号", help="检查记录编号。")],
    item: Annotated[list[str] | None, typer.Option("--item", metavar="项目", help="新增问题的检查项目编号；每条新增问题一组 --item/--deduction/--finding，可重复。")] = None,
    deduction: Annotated[list[float] | None, typer.Option("--deduction", metavar="分", help="新增问题的扣分，与 --item 一一对应。")] = None,
    finding: Annotated[list[str] | None, typer.Option("--finding", metavar="描述", help="新增问题的描述，与 --item 一一对应。")] = None,
    count: Annotated[list[int] | None, typer.Option("--count", metavar="处数", help="新增问题出现的处数（每条一个，或都不写＝1）。")] = None,
    case: Annotated[list[str] | None, typer.Option("--case", metavar="文号", help="新增问题涉及的案卷文号（每条一个，或都不写）。")] = None,
    fixed: Annotated[bool, typer.Option("--fixed", help="新增问题已立行立改（只用于一条问题）。")] = False,
    requirement: Annotated[list[str] | None, typer.Option("--requirement", metavar="号=要求", help="填写或修改第几条问题的整改要求，如 2=按立卷规范重新装订；号为记录中的问题编号，本次新增的问题接在最后一条之后编号。可重复。")] = None,
    clear_requirement: Annotated[list[int] | None, typer.Option("--clear-requirement", metavar="号", help="删去第几条问题的整改要求（此后下达的意见书不再印出），可重复。")] = None,
    withdraw: Annotated[list[int] | None, typer.Option("--withdraw", metavar="问题号", help="撤销第几条问题，可重复。")] = None,
    reason: Annotated[str | None, typer.Option("--reason", metavar="原因", help="撤销问题或删去拟定问题的原因（--withdraw、--drop 时必填）。")] = None,
    set_deduction: Annotated[list[str] | None, typer.Option("--set-deduction", metavar="号=分", help="调整某条问题的扣分，如 2=1.5。")] = None,
    confirm: Annotated[list[str] | None, typer.Option("--confirm", metavar="号=分", help="确认第几条登记簿拟定问题并填扣分（不扣分填 0），如 1=2；它成为新的一条问题。可重复。")] = None,
    drop: Annotated[list[int] | None, typer.Option("--drop", metavar="号", help="删去第几条登记簿拟定问题（须用 --reason 写明原因），可重复。")] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="备注", help="替换备注。")] = None,
    ack_out_of_plan: Annotated[bool, typer.Option("--ack-out-of-plan", help="注明已知悉本次检查不在计划周（补查），lufa check 不再提示。")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="修改日期（默认今天）。")] = None,
) -> None:
    from lufa_cli.records.inspections import (
        amend,
        find_inspection,
        inspection_problems,
        require_records,
        update_inspection,
    )

    reason, note = clean(reason, "--reason"), clean(note, "--note")
    add = _finding_groups(item, deduction, finding, case, None, fixed, count)
    requirements = parse_requirements(requirement or [])
    ws = load(ctx)
    ws.require_writable()
    today = parse_date(as_of, "--as-of")
    rs = require_records(ws)
    rec = find_inspection(rs, ref)
    if withdraw and not (reason and reason.strip()):
        raise UsageError("撤销问题必须用 --reason 写明原因")
    if drop and not (reason and reason.strip()):
        raise UsageError("删去登记簿拟定问题必须用 --reason 写明原因（如 经现场核实不属实）")

    def pairs(specs: list[str] | None, option: str, example: str) -> dict[int, float]:
        out: dict[int, float] = {}
        for spec in specs or []:
            num, _, value = spec.partition("=")
            try:
                out[int(num)] = float(value)
                if not math.isfinite(out[int(num)]):
                    raise ValueError(value)
            except ValueError:
                raise UsageError(f"{option} 的值“{spec}”无效，应写成 {example}") from None
        return out

    changes = pairs(set_deduction, "--set-deduction", "问题号=扣分，如 2=1.5")
    confirms = pairs(confirm, "--confirm", "拟定问题号=扣分，如 1=2（不扣分写 1=0）")
    drops = {d: reason.strip() for d in drop or []} if reason else {}

    def change(current):  # the record as it is on disk inside the lock
        try:
            new = amend(current, today=today, add=add, withdraw={w: reason.strip() for w in withdraw or []} if reason else {}, deductions=changes, note=note,
                        acknowledge=["out_of_plan_week"] if ack_out_of_plan else [], confirm=confirms, drop=drops,
                        requirements=requirements, clear_requirements=clear_requirement or ())
        except ValueError as exc:  # pydantic: a deduction not in 0.5 steps, negative …
            raise UsageError(f"修改后的记录无效：{first_error(exc)}") from None
        _problems_to_usage(inspection_problems(ws, new), {"deduction": "--deduction/--set-deduction" + ("/--confirm" if confirms else ""), "item": "--item"})
        return new

    path = rs.paths[rec.id]
    new = update_inspection(ws, path, change)
    say(f"已修改检查记录 {new.id}：{new.amendments[-1].summary}（{display_path(path)}）", style="green")


# `inspect prefill` lives with the registers it reads (cli/prefill.py)
from lufa_cli.cli.prefill import PREFILL_HELP, inspect_prefill  # noqa: E402

inspect_app.command("prefill", help=PREFILL_HELP)(inspect_prefill)
