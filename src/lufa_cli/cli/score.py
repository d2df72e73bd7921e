"""lufa score: the assessment report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from lufa_cli.cli.common import (
    CTX,
    ForceOpt,
    console,
    format_for,
    load,
    parse_date,
    write_output,
    write_stdout,
)
from lufa_cli.errors import UsageError

score_app = typer.Typer(help="考核得分：排名、等级、扣分分布。", no_args_is_help=True, **CTX)


@score_app.command(
    "report",
    help="""考核得分报告：县直单位、乡镇分别排名，等级，各大类失分，全县常见问题，尚未检查的单位。

计分规则：扣分制，每个检查项目从满分扣起、最低 0 分，总分为各项目得分之和；
计入当年截至 --as-of 的日常监督、年中抽查、年终总结（回头看不重复扣分）。
checklist.yaml 可另设按处扣分、扣分范围、加分项及上限、一票否决项和日常/年终权重；
有案卷评查记录时，按 case-standard.yaml 的 assessment 规则从处罚程序项扣分（报告列出评查编号）。

[bold]示例[/bold]

  lufa score report --year 2026
  lufa score report --year 2026 --as-of 2026-06-30
  lufa score report --year 2026 -o 2026考核得分.xlsx
  lufa score report --format csv > 得分.csv
""",
)
def score_report_cmd(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="考核年度，默认今年。", min=2000, max=2099)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="只计入该日期及以前的检查（默认今天）。")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="table、md、json、csv 或 xlsx。")] = "table",
    out: Annotated[Path | None, typer.Option("-o", "--output", metavar="文件", help="写入文件，格式按后缀：.xlsx、.csv（带 BOM）、.md 或 .json。")] = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.reading.lifetime import keep_to_the_end
    from lufa_cli.records.inspections import require_records
    from lufa_cli.render.reports import score_report

    if fmt in ("table", "md", "json", "csv", "xlsx"):
        fmt = format_for(fmt, out, ("csv", "xlsx", "json", "md"))
    ws = load(ctx)
    today = parse_date(as_of, "--as-of")
    y = year or today.year
    cutoff = min(today, dt.date(y, 12, 31))
    from lufa_cli.reading.yamlsrc import gc_paused
    from lufa_cli.records.reviews import reviews_for_scores

    with gc_paused():
        rs = require_records(ws, as_of=today)
        report = score_report(ws, rs.inspections, y, cutoff, reviews=reviews_for_scores(ws))
        keep_to_the_end(len(rs.inspections) + len(rs.notices), rs, report)
    if fmt == "json":
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        from lufa_cli.render.reports import extra_cells, extra_columns
        from lufa_cli.render.views import to_csv

        rows = [{**r, **{f"c{k}": v for k, v in r["category_losses"].items()}, **extra_cells(r)} for r in report["county"] + report["township"]]
        cols = [("kind_label", "类别"), ("rank", "名次"), ("id", "编号"), ("name", "单位"), ("total", "总分"), ("grade", "等级"), ("findings", "问题数")]
        cols += [(f"c{c['no']}", f"{c['no']}.{c['name']}失分") for c in report["categories"]]
        cols += extra_columns(report)
        text = to_csv(rows, cols)
    elif fmt == "md":
        from lufa_cli.render.documents import render_text

        text = render_text(ws.template("score-report.md.j2"), report)
    elif fmt == "xlsx":
        if out is None:
            raise UsageError("--format xlsx 需要用 -o 指定输出文件")
        from lufa_cli.render.xlsx import score_workbook

        write_output(score_workbook(report), out, force)
        return
    elif fmt == "table":
        from lufa_cli.render.terminal import show_scores

        show_scores(console(), report)
        return
    else:
        raise UsageError(f"--format 的值“{fmt}”无效，可选：table、md、json、csv、xlsx")
    if out is not None:
        write_output(("\ufeff" + text) if fmt == "csv" else text, out, force)
    else:
        write_stdout(text)
