"""lufa report: the assessment circular, the results letters to each unit, the models report upward."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Annotated

import typer

from lufa_cli.cli.common import CTX, ForceOpt, PdfOpt, clean, console, load, parse_date, run_today, say
from lufa_cli.errors import ExternalError, UsageError
from lufa_cli.workspace.loader import display_path

report_app = typer.Typer(help="通报：考核结果通报、考核结果反馈函、先进典型报告、工作推进会材料（图表）。", no_args_is_help=True, **CTX)


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
    from lufa_cli.render.documents import convert_to_pdf, pdf_refusal, render_docx
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
    if pdf:
        pdf_refusal(target, force=force)
    path = render_docx(ws.template("circular.docx"), context, target, force=force, fonts=ws.settings.fonts)
    say(f"已写入 {display_path(path)}（{context['inspected']} 个单位的考核结果）", style="green")
    if pdf:
        say(f"已写入 {display_path(convert_to_pdf(path, force=force))}", style="green")


KindOpt = Annotated[str, typer.Option("--kind", metavar="类别", help="年中 或 年终。")]
DateOpt = Annotated[str | None, typer.Option("--date", metavar="日期", help="成文日期，默认今天。")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", metavar="日期", help="按该日的情况（默认为成文日期）：此后的检查、文书和整改事件都不计入。")]
YearOpt = Annotated[int, typer.Option("--year", metavar="年份", help="考核年度。", min=2000, max=2099)]


def _results(ctx: typer.Context, year: int, kind: str, date: str | None, as_of: str | None):
    """(workspace, 成文日期, the records, score report, overdue report) as things stood on the as-of day.

    The as-of day is --as-of, else the 成文日期 (never later than today), cut at 6-30 for 年中 and 12-31."""
    from lufa_cli.domain.overdue import overdue_report
    from lufa_cli.records.inspections import require_records
    from lufa_cli.records.reviews import reviews_for_scores
    from lufa_cli.render.reports import score_report

    if kind not in ("年中", "年终"):
        raise UsageError(f"--kind 的值“{kind}”无效，可选：年中、年终")
    today = parse_date(date, "--date")
    if as_of is None:
        when = min(today, run_today())
    else:
        when = parse_date(as_of, "--as-of")
        if when > run_today():
            raise UsageError(f"--as-of：日期 {when} 晚于今天（{run_today()}）")
        if when > today:
            raise UsageError(f"--as-of：日期 {when} 晚于成文日期 {today}（--date）；文书不能写成文日期以后的情况")
    ws = load(ctx)
    cutoff = min(dt.date(year, 6, 30) if kind == "年中" else dt.date(year, 12, 31), when)
    rs = require_records(ws, as_of=cutoff)
    report = score_report(ws, rs.inspections, year, cutoff, reviews=reviews_for_scores(ws))
    late = overdue_report(rs.notices, ws.units_by_id, {i.id: i for i in rs.inspections}, ws.checklist, ws.settings, cutoff)
    return ws, today, rs, report, late


@report_app.command(
    "feedback",
    help="""生成考核结果反馈函（Word）：每个已考核的单位一份，写明得分和等次、在县直单位或乡镇中的名次（同分并列）、加分/一票否决/案卷评查结果（有则写）、按大类列出的问题及检查日期、尚未办结的监督文书（文号、期限、状态，逾期的注明）和工作要求（工作制度§六（一））。

年中计入 6 月 30 日以前的检查，年终计入全年；--as-of 之后的记录都不计入。默认写到 output/考核结果反馈/年份/，文件名如“2026年度考核结果反馈-司法局.docx”；已存在的文件跳过并在最后一行说明，--force 覆盖。尚未考核的单位不生成，最后一行说明个数。

[bold]示例[/bold]

  lufa report feedback --year 2026 --date 2027-01-08
  lufa report feedback --year 2026 --kind 年中 --date 2026-07-10
  lufa report feedback --year 2026 --unit 司法局 --force
