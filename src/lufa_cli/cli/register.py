"""lufa register: the bureau's registers (seed §三) — record, list, show, amend, overdue.

One sub-group per register (penalty, normative, training, staff); their options are made
from the register's column table (records/registers.py COLUMNS), so an option, a sheet
column and an `amend` option are the same field with the same parsing.
"""

from __future__ import annotations

import datetime as dt
import inspect as pyinspect
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from lufa_cli.cli.common import CTX, ForceOpt, ListFormatOpt, OutOpt, console, echo, emit_rows, load, parse_date, say
from lufa_cli.errors import UsageError
from lufa_cli.model.registers import KIND_LABELS, KINDS
from lufa_cli.records.registers import COLUMNS, Column, columns_help
from lufa_cli.workspace.loader import display_path

register_app = typer.Typer(help="登记簿：重大行政处罚备案、规范性文件备案、培训考核、执法人员；以及本局逾期未审查的备案。", no_args_is_help=True, **CTX)

_CONT = " \\\n      "
EXAMPLES = {
    "penalty": (_CONT.join(["lufa register penalty record --unit 市场监管局", "--case \"鲁市监罚〔2026〕12号\" --decided 2026-03-02",
                            "--received 2026-03-16", "--materials 备案报告、决定书复印件、备案表"]),
                _CONT.join(["lufa register penalty amend shichangjianguanju-2026-001", "--review 合法适当 --reviewed 2026-03-25", "--reviewer 张三"])),
    "normative": (_CONT.join(["lufa register normative record --unit 司法局", "--number \"鲁司〔2026〕3号\" --title 关于某事的规定",
                              "--issued 2026-02-10 --filed 2026-03-01"]),
                  _CONT.join(["lufa register normative amend sifaju-2026-001", "--review 合法适当 --reviewed 2026-03-10"])),
    "training": (_CONT.join(["lufa register training record --unit 司法局 --year 2026", "--plan \"鲁司〔2026〕1号\"",
                             "--session 2026-03-05:4:行政处罚法"]),
                 _CONT.join(["lufa register training amend sifaju-2026", "--session 2026-06-10:8 --exam 2026-11-20",
                             "--exam-form 单选、判断 --papers-archived 是"])),
    "staff": (_CONT.join(["lufa register staff record --unit 司法局 --name 张三", "--certificate 41042300001",
                          "--issued 2024-05-01 --expires 2029-04-30"]),
              _CONT.join(["lufa register staff amend sifaju-001", "--status 离岗 --left 2026-06-30"])),
}
OPTION_HELP = {"list": "多个用顿号分隔", "dates": "YYYY-MM-DD，多个用顿号分隔", "date": "YYYY-MM-DD", "bool": "是或否"}


def _option(c: Column) -> str:
    return "--" + c.key.replace("_", "-")


def _columns(kind: str) -> list[Column]:
    return [c for c in COLUMNS[kind] if not c.key.startswith("session_")]


def _params(kind: str, *, amend: bool) -> list[pyinspect.Parameter]:
    params = []
    for c in _columns(kind):
        if amend and c.key == "unit":
            continue
        hint = c.labels[0] + ("；" + "、".join(c.choices) if c.choices else "") + (f"（{OPTION_HELP[c.type]}）" if c.type in OPTION_HELP else "")
        hint += "。" + ("" if amend or not c.required else "必填。") + ("写空字符串 \"\" 可清除。" if amend and not c.required else "")
        opt = typer.Option(_option(c), metavar=c.labels[0], help=("单位：编号、全称或简称。" if c.key == "unit" else hint))
        params.append(pyinspect.Parameter(c.key, pyinspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[str | None, opt]))
    if kind == "training":
        opt = typer.Option("--session", metavar="日期:学时[:内容]", help="一次培训，如 2026-03-05:4:行政处罚法；可重复。" + ("追加到已有的培训中。" if amend else ""))
        params.append(pyinspect.Parameter("session", pyinspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[list[str] | None, opt]))
    return params


def _typed(kind: str, given: dict[str, str | None], *, amend: bool) -> dict[str, Any]:
    """Option texts parsed as the sheet's cells are; every problem at once."""
    from lufa_cli.records.registers import parse_session, parse_value

    out: dict[str, Any] = {}
    problems = []
    for c in _columns(kind):
        text = given.get(c.key)
        if text is None or c.key == "unit":
            continue
        if amend and not text.strip():
            out[c.key] = None  # cleared
            continue
        try:
            out[c.key] = parse_value(c, text)
        except ValueError as exc:
            problems.append(f"{_option(c)}：{exc}")
    sessions = []
    for text in given.get("session") or []:
        try:
            sessions.append(parse_session(text))
        except ValueError as exc:
            problems.append(f"--session：{exc}")
    if sessions:
        out["sessions"] = sessions
    if problems:
        raise UsageError("；".join(problems) + _nothing(amend))
    return out


