"""lufa report: the assessment circular."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from lufa_cli.cli.common import CTX, ForceOpt, PdfOpt, load, parse_date, say
from lufa_cli.errors import UsageError
from lufa_cli.workspace.loader import display_path

report_app = typer.Typer(help="通报：考核结果通报。", no_args_is_help=True, **CTX)


@report_app.command(
    "circular",
    help="""生成考核情况通报（Word）：考核结果表、表现较好和较差的单位、存在的主要问题、工作要求。
年中通报计入 6 月 30 日以前的检查，年终通报计入全年。生成后可在 Word/WPS 中修改后印发。

[bold]示例[/bold]

  lufa report circular --year 2026 --kind 年终
  lufa report circular --year 2026 --kind 年中 -o 年中通报.docx
""",
)
def report_circular(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", metavar="年份", help="考核年度。", min=2000, max=2099)],
    kind: Annotated[str, typer.Option("--kind", metavar="类别", help="年中 或 年终。")] = "年终",
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="成文日期，默认今天。")] = None,
    out: Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="输出文件（默认写到 output/）。")] = None,
    force: ForceOpt = False,
    pdf: PdfOpt = False,
) -> None:
    from lufa_cli.reading.fsio import path_inside
    from lufa_cli.records.inspections import require_records
    from lufa_cli.render.documents import convert_to_pdf, render_docx
    from lufa_cli.render.reports import circular_context, score_report

    if kind not in ("年中", "年终"):
        raise UsageError(f"--kind 的值“{kind}”无效，可选：年中、年终")
    ws = load(ctx)
    today = parse_date(date, "--date")
    cutoff = dt.date(year, 6, 30) if kind == "年中" else dt.date(year, 12, 31)
    rs = require_records(ws, as_of=today)
    from lufa_cli.records.reviews import reviews_for_scores

    as_of = min(cutoff, today)
    report = score_report(ws, rs.inspections, year, as_of, reviews=reviews_for_scores(ws))
    from lufa_cli.domain.overdue import overdue_report
    from lufa_cli.records.registers import require_registers
    from lufa_cli.render.registers import circular_sentences

    late = overdue_report(rs.notices, ws.units_by_id, {i.id: i for i in rs.inspections}, ws.checklist, ws.settings, as_of)
    sentences = circular_sentences(ws, require_registers(ws), year, as_of)
    context = circular_context(ws, report, kind, today, registers=sentences, overdue={g["unit"] for g in late["by_unit"]})
    target = out or path_inside(ws.output_dir, f"{context['title']}.docx")
    path = render_docx(ws.template("circular.docx"), context, target, force=force, fonts=ws.settings.fonts)
    say(f"已写入 {display_path(path)}（{context['inspected']} 个单位的考核结果）", style="green")
    if pdf:
        say(f"已写入 {display_path(convert_to_pdf(path, force=force))}", style="green")