""",
)
def report_feedback(
    ctx: typer.Context,
    year: YearOpt,
    kind: KindOpt = "年终",
    date: DateOpt = None,
    as_of: AsOfOpt = None,
    unit: Annotated[str | None, typer.Option("--unit", metavar="单位", help="只生成这个单位的（编号、全称或简称）。")] = None,
    out_dir: Annotated[Path | None, typer.Option("-o", "--output-dir", metavar="目录", help="输出目录（默认 output/考核结果反馈/年份/）。")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的反馈函。")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="另用 LibreOffice 把生成的每一份转出 PDF（需已安装）。")] = False,
) -> None:
    from rich.progress import Progress

    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.domain.workcal import cn_date
    from lufa_cli.reading.fsio import exists_error, path_inside
    from lufa_cli.render.documents import NO_SOFFICE, compile_docx, convert_to_pdf, render_docx
    from lufa_cli.render.feedback import feedback_letters, period_label

    ws, today, rs, report, late = _results(ctx, year, kind, date, as_of)
    only = resolve_unit(ws.roster.units, unit) if unit is not None else None
    cutoff = cn_date(dt.date.fromisoformat(report["as_of"]))
    period = period_label(year, kind)
    why = f"截至{cutoff}没有{year}年的日常监督、年中抽查或年终总结记录"
    if not report["county"] and not report["township"]:
        raise UsageError(f"{why}，没有可反馈的考核结果")
    if only is not None and only.id in {u["id"] for u in report["not_inspected"]}:
        raise UsageError(f"{only.name}{why}（尚未考核），不生成考核结果反馈函")
    template = ws.template("feedback.docx")
    compile_docx(template)  # a broken template stops the batch before any file is written
    letters = feedback_letters(ws, report, rs.inspections, rs.notices, late, kind, today, only=only.id if only else None)
    folder = out_dir or ws.output_dir / "考核结果反馈" / str(year)
    targets = [path_inside(folder, f"{period}考核结果反馈-{c['short']}.docx") for c in letters]
    for t in targets:  # a folder or a device in the way stops the batch before any file is written
        if t.exists() and not t.is_file():
            raise exists_error(t)
        twin = t.with_suffix(".pdf")  # the PDF of a letter that will be written: refused as convert_to_pdf would
        if pdf and (force or not t.exists()) and twin.exists() and (not force or not twin.is_file()):
            raise exists_error(twin)
    if pdf and not (shutil.which("soffice") or shutil.which("libreoffice")):
        raise ExternalError(NO_SOFFICE)
    done: list = []
    skipped: list = []
    err = console(stderr=True)
    with Progress(console=err, transient=True, disable=len(letters) < 3 or not err.is_terminal) as bar:
        task = bar.add_task("生成考核结果反馈函", total=len(letters))
        for c, target in zip(letters, targets, strict=True):
            if target.exists() and not force:
                skipped.append(target)
            else:
                done.append(render_docx(template, c, target, force=force, fonts=ws.settings.fonts))
                if pdf:
                    convert_to_pdf(done[-1], force=force)
            bar.advance(task)
    if only is not None:
        if skipped:
            say(f"{only.name}的考核结果反馈函已存在，跳过：{display_path(skipped[0])}（--force 可覆盖）", style="yellow")
        else:
            say(f"已写入 {display_path(done[0])}（{only.name}：{letters[0]['total']}分，{letters[0]['grade']}）", style="green")
            if pdf:
                say(f"已写入 {display_path(done[0].with_suffix('.pdf'))}", style="green")
        return
    text = f"{period}考核结果反馈函：已考核 {len(letters)} 个单位，生成 {len(done)} 份" + ("（另有 PDF）" if pdf and done else "")
    if skipped:
        text += f"，已存在跳过 {len(skipped)} 份（--force 可覆盖）"
    if report["not_inspected"]:
        text += f"；尚未考核的 {len(report['not_inspected'])} 个单位不生成（{why}）"
    say(text + f"。目录：{display_path(folder)}", style="green")


@report_app.command(
    "models",
    help="""生成先进典型报告（Word），报上级主管部门（工作制度§六（二）“及时将先进模范典型上报”）。

先进典型按通报中“表现较好”的同一规则选出：县直单位、乡镇中各自最高等次得分最高的 3 个单位（同分并列），有整改逾期事项或列为移交线索候选的单位不列入；每个单位只写记录中的事实（得分、等次、名次、检查次数、问题分布、监督文书办理情况、案卷评查）。没有单位符合条件时拒绝生成。主送机关默认为 settings.yaml 的 superior，--to 可另写。

[bold]示例[/bold]

  lufa report models --year 2026 --date 2027-01-10
  lufa report models --year 2026 --to 鲁山县依法治县办 -o 先进典型.docx
""",
)
def report_models(
    ctx: typer.Context,
    year: YearOpt,
    kind: KindOpt = "年终",
    date: DateOpt = None,
    as_of: AsOfOpt = None,
    to: Annotated[str | None, typer.Option("--to", metavar="机关", help="主送机关（默认 settings.yaml 的 superior）。")] = None,
    out: Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="输出文件（默认写到 output/）。")] = None,
    force: ForceOpt = False,
    pdf: PdfOpt = False,
) -> None:
    from lufa_cli.reading.fsio import path_inside
    from lufa_cli.render.documents import convert_to_pdf, pdf_refusal, render_docx
    from lufa_cli.render.feedback import models_context, models_refusal

    addressee = clean(to, "--to", required=True) if to is not None else None
    ws, today, rs, report, late = _results(ctx, year, kind, date, as_of)
    template = ws.template("models.docx")
    overdue = {g["unit"] for g in late["by_unit"]}
    context = models_context(ws, report, rs.inspections, rs.notices, overdue, kind, today, addressee or ws.settings.superior)
    if context is None:
        raise UsageError(models_refusal(ws, report, overdue))
    target = out or path_inside(ws.output_dir, f"{context['title']}.docx")
    if pdf:
        pdf_refusal(target, force=force)
    path = render_docx(template, context, target, force=force, fonts=ws.settings.fonts)
    say(f"已写入 {display_path(path)}（先进典型 {context['count']} 个：{context['names']}）", style="green")
    if pdf:
        say(f"已写入 {display_path(convert_to_pdf(path, force=force))}", style="green")


BRIEFING_FORMATS = ("both", "html", "docx")


@report_app.command(
    "briefing",
    help="""生成工作推进会材料（一年的图表）：一个可离线打开、可打印的网页（.html），和一份公文格式的 Word 文档（.docx）。

图表：各单位考核得分和等级、各类别和各项目发现的问题、各月下达和办结的监督文书及月末逾期事项、
备案审查和培训学时、案卷评查结果；没有数据的图表不画，改为一句说明。只计入 --as-of 当天及以前的记录。
需要 matplotlib 和一种中文字体：在源码目录中 uv tool install --compile-bytecode --force '.[charts]'。

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