def _future(data: dict[str, Any], today: dt.date, *, amend: bool = False) -> None:
    dates = [(k, v) for k, v in data.items() if isinstance(v, dt.date) and k != "expires"]  # a certificate runs into the future
    dates += [("session", s["date"]) for s in data.get("sessions", [])]
    dates += [("reviews", d) for d in data.get("reviews") or []]
    bad = [f"--{k.replace('_', '-')}：日期 {v} 晚于今天（{today}）" for k, v in dates if v > today]
    if bad:
        raise UsageError("；".join(bad) + _nothing(amend))


def _model_error(kind: str, problems: list[tuple[str, str]], *, amend: bool = False) -> UsageError:
    names = {c.key: _option(c) for c in COLUMNS[kind]} | {"sessions": "--session"}
    return UsageError("；".join(f"{names.get(k, k)}：{m}" for k, m in problems) + _nothing(amend))


def _nothing(amend: bool) -> str:
    return "；没有做任何修改" if amend else "；没有登记任何内容"


def _record(kind: str):
    def command(ctx: typer.Context, **given: Any) -> None:
        from lufa_cli.domain.roster import resolve_unit
        from lufa_cli.reading.sheets import SHEET_SUFFIXES
        from lufa_cli.records.registers import model_problems, new_entry_problems, read_sheet, register_lock, write_new

        from_file, as_of = given.pop("from_file"), given.pop("as_of")
        ws = load(ctx)
        ws.require_writable()
        today = parse_date(as_of, "--as-of")
        if from_file is not None:
            if any(v for v in given.values()):
                raise UsageError("--from 表格已写明各栏，不能再写其他选项")
            if from_file.suffix.lower() not in SHEET_SUFFIXES:
                raise UsageError(f"--from 的文件“{from_file.name}”不是 .xlsx 或 .csv 表格")
        else:
            if not given.get("unit"):
                raise UsageError("请用 --unit 写明单位，或用 --from 表格批量登记")
            unit = resolve_unit(ws.roster.units, given["unit"])
            data = _typed(kind, given, amend=False) | {"unit": unit.id}
            missing = [_option(c) for c in _columns(kind) if c.required and c.key not in data]
            if kind == "training" and "year" not in data:
                missing.append("--year")
            if missing:
                raise UsageError(f"缺少必填选项：{'、'.join(missing)}")
            _future(data, today)
            rec, problems = model_problems(kind, data)
            if problems:
                raise _model_error(kind, problems)
        with register_lock(ws, kind):  # the duplicate check holds until the files are written
            if from_file is not None:
                todo = read_sheet(ws, kind, from_file, today)
            else:
                dup = new_entry_problems(ws, kind, rec)
                if dup:
                    raise UsageError("；".join(dup) + "；没有登记任何内容")
                todo = [rec]
            written = [(rec, *write_new(ws, kind, rec)) for rec in todo]
        for rec, eid, path in written:
            say(f"已登记{KIND_LABELS[kind]} {eid}：{_summary(kind, rec, ws)}（{display_path(path)}）", style="green")
            if kind == "staff" and rec.lost is not None and rec.announced is None:
                say(f"警告：{rec.name}的证件于 {rec.lost} 遗失，尚未登记遗失公告；公告后请运行 lufa register staff amend {eid} "
                    f"--announced 日期 --announced-in 公告媒体（遗失后 {ws.registers.announcement_days} 日内应公告作废）", style="yellow")
        if from_file is not None:
            say(f"共登记 {len(todo)} 条。")

    params = [pyinspect.Parameter("ctx", pyinspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
    params += _params(kind, amend=False)
    params.append(pyinspect.Parameter("from_file", pyinspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
        Path | None, typer.Option("--from", metavar="表格", help="登记表（.xlsx 或 .csv），第一行为表头，每行一条，列见上文。")]))
    params.append(pyinspect.Parameter("as_of", pyinspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
        str | None, typer.Option("--as-of", metavar="日期", help="以该日期为“今天”校验（默认今天）：不能登记晚于它的日期。")]))
    command.__signature__ = pyinspect.Signature(params)  # type: ignore[attr-defined]
    return command


