"""lufa rectify: the rectification loop (feedback, verification, overdue)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from lufa_cli.cli.common import (
    CTX,
    ForceOpt,
    calendar_warnings,
    clean,
    console,
    format_for,
    load,
    parse_date,
    rows_data,
    run_today,
    say,
    write_output,
    write_stdout,
)
from lufa_cli.cli.notice import (
    deadline_warnings,
    find_notice,
    follow_server,
    notice_ref,
    notice_step,
    save_notice,
    show_notice,
)
from lufa_cli.errors import ExitCode, UsageError

rectify_app = typer.Typer(help="整改闭环：登记整改报告、回头看核查、逾期清单。", no_args_is_help=True, **CTX)


@rectify_app.command(
    "feedback",
    help="""登记单位报送的整改情况书面报告。

[bold]示例[/bold]

  lufa rectify feedback 2026-3 --date 2026-12-20 --doc 鲁司文〔2026〕12号
""",
)
def rectify_feedback(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="文号", help="3、2026-3 或完整文号。")],
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="收到报告的日期，默认今天。")] = None,
    doc: Annotated[str, typer.Option("--doc", metavar="材料", help="报告的文号或文件名。")] = "",
    note: Annotated[str, typer.Option("--note", metavar="备注", help="备注。")] = "",
) -> None:
    from lufa_cli.records.notices import add_feedback

    doc, note = clean(doc, "--doc") or "", clean(note, "--note") or ""
    ws, _n, path, when, notices = notice_step(ctx, ref, date)
    new = save_notice(ws, path, lambda cur: add_feedback(cur, when, doc, note))
    say(f"已登记 {new.doc_number} 的整改情况报告（{when}），待回头看核查。", style="green")
    say(f"下一步：核查后登记结果：lufa rectify verify {notice_ref(new, notices)} --method 书面审阅 --result 通过（或 --result 未通过）")


@rectify_app.command(
    "verify",
    help="""登记回头看核查结果。未通过时重新给出整改期限（默认与原期限天数相同，--days 可改）。

[bold]示例[/bold]

  lufa rectify verify 2026-3 --method 书面审阅 --result 通过 --date 2026-12-28
  lufa rectify verify 2026-3 --method 实地查验 --result 未通过 \\
      --date 2026-12-28 --days 15
""",
)
def rectify_verify(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="文号", help="3、2026-3 或完整文号。")],
    method: Annotated[str, typer.Option("--method", metavar="方式", help="书面审阅 或 实地查验。")],
    result: Annotated[str, typer.Option("--result", metavar="结果", help="通过 或 未通过。")],
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="核查日期，默认今天。")] = None,
    days: Annotated[int | None, typer.Option("--days", metavar="天数", help="未通过时新的整改期限天数。", min=1, max=365)] = None,
    note: Annotated[str, typer.Option("--note", metavar="备注", help="核查意见。")] = "",
) -> None:
    from lufa_cli.domain.workcal import WorkCalendar
    from lufa_cli.records.notices import add_verification

    if method not in ("书面审阅", "实地查验"):
        raise UsageError(f"--method 的值“{method}”无效，可选：书面审阅、实地查验")
    if result not in ("通过", "未通过"):
        raise UsageError(f"--result 的值“{result}”无效，可选：通过、未通过")
    note = clean(note, "--note") or ""
    ws, _n, path, when, _notices = notice_step(ctx, ref, date)
    cal = WorkCalendar(ws.calendar)
    new = save_notice(ws, path, lambda cur: add_verification(cur, when, method, result, cal, days=days, note=note))
    if result != "通过":
        from lufa_cli.domain.workcal import guessed_warnings

        calendar_warnings(guessed_warnings(cal, [new.current_deadline]))
    if result == "通过":
        say(f"{new.doc_number} 核查通过，已办结。", style="green")
    else:
        say(f"{new.doc_number} 核查未通过，重新整改，新期限 {new.current_deadline}。", style="yellow")


@rectify_app.command("show", help="""显示一份文书的整改经过（同 lufa notice show）。

[bold]示例[/bold]

  lufa rectify show 2026-3
""")
def rectify_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="文号", help="3、2026-3 或完整文号。")],
) -> None:
    from lufa_cli.records.inspections import require_records

    ws = load(ctx)
    rs = require_records(ws)
    n = find_notice(rs.notices, ref, run_today().year)
    calendar_warnings(deadline_warnings(ws, [n]))
    show_notice(ws, n)


@rectify_app.command(
    "overdue",
    help="""逾期清单：超过整改期限仍未报送整改情况的文书，以及收到报告后超过规定天数仍未核查的，
