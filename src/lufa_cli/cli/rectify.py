"""lufa rectify: the rectification loop (feedback, verification, overdue)."""

from __future__ import annotations

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
from lufa_cli.cli.notice import deadline_warnings, find_notice, notice_step, save_notice, show_notice
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
    ws, n, path, when = notice_step(ctx, ref, date)
    new = save_notice(ws, path, lambda cur: add_feedback(cur, when, doc, note))
    say(f"已登记 {new.doc_number} 的整改情况报告（{when}），待回头看核查。", style="green")
    say(f"下一步：核查后登记结果：lufa rectify verify {new.year}-{new.number} --method 书面审阅 --result 通过（或 --result 未通过）")


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
    ws, n, path, when = notice_step(ctx, ref, date)
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
按逾期天数排序、按单位分组，并列出负责催办的科室。逾期超过 settings.yaml 中
referral_overdue_days 天的单位标为“移交线索候选”。

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
    from lufa_cli.records.inspections import require_records

    if fmt in ("table", "md", "json", "csv"):
        fmt = format_for(fmt, out, ("csv", "xlsx", "json", "md"))
    ws = load(ctx)
    today = parse_date(as_of, "--as-of")
    rs = require_records(ws, as_of=today)
    report = overdue_report(
        rs.notices, ws.units_by_id, {i.id: i for i in rs.inspections},
        ws.checklist, ws.settings, today, due_within=due_within,
    )
    report["warnings"] = deadline_warnings(ws, rs.notices)
    calendar_warnings(report["warnings"])
    text: str | bytes | None = None
    if fmt == "json":
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    elif fmt in ("csv", "xlsx"):
        from lufa_cli.render.views import to_csv

        rows = [{**r, "office_name": r["office"]["name"], "office_phone": r["office"]["phone"], "referral": "是" if r["referral"] else ""} for r in report["overdue"]]
        cols = [("doc_number", "文号"), ("unit_name", "单位"), ("what", "事项"), ("due", "期限"), ("days_overdue", "逾期天数"), ("office_name", "催办科室"), ("office_phone", "电话"), ("referral", "移交线索候选")]
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
        write_stdout(text)
    if fail_if_any and report["overdue"]:
        raise typer.Exit(ExitCode.FOUND)