def _summary(kind: str, rec: Any, ws: Any) -> str:
    unit = ws.unit(rec.unit).name
    if kind == "penalty":
        return f"{unit} {rec.case}，决定 {rec.decided}" + (f"，收到 {rec.received}" if rec.received else "，尚未收到备案")
    if kind == "normative":
        return f"{unit} {rec.number}《{rec.title}》，印发 {rec.issued}" + (f"，报送 {rec.filed}" if rec.filed else "，尚未报送")
    if kind == "training":
        return f"{unit} {rec.year} 年度，培训 {len(rec.sessions)} 次共 {_num(sum(s.hours for s in rec.sessions))} 学时" + (f"，考试 {rec.exam}" if rec.exam else "")
    return f"{unit} {rec.name}（{rec.certificate}），{rec.status}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _amend(kind: str):
    def command(ctx: typer.Context, ref: str, **given: Any) -> None:
        from lufa_cli.model.registers import MODELS
        from lufa_cli.records.registers import (
            amend_problems,
            entry_data,
            entry_text,
            find_entry,
            model_problems,
            register_lock,
            require_registers,
        )
        from lufa_cli.records.rewrite import update_record

        as_of = given.pop("as_of")
        ws = load(ctx)
        ws.require_writable()
        today = parse_date(as_of, "--as-of")
        changes = _typed(kind, given, amend=True)
        if not changes:
            raise UsageError(f"没有要修改的内容：请给出要修改的选项（lufa register {kind} amend --help 可查）")
        _future({k: v for k, v in changes.items() if v is not None}, today, amend=True)
        path = find_entry(ws, kind, ref)
        labels = {c.key: c.labels[0] for c in COLUMNS[kind]} | {"sessions": "培训"}

        def change(current):  # as on disk, inside the lock
            data = current.model_dump()
            parts = []
            for key, value in changes.items():
                if key == "sessions":
                    data["sessions"] = data["sessions"] + value
                    parts.append(f"增加培训 {len(value)} 次（{_num(sum(s['hours'] for s in value))} 学时）")
                elif value is None:
                    data.pop(key, None)
                    parts.append(f"清除{labels[key]}")
                else:
                    data[key] = value
                    parts.append(f"{labels[key]}改为{_show(value)}")
            summary = "；".join(parts)
            data["amendments"] = [*data.get("amendments", []), {"date": today, "summary": summary}]
            new, problems = model_problems(kind, data)
            if problems:
                raise _model_error(kind, problems, amend=True)
            if new.model_dump(exclude={"amendments"}) == current.model_dump(exclude={"amendments"}):
                raise UsageError("修改后的内容与原来相同，没有做任何修改")
            clash = amend_problems(ws, rs, kind, ref, current, new)
            if clash:
                raise UsageError("；".join(clash) + "；没有做任何修改")
            return new

        with register_lock(ws, kind):  # the other entries (duplicate numbers) stay as read until written
            rs = require_registers(ws)
            new = update_record(path, MODELS[kind], display_path(path), change, entry_data, lambda r: entry_text(kind, r))
        say(f"已修改{KIND_LABELS[kind]} {ref}：{new.amendments[-1].summary}（{display_path(path)}）", style="green")

    params = [pyinspect.Parameter("ctx", pyinspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
              pyinspect.Parameter("ref", pyinspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Annotated[
                  str, typer.Argument(metavar="编号", help=f"登记编号（lufa register {kind} list 可查）。")])]
    params += _params(kind, amend=True)
    params.append(pyinspect.Parameter("as_of", pyinspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
        str | None, typer.Option("--as-of", metavar="日期", help="修改日期（默认今天）。")]))
    command.__signature__ = pyinspect.Signature(params)  # type: ignore[attr-defined]
    return command


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def rows_for(kind: str, ws: Any, rs: Any, today: dt.date, unit: str | None = None) -> list[dict[str, Any]]:
    """One row per entry as it stood on `today` (entries dated later are left out)."""
    from lufa_cli.domain.registers import add_months, normative_state, on, penalty_state
    from lufa_cli.domain.workcal import WorkCalendar

    cal = WorkCalendar(ws.calendar)
    st = ws.registers
    rows = []
    for eid, r in sorted(rs.entries[kind].items()):
        if unit is not None and r.unit != unit:
            continue
        name = ws.unit(r.unit).name
        if kind == "penalty":
            if r.decided > today:
                continue
            s = penalty_state(r, st, cal, today)
            rows.append({"id": eid, "unit": name, "case": r.case, "decided": r.decided, "deadline": s.deadline,
                         "received": s.received, "status": s.status, "materials": "、".join(r.materials) if s.received else "",
                         "review": (r.review if s.reviewed else "") or "", "review_status": s.review_status, "reviewer": r.reviewer if s.reviewed else ""})
        elif kind == "normative":
            if r.issued > today:
                continue
            s = normative_state(r, st, cal, today)
            rows.append({"id": eid, "unit": name, "number": r.number, "title": r.title, "issued": r.issued, "deadline": s.deadline,
                         "filed": s.received, "status": s.status, "review": (r.review if s.reviewed else "") or "", "review_status": s.review_status})
        elif kind == "training":
            if r.year > today.year:
                continue
            exam = on(r.exam, today)
            rows.append({"id": eid, "unit": name, "year": r.year, "plan": r.plan, "sessions": sum(1 for x in r.sessions if x.date <= today),
                         "hours": r.hours(today), "enough": "是" if r.hours(today) >= st.training_hours else "否",
                         "exam": exam, "exam_form": "、".join(r.exam_form) if exam else "", "papers_archived": ("是" if r.papers_archived else "否") if exam else ""})
        else:
            if r.issued > today:
                continue
            left = on(r.left, today)
            reviews = [d for d in r.reviews if d <= today]
            due = add_months(max(reviews, default=r.issued), st.certificate_review_months)
            rows.append({"id": eid, "unit": name, "name": r.name, "certificate": r.certificate, "status": "离岗" if left else "在岗",
                         "issued": r.issued, "expires": r.expires, "last_review": max(reviews, default=None), "review_due": due if not left else None,
                         "left": left, "cancelled": on(r.cancelled, today), "lost": on(r.lost, today),
                         "announced": f"{r.announced}（{r.announced_in}）" if on(r.announced, today) else ""})
    return rows