按逾期天数排序、按单位分组，并列出负责催办的科室、已办的督办步骤和下一步（催办 → 约谈 → 通报 → 移交线索，
步骤和等待天数见 settings.yaml 的 escalation）。逾期超过 settings.yaml 中 referral_overdue_days 天的单位标为“移交线索候选”。
--as-of 之后的记录（报告、核查、督办）一律不计。

--fail-if-any 在有逾期时以退出码 5 结束，供每周定时任务使用。

[bold]示例[/bold]

  lufa rectify overdue
  lufa rectify overdue --as-of 2026-12-31 --due-within 7
  lufa rectify overdue --format md > 逾期清单.md
  lufa rectify overdue -o 逾期清单.xlsx
  lufa rectify overdue --fail-if-any --format json
""",
)
def rectify_overdue(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="截至日期（默认今天）。")] = None,
    due_within: Annotated[int | None, typer.Option("--due-within", metavar="天数", help="另列出该天数内到期的事项。", min=0, max=365)] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="table、md、json 或 csv。")] = "table",
    out: Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="写入文件，格式按后缀：.xlsx、.csv（带 BOM）、.md 或 .json。")] = None,
    force: ForceOpt = False,
    fail_if_any: Annotated[bool, typer.Option("--fail-if-any", help="有逾期事项时退出码为 5。")] = False,
) -> None:
    from lufa_cli.domain.overdue import overdue_report
    from lufa_cli.reading.lifetime import keep_to_the_end
    from lufa_cli.reading.yamlsrc import gc_paused
    from lufa_cli.records.inspections import require_records

    if fmt in ("table", "md", "json", "csv"):
        fmt = format_for(fmt, out, ("csv", "xlsx", "json", "md"))
    ws = load(ctx)
    today = parse_date(as_of, "--as-of")
    with gc_paused():
        rs = require_records(ws, as_of=today)
        report = overdue_report(
            rs.notices, ws.units_by_id, {i.id: i for i in rs.inspections},
            ws.checklist, ws.settings, today, due_within=due_within,
        )
        keep_to_the_end(len(rs.notices), rs, report)
    report["warnings"] = deadline_warnings(ws, rs.notices)
    calendar_warnings(report["warnings"])
    text: str | bytes | None = None
    if fmt == "json":
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    elif fmt in ("csv", "xlsx"):
        from lufa_cli.render.views import to_csv

        rows = [{**r, "office_name": r["office"]["name"], "office_phone": r["office"]["phone"], "referral": "是" if r["referral"] else ""} for r in report["overdue"]]
        cols = [("doc_number", "文号"), ("unit_name", "单位"), ("what", "事项"), ("due", "期限"), ("days_overdue", "逾期天数"), ("office_name", "催办科室"), ("office_phone", "电话"), ("referral", "移交线索候选"), ("steps_taken", "已办督办"), ("next_step", "下一步"), ("next_due", "下一步到期")]
        text = rows_data(rows, cols, fmt, "逾期清单") if out is not None else to_csv(rows, cols)
    elif fmt == "md":
        from lufa_cli.render.documents import render_text

        text = render_text(ws.template("overdue.md.j2"), report)
    elif fmt == "table":
        from lufa_cli.render.terminal import show_overdue

        show_overdue(console(), report)
    else:
        raise UsageError(f"--format 的值“{fmt}”无效，可选：table、md、json、csv")
    if text is not None and out is not None:
        write_output(text, out, force)
    elif text is not None:
        assert isinstance(text, str)  # bytes (xlsx) only with --out
        write_stdout(text)
    if fail_if_any and report["overdue"]:
        raise typer.Exit(ExitCode.FOUND)


# --- the escalation ladder (settings.yaml escalation) ----------------------------------------


LETTER_OUT_HELP = "函件输出目录（默认 output/letters/年份/）。"


def ladder_step(ctx: typer.Context, ref: str, date: str | None, action: str, *, doc: str = "", who: str = "",
                promised: str = "", note: str = "", out_dir=None, force: bool = False) -> None:
    """One step of the ladder: checked on the notice as loaded, then recorded under the notice's lock;
    催办 and 移交线索 take the next number of their letter (exclusively, or on the shared remote) and
    write the letter's document."""
    from pathlib import Path

    from lufa_cli.cli.notice import sync_preflight
    from lufa_cli.domain.escalation import STEP_NAMES, next_step
    from lufa_cli.errors import PartialError
    from lufa_cli.reading.fsio import ensure_writable_dir, path_inside
    from lufa_cli.records.inspections import require_records
    from lufa_cli.records.letters import letter_context, letter_record, publish_letter, take_letter
    from lufa_cli.records.notices import escalate, escalation_refusal
    from lufa_cli.render.documents import compile_docx, render_docx
    from lufa_cli.workspace.loader import display_path

    ws, n, path, when, _notices = notice_step(ctx, ref, date)
    steps = ws.settings.escalation
    why = escalation_refusal(n, action, when, steps)
    if why:
        raise UsageError(why)
    step = ws.settings.step(action)
    due = next_step(n, steps, when)
    early = due is not None and due[0].action == action and when < due[1]
    letter = step.letter
    unit = ws.unit(n.unit)
    from lufa_cli.cli.notice import inspection_of

    rs = require_records(ws)
    chain = [m for m in rs.notices if m.doc_number == n.follows] if n.follows else []
    insp = inspection_of(rs, chain[0] if chain else n) or inspection_of(rs, n)
    after = [s for s in steps if s.action != action and steps.index(s) > steps.index(step)]
    reply_by = when + dt.timedelta(days=after[0].after_days) if after and action == "remind" else None

    def doc_path(rec) -> Path:
        folder = Path(out_dir) if out_dir else ws.output_dir / "letters" / str(rec.year)
        return path_inside(folder, f"{rec.doc_number}-{unit.short}.docx")

    if letter is not None:  # a broken template or output folder must fail before a number is taken
        probe = letter_record(letter, action, n, when, 1)
        ensure_writable_dir(doc_path(probe).parent)
        compile_docx(ws.template(letter.template)).render(
            letter_context(probe, letter, n, chain, unit.name, ws.settings, reply_by=reply_by, inspection=insp), fonts=ws.settings.fonts)
    repo = None if letter is None or ws.settings.sync is None else sync_preflight(ws)
    taken: list = []

    def step_on(cur, number: str):  # the step recorded on the notice as it is now
        why = escalation_refusal(cur, action, when, steps)
        if why:
            raise UsageError(why)
        return escalate(cur, action, when, steps, doc=number, who=who, promised=promised, note=note)

    def change(cur):  # under the notice's lock: the letter's number, then the step
        step_on(cur, doc)  # refuse before a number is taken
        if letter is None:
            return step_on(cur, doc)
        rec, lpath = take_letter(ws.root, letter, action, cur, when)
        taken.append((rec, lpath, None))
        return step_on(cur, rec.doc_number)

    if repo is not None:  # several clerks: the letter and the notice's new history in one commit on the server
        rec, new, lpath, commit = publish_letter(repo, ws.root, letter, action, path, when, step_on)
        taken.append((rec, lpath, commit))
    else:
        try:
            new = save_notice(ws, path, change)
        except Exception as exc:
            if not taken:
                raise
            rec, lpath, _ = taken[0]
            reason = getattr(exc, "message", None) or f"程序内部错误（{type(exc).__name__}）"
            raise PartialError(f"已占用{letter.name}文号 {rec.doc_number}（记录 {display_path(lpath)}），"
                               f"但没能在 {n.doc_number} 的记录中登记{STEP_NAMES[action]}：{reason}；该文号作废不用，排除问题后重新运行本命令") from exc
    name = STEP_NAMES[action]
    if early and due is not None:
        say(f"提示：按 settings.yaml，{name}应在 {due[1]} 之后进行，本次提前登记", style="yellow")
    if not taken:
        extra = f"（{who}" + (f"，承诺：{promised}" if promised else "") + "）" if action == "interview" else (f"（{doc}）" if doc else "")
        say(f"已登记 {new.doc_number} 于 {when} {name}{extra}。", style="green")
        return
    rec, lpath, commit = taken[0]
    if commit is not None:
        follow_server(repo, commit, f"{letter.name}文号 {rec.doc_number}",
                      f"请处理后运行 lufa sync（{n.doc_number} 的{STEP_NAMES[action]}已记入服务器上的记录）")
    try:
        out = render_docx(ws.template(letter.template), letter_context(rec, letter, new, chain, unit.name, ws.settings, reply_by=reply_by, inspection=insp),
                          doc_path(rec), force=force, fonts=ws.settings.fonts)
    except Exception as exc:
        reason = getattr(exc, "message", None) or f"程序内部错误（{type(exc).__name__}）"
        raise PartialError(f"已登记 {new.doc_number} {name}，{letter.name}文号 {rec.doc_number}（记录 {display_path(lpath)}），"
                           f"但 Word 文档没有生成：{reason}") from exc
    say(f"已登记 {new.doc_number} 于 {when} {name}：{letter.name} {rec.doc_number}（记录 {display_path(lpath)}，文档 {display_path(out)}）", style="green")


