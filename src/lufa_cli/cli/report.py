"""lufa report: the assessment circular."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from lufa_cli.cli.common import CTX, ForceOpt, PdfOpt, load, parse_date, say
from lufa_cli.errors import UsageError
from lufa_cli.workspace.loader import display_path

report_app = typer.Typer(help="通报：考核结果通报、工作推进会材料（图表）。", no_args_is_help=True, **CTX)


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


BRIEFING_FORMATS = ("both", "html", "docx")


@report_app.command(
    "briefing",
    help="""生成工作推进会材料（一年的图表）：一个可离线打开、可打印的网页（.html），和一份公文格式的 Word 文档（.docx）。

图表：各单位考核得分和等级、各类别和各项目发现的问题、各月下达和办结的监督文书及月末逾期事项、
备案审查和培训学时、案卷评查结果；没有数据的图表不画，改为一句说明。只计入 --as-of 当天及以前的记录。
需要 matplotlib 和一种中文字体：在源码目录中 uv tool install --force '.[charts]'。

[bold]示例[/bold]

  lufa report briefing --year 2026
  lufa report briefing --year 2026 --as-of 2026-06-30
  lufa report briefing --year 2026 --format html -o 推进会.html
""",
)
def report_briefing(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="考核年度，默认截至日期所在的年份。", min=2000, max=2099)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", "--date", metavar="日期", help="截至日期，也是成文日期（默认今天）；以后的记录不计入。")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="both（网页和 Word，默认）、html 或 docx。")] = "both",
    out: Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="输出文件（默认写到 output/）；both 时两种文件同名、后缀不同。")] = None,
    force: ForceOpt = False,
) -> None:
    if fmt not in BRIEFING_FORMATS:
        raise UsageError(f"--format 的值“{fmt}”无效，可选：both、html、docx")
    from lufa_cli.render.charts import find_cjk_font, require_matplotlib

    require_matplotlib()  # before anything is read: without it nothing can be drawn
    ws = load(ctx)
    today = parse_date(as_of, "--as-of")
    y = year or today.year
    if y > today.year:
        raise UsageError(f"--year {y} 晚于截至日期 {today.isoformat()}，还没有可汇报的内容")
    cutoff = min(today, dt.date(y, 12, 31))
    from lufa_cli.reading.fsio import exists_error, path_inside
    from lufa_cli.render.briefing import briefing_title

    suffixes = {"both": (".html", ".docx"), "html": (".html",), "docx": (".docx",)}[fmt]
    if out is None:
        targets = [path_inside(ws.output_dir, briefing_title(y) + s) for s in suffixes]
    elif fmt == "both":
        base = out.with_suffix("") if out.suffix.lower() in (".html", ".htm", ".docx") else out
        targets = [base.with_name(base.name + s) for s in suffixes]
    else:
        allowed = (".html", ".htm") if fmt == "html" else (".docx",)
        if out.suffix.lower() not in allowed:
            raise UsageError(f"-o 的文件“{out.name}”应以 {' 或 '.join(allowed)} 结尾（--format {fmt}）")
        targets = [out]
    for t in targets:  # refuse before drawing anything: nothing is written unless all can be
        if t.exists() and (not force or not t.is_file()):
            raise exists_error(t)
    family, _ = find_cjk_font(ws.settings.chart_font)
    html_template = ws.template("briefing.html.j2") if fmt != "docx" else None
    docx_template = ws.template("briefing.docx") if fmt != "html" else None
    from lufa_cli.records.inspections import require_records
    from lufa_cli.records.registers import require_registers
    from lufa_cli.records.reviews import reviews_for_scores
    from lufa_cli.render.briefing import briefing_view, docx_context, html_context, place_pictures
    from lufa_cli.render.charts import draw

    rs = require_records(ws, as_of=cutoff)
    view = briefing_view(ws, rs, require_registers(ws), reviews_for_scores(ws), y, cutoff)
    svgs, pngs = {}, {}
    for s in view["sections"]:
        for c in s["charts"]:
            svgs[c["key"]], pngs[c["key"]], notes = draw(c["chart"], family, cutoff)
            for note in notes:
                say(f"警告：{note}", style="yellow")
    data: list[bytes] = []
    if html_template is not None:
        from lufa_cli.render.documents import render_text

        data.append(render_text(html_template, html_context(view, svgs)).encode("utf-8"))
    if docx_template is not None:
        from lufa_cli.render.documents import compile_docx

        raw = compile_docx(docx_template).render(docx_context(view), fonts=ws.settings.fonts)
        data.append(place_pictures(raw, pngs, cutoff, docx_template))
    from lufa_cli.reading.fsio import atomic_write

    charts = len(svgs)
    for t, d in zip(targets, data, strict=True):
        path = atomic_write(t, d, overwrite=force)
        say(f"已写入 {display_path(path)}", style="green")
    say(f"工作推进会材料：{len(view['sections'])} 个部分、{charts} 张图表（数据截至 {cutoff.isoformat()}，图表字体：{family}）")