LIST_COLUMNS = {
    "penalty": [("id", "编号"), ("unit", "单位"), ("case", "案号"), ("decided", "决定日期"), ("deadline", "备案期限"), ("received", "收到日期"),
                ("status", "报送情况"), ("materials", "备案材料"), ("review_status", "审查情况"), ("review", "审查结果"), ("reviewer", "审查人")],
    "normative": [("id", "编号"), ("unit", "单位"), ("number", "文号"), ("title", "文件名称"), ("issued", "印发日期"), ("deadline", "备案期限"),
                  ("filed", "报送日期"), ("status", "报送情况"), ("review_status", "审查情况"), ("review", "审查结果")],
    "training": [("id", "编号"), ("unit", "单位"), ("year", "年度"), ("plan", "培训计划"), ("sessions", "培训次数"), ("hours", "学时"),
                 ("enough", "达到学时"), ("exam", "考试日期"), ("exam_form", "考试形式"), ("papers_archived", "试卷归档")],
    "staff": [("id", "编号"), ("unit", "单位"), ("name", "姓名"), ("certificate", "执法证号"), ("status", "状态"), ("issued", "发证日期"),
              ("expires", "有效期至"), ("last_review", "上次审验"), ("review_due", "审验期限"), ("left", "离岗日期"), ("cancelled", "注销日期"),
              ("lost", "遗失日期"), ("announced", "遗失公告")],
}


def _list(kind: str):
    def command(
        ctx: typer.Context,
        unit: Annotated[str | None, typer.Option("--unit", metavar="单位", help="只列这个单位（编号、全称或简称）。")] = None,
        year: Annotated[int | None, typer.Option("--year", metavar="年份", help="只列这一年（决定/印发/培训年度；执法人员不按年）。")] = None,
        as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="按该日期的情况列出（默认今天）：晚于它的日期不算。")] = None,
        fmt: ListFormatOpt = "table",
        out: OutOpt = None,
        force: ForceOpt = False,
    ) -> None:
        from lufa_cli.domain.roster import resolve_unit
        from lufa_cli.records.registers import entry_year, require_registers

        ws = load(ctx)
        today = parse_date(as_of, "--as-of")
        rs = require_registers(ws)
        uid = resolve_unit(ws.roster.units, unit).id if unit else None
        if year is not None:
            if kind == "staff":
                raise UsageError("执法人员登记不按年度，不能用 --year")
            rs.entries[kind] = {k: v for k, v in rs.entries[kind].items() if entry_year(kind, v) == year}
        rows = rows_for(kind, ws, rs, today, uid)
        emit_rows(rows, fmt, LIST_COLUMNS[kind], title=f"{KIND_LABELS[kind]}（截至 {today}，{len(rows)} 条）", out=out, force=force)

    return command