DateOpt = Annotated[str | None, typer.Option("--date", metavar="日期", help="日期，默认今天。")]
RefArg = Annotated[str, typer.Argument(metavar="文号", help="3、2026-3 或完整文号。")]
NoteOpt = Annotated[str, typer.Option("--note", metavar="备注", help="备注。")]


@rectify_app.command(
    "remind",
    help="""催办：整改期限已过仍未报送整改情况时，出一份编号的催办函（模板 letter-cuiban.docx），并记入文书的整改经过。

[bold]示例[/bold]

  lufa rectify remind 2026-3 --date 2026-07-02
""",
)
def rectify_remind(ctx: typer.Context, ref: RefArg, date: DateOpt = None, note: NoteOpt = "",
                   out_dir: Annotated[str | None, typer.Option("--output-dir", "-o", metavar="目录", help=LETTER_OUT_HELP)] = None,
                   force: Annotated[bool, typer.Option("--force", help="文档已存在时覆盖。")] = False) -> None:
    ladder_step(ctx, ref, date, "remind", note=clean(note, "--note") or "", out_dir=out_dir, force=force)


@rectify_app.command(
    "interview",
    help="""约谈：登记约谈了谁、何时、承诺了什么（记入文书的整改经过）。

[bold]示例[/bold]

  lufa rectify interview 2026-3 --date 2026-07-10 --who 张某某（局长） \\
      --promised 7月20日前报送整改报告
""",
)
def rectify_interview(ctx: typer.Context, ref: RefArg,
                      who: Annotated[str, typer.Option("--who", metavar="约谈对象", help="被约谈人及职务（必填）。")] = "",
                      promised: Annotated[str, typer.Option("--promised", metavar="承诺", help="被约谈单位的承诺（必填）。")] = "",
                      date: DateOpt = None, note: NoteOpt = "") -> None:
    who_, promised_ = clean(who, "--who", required=True) or "", clean(promised, "--promised", required=True) or ""
    ladder_step(ctx, ref, date, "interview", who=who_, promised=promised_, note=clean(note, "--note") or "")