def _show_cmd(kind: str):
    def command(
        ctx: typer.Context,
        ref: Annotated[str, typer.Argument(metavar="编号", help="登记编号（本登记簿的 list 命令可查）。")],
        as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="按该日期的情况（默认今天）。")] = None,
        fmt: Annotated[str, typer.Option("--format", metavar="格式", help="table 或 json。")] = "table",
    ) -> None:
        from lufa_cli.records.registers import find_entry, require_registers

        ws = load(ctx)
        today = parse_date(as_of, "--as-of")
        rs = require_registers(ws)
        path = find_entry(ws, kind, ref)
        rec = rs.entries[kind][ref]
        one = type(rs)(entries={k: ({ref: rec} if k == kind else {}) for k in KINDS})
        rows = rows_for(kind, ws, one, today)
        if fmt == "json":
            echo(json.dumps({"file": display_path(path), "entry": rec.model_dump(mode="json"), "as_of": str(today),
                             "state": json.loads(json.dumps(rows[0] if rows else {}, default=str, ensure_ascii=False))}, ensure_ascii=False, indent=2))
            return
        if fmt != "table":
            raise UsageError(f"--format 的值“{fmt}”无效，可选：table、json")
        con = console()
        con.print(f"{KIND_LABELS[kind]} {ref}（{display_path(path)}）", markup=False)
        if not rows:
            con.print(f"截至 {today} 尚无此项（日期在其后）。", markup=False)
            return
        from lufa_cli.cli.common import fmt_cell

        for key, label in LIST_COLUMNS[kind][1:]:
            value = rows[0][key]
            if value not in (None, ""):
                con.print(f"  {label}：{fmt_cell(value)}", markup=False)
        if kind == "training":
            for s in rec.sessions:
                con.print(f"  培训 {s.date}：{_num(s.hours)} 学时" + (f"，{s.topic}" if s.topic else "") + ("（在截至日期之后）" if s.date > today else ""), markup=False)
        if rec.note:
            con.print(f"  备注：{rec.note}", markup=False)
        for a in rec.amendments:
            con.print(f"  修改 {a.date}：{a.summary}", markup=False)

    return command


for _kind in KINDS:
    sub = typer.Typer(help=f"{KIND_LABELS[_kind]}登记簿。", no_args_is_help=True, **CTX)
    record_example, amend_example = EXAMPLES[_kind]
    sub.command("record", help=f"""登记一条{KIND_LABELS[_kind]}；--from 从表格一次登记多条。

表格（.xlsx 或 .csv）的列：{columns_help(_kind)}{'；每行一次培训（培训日期、学时、培训内容），同一单位同一年度的多行合为一份登记' if _kind == 'training' else ''}。
先校验全部行，任何一行有误都不写入任何登记（退出码 1）。

[bold]示例[/bold]

  {record_example}
  lufa register {_kind} record --from 登记表.xlsx
""")(_record(_kind))
    sub.command("list", help=f"""列出{KIND_LABELS[_kind]}登记及其状态（按法定期间计算逾期）。

[bold]示例[/bold]

  lufa register {_kind} list --as-of 2026-06-30
  lufa register {_kind} list --unit 司法局 -o 登记.xlsx
""")(_list(_kind))
    sub.command("show", help=f"""显示一条{KIND_LABELS[_kind]}登记。

[bold]示例[/bold]

  lufa register {_kind} show 编号 --as-of 2026-06-30
""")(_show_cmd(_kind))
    sub.command("amend", help=f"""修改一条{KIND_LABELS[_kind]}登记（加锁改写，保留手写注释，记入修改记录）。

[bold]示例[/bold]

  {amend_example}
""")(_amend(_kind))
    register_app.add_typer(sub, name=_kind)


@register_app.command(
    "overdue",
    help="""列出本局收到备案后超过审查期限仍未审查的（重大行政处罚、规范性文件）。

审查期限见 data/registers.yaml 的 review_days（自收到次日起算，最后一日遇休息日顺延）。
晚于 --as-of 的收到和审查都不算。

[bold]示例[/bold]

  lufa register overdue --as-of 2026-06-30
  lufa register overdue -o 逾期未审查.xlsx
""",
)
def register_overdue(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="截至日期（默认今天）。")] = None,
    fmt: ListFormatOpt = "table",
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.records.registers import require_registers
    from lufa_cli.render.registers import review_backlog

    ws = load(ctx)
    today = parse_date(as_of, "--as-of")
    rows = review_backlog(ws, require_registers(ws), today)
    if fmt == "table" and out is None:
        console().print(f"截至 {today}，审查期限 {ws.registers.review_days} 日：逾期未审查 {len(rows)} 件。", markup=False)
    emit_rows(rows, fmt, [("id", "编号"), ("kind", "登记簿"), ("unit", "单位"), ("ref", "案号/文号"), ("received", "收到日期"),
                          ("deadline", "审查期限"), ("late", "逾期天数")], title="逾期未审查的备案", out=out, force=force)