@rectify_app.command(
    "circular",
    help="""通报：登记在哪一期通报中点名（记入文书的整改经过）。

[bold]示例[/bold]

  lufa rectify circular 2026-3 --date 2026-07-20 --doc 鲁法政办〔2026〕9号
""",
)
def rectify_circular(ctx: typer.Context, ref: RefArg,
                     doc: Annotated[str, typer.Option("--doc", metavar="通报文号", help="点名的通报（文号或名称，必填）。")] = "",
                     date: DateOpt = None, note: NoteOpt = "") -> None:
    ladder_step(ctx, ref, date, "circular", doc=clean(doc, "--doc", required=True) or "", note=clean(note, "--note") or "")


@rectify_app.command(
    "refer",
    help="""移交线索：出一份编号的问题线索移交函（模板 letter-yijiao.docx，主送县纪委监委），列明单位、文书、
督办经过和未整改的问题，并记入文书的整改经过。

[bold]示例[/bold]

  lufa rectify refer 2026-3 --date 2026-08-10
""",
)
def rectify_refer(ctx: typer.Context, ref: RefArg, date: DateOpt = None, note: NoteOpt = "",
                  out_dir: Annotated[str | None, typer.Option("--output-dir", "-o", metavar="目录", help=LETTER_OUT_HELP)] = None,
                  force: Annotated[bool, typer.Option("--force", help="文档已存在时覆盖。")] = False) -> None:
    ladder_step(ctx, ref, date, "refer", note=clean(note, "--note") or "", out_dir=out_dir, force=force)
