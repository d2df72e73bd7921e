"""The year in pictures (工作推进会材料): one view of the year's figures, drawn as charts, written as a
self-contained HTML page (templates/briefing.html.j2) and as a GB/T 9704 .docx (templates/briefing.docx).

Every figure comes from the functions the other reports use (score_report, circular_context,
notices_by_month, register_figures, circular_sentences); nothing here counts on its own beyond
adding up their rows for a chart. A chart with nothing to show is never drawn: its section
says so in a sentence.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lufa_cli.domain.overdue import notices_by_month
from lufa_cli.domain.workcal import cn_date
from lufa_cli.errors import TemplateError
from lufa_cli.model.reviews import Review
from lufa_cli.records.inspections import RecordSet
from lufa_cli.records.registers import RegisterSet
from lufa_cli.render.charts import Chart, colours_for
from lufa_cli.render.registers import circular_sentences, register_figures
from lufa_cli.render.reports import circular_context, score_report
from lufa_cli.workspace.workspace import Workspace

#: a chart's place in the .docx: the paragraph holding only MARK + key + MARK becomes the picture
#: (a private-use code point, never in real data, legal in XML; see docx_xml.MERGE_MARK)
MARK = "\U000f0002"
PICTURE_MAX_W_MM, PICTURE_MAX_H_MM = 150, 195  # inside the 156 × 225 mm text block, with its caption


def briefing_title(year: int) -> str:
    return f"{year}年依法行政监督考核工作推进情况"


def briefing_view(ws: Workspace, rs: RecordSet, registers: RegisterSet, reviews: Sequence[Review], year: int, as_of: dt.date) -> dict[str, Any]:
    """The briefing as plain data and charts: `rs` as it stood on `as_of` (RecordSet.as_of); reviews and
    register entries of any date (the reports keep those of `year` up to `as_of`)."""
    report = score_report(ws, rs.inspections, year, as_of, top=len(ws.checklist.items()), reviews=reviews)
    circ = circular_context(ws, report, "年终", as_of)
    sections = [
        _scores(ws, report, circ),
        _findings(ws, report, circ),
        _notices(ws, rs, year, as_of),
        _registers(ws, registers, year, as_of),
        _reviews(report, circ),
    ]
    n = 0
    for s in sections:
        for c in s["charts"]:
            n += 1
            c["no"] = n
            c["caption"] = f"图{n}　{c['chart'].title}"
    return {
        "title": briefing_title(year),
        "subtitle": f"（截至{cn_date(as_of)}）",
        "year": year,
        "as_of": as_of.isoformat(),
        "as_of_cn": cn_date(as_of),
        "issuer": ws.settings.issuer,
        "date": cn_date(as_of),
        "sections": sections,
        "report": report,
    }


def _chart(chart: Chart) -> dict[str, Any]:
    return {"key": chart.key, "chart": chart}


def _scores(ws: Workspace, report: dict[str, Any], circ: dict[str, Any]) -> dict[str, Any]:
    grades = [g.name for g in ws.checklist.grades]
    inspected = circ["inspected"]
    lines: list[str] = []
    charts = []
    if inspected:
        counts = "、".join(f"{g['name']}{g['count']}个" for g in circ["grades"])
        lines.append(f"截至{circ['as_of']}，已对{inspected}个单位开展考核（共{circ['total_units']}个受监督单位），其中{counts}。")
        if report["not_inspected"]:
            lines.append(f"尚未考核的单位{len(report['not_inspected'])}个。")
        lines += [t for t in (circ["bonus_text"], circ["veto_text"]) if t]
        for key, label in (("county", "县直单位"), ("township", "乡镇")):
            rows = report[key]
            if rows:
                charts.append(_chart(Chart(
                    key=f"scores-{key}", title=f"{label}考核得分和等级", kind="hbar",
                    labels=[r["short"] for r in rows], series=[("得分", [float(r["total"]) for r in rows])],
                    groups=[r["grade"] for r in rows], group_order=grades, unit="得分（分）", limit=float(report["points"]),
                    colours=colours_for(len(grades), ranked=True), count_groups=True,
                )))
    else:
        lines.append(f"截至{circ['as_of']}，本年度尚无计分的检查记录，暂无可展示的得分。")
    return {"key": "scores", "heading": "考核得分", "lines": lines, "charts": charts}


def _findings(ws: Workspace, report: dict[str, Any], circ: dict[str, Any]) -> dict[str, Any]:
    problems = report["frequent_problems"]
    total = sum(p["findings"] for p in problems)
    charts = []
    if not total:
        return {"key": "findings", "heading": "发现的问题", "lines": ["本年度检查尚未发现问题，暂无可展示的问题分布。"], "charts": []}
    units = sum(1 for g in ("county", "township") for r in report[g] if r["findings"])
    lines = [f"检查中共发现问题{total}处，涉及{units}个单位。"]
    lines += [f"{p}。" for p in circ["problems"]]
    by_cat = [(c["name"], sum(p["findings"] for p in problems if p["category"] == c["name"])) for c in report["categories"]]
    by_cat = [(n, v) for n, v in by_cat if v]
    charts.append(_chart(Chart(key="findings-category", title="各类别发现的问题（处）", kind="bar",
                               labels=[n for n, _ in by_cat], series=[("问题", [float(v) for _, v in by_cat])], unit="处")))
    top = problems[:10]
    cats = [n for n, _ in by_cat]
    charts.append(_chart(Chart(key="findings-item", title=f"问题最多的{len(top)}个检查项目（处）", kind="hbar",
                               labels=[f"{p['item']} {p['name']}" for p in top], series=[("问题", [float(p["findings"]) for p in top])],
                               groups=[p["category"] for p in top], group_order=[c for c in cats if any(p["category"] == c for p in top)],
                               unit="处")))
    return {"key": "findings", "heading": "发现的问题", "lines": lines, "charts": charts}


def _notices(ws: Workspace, rs: RecordSet, year: int, as_of: dt.date) -> dict[str, Any]:
    months = notices_by_month(rs.notices, ws.units_by_id, {i.id: i for i in rs.inspections}, ws.checklist, ws.settings, year, as_of)
    issued = sum(m["issued"] for m in months)
    closed = sum(m["closed"] for m in months)
    if not issued and not closed and not any(m["overdue"] for m in months):
        return {"key": "notices", "heading": "问题整改", "lines": ["本年度尚未下达监督文书，暂无可展示的整改情况。"], "charts": []}
    now = months[-1]["overdue"] if months else 0
    lines = [f"本年度共下达监督文书{issued}件，已办结{closed}件；截至{cn_date(as_of)}，逾期未办结{now}件。"]
    chart = Chart(key="notices-month", title="各月下达、办结的监督文书和月末逾期事项（件）", kind="bar",
                  labels=[m["label"] for m in months],
                  series=[("下达", [float(m["issued"]) for m in months]), ("办结", [float(m["closed"]) for m in months]),
                          ("月末逾期", [float(m["overdue"]) for m in months])], unit="件")
    return {"key": "notices", "heading": "问题整改", "lines": lines, "charts": [_chart(chart)], "months": months}


def _registers(ws: Workspace, registers: RegisterSet, year: int, as_of: dt.date) -> dict[str, Any]:
    figures = register_figures(ws, registers, year, as_of)
    lines = circular_sentences(ws, registers, year, as_of)
    charts = []
    kinds = [(k, label) for k, label in (("penalty", "重大行政处罚备案"), ("normative", "规范性文件备案")) if figures[k]["known"]]
    if kinds:
        charts.append(_chart(Chart(
            key="registers-filings", title="备案报送和审查（件）", kind="bar", labels=[label for _, label in kinds],
            series=[(name, [float(figures[k][field]) for k, _ in kinds])
                    for name, field in (("按时报送", "on_time"), ("逾期报送", "late"), ("逾期未报", "missing"), ("已审查", "reviewed"))],
            unit="件")))
    t = figures["training"]
    if t["registered"]:
        enough, short = "达到学时", "不足学时"
        charts.append(_chart(Chart(
            key="registers-training", title=f"各单位培训学时（要求不少于{_num(t['threshold'])}学时）", kind="hbar",
            labels=[u["unit"] for u in t["units"]], series=[("学时", [float(u["hours"]) for u in t["units"]])],
            groups=[enough if u["enough"] else short for u in t["units"]], group_order=[enough, short], unit="学时",
            colours=colours_for(2, ranked=True), count_groups=True, line=(f"要求{_num(t['threshold'])}学时", float(t["threshold"])))))
    if not lines:
        lines = ["本年度尚无备案、培训登记，暂无可展示的登记簿数据。"]
    return {"key": "registers", "heading": "备案审查和培训", "lines": lines, "charts": charts}


def _reviews(report: dict[str, Any], circ: dict[str, Any]) -> dict[str, Any]:
    rv = report["reviews"]
    if not rv:
        return {"key": "reviews", "heading": "案卷评查", "lines": ["本年度尚无案卷评查记录，暂无可展示的评查结果。"], "charts": []}
    grades = list(rv["grades"])
    charts = [_chart(Chart(
        key="reviews-units", title="各单位评查案卷的等级（卷）", kind="bar", stacked=True,
        labels=[u["short"] for u in rv["by_unit"]],
        series=[(f"{g}卷", [float(u["grades"].get(g, 0)) for u in rv["by_unit"]]) for g in grades], unit="卷",
        colours=colours_for(len(grades), ranked=True)))]
    defects = rv["defects"][:10]
    if defects:
        charts.append(_chart(Chart(
            key="reviews-defects", title="案卷中出现最多的问题（处）", kind="hbar",
            labels=[f"{d['item']} {d['name']}" for d in defects], series=[("处", [float(d["occurrences"]) for d in defects])],
            groups=[d["part"] for d in defects], group_order=list(dict.fromkeys(d["part"] for d in defects)), unit="处")))
    return {"key": "reviews", "heading": "案卷评查", "lines": [circ["review_text"]], "charts": charts}


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# --- the two documents ---------------------------------------------------------------------------
def html_context(view: dict[str, Any], svgs: Mapping[str, bytes]) -> dict[str, Any]:
    """Context of templates/briefing.html.j2: the charts as SVG data URIs (an <img> runs no script)."""
    return _context(view, lambda key: "data:image/svg+xml;base64," + base64.b64encode(svgs[key]).decode("ascii"))


def docx_context(view: dict[str, Any]) -> dict[str, Any]:
    """Context of templates/briefing.docx: each chart's paragraph holds its marker, replaced by `place_pictures`."""
    return _context(view, lambda key: MARK + key + MARK)


def _context(view: dict[str, Any], picture: Any) -> dict[str, Any]:
    return {
        **{k: view[k] for k in ("title", "subtitle", "year", "as_of", "as_of_cn", "issuer", "date")},
        "sections": [
            {"key": s["key"], "heading": s["heading"], "lines": list(s["lines"]),
             "charts": [{"key": c["key"], "no": c["no"], "caption": c["caption"], "title": c["chart"].title,
                         "picture": picture(c["key"]), "table": chart_table(c["chart"])} for c in s["charts"]]}
            for s in view["sections"]
        ],
    }


def chart_table(chart: Chart) -> dict[str, list]:
    """The figures a chart draws, as a table (the page shows it under the chart, for reading aloud and checking)."""
    if chart.kind == "hbar":
        head = ["项目", chart.series[0][0], "类别"]
        rows = [[label, _num(v), g] for label, v, g in zip(chart.labels, chart.series[0][1], chart.groups, strict=True)]
    else:
        head = ["项目", *(name for name, _ in chart.series)]
        rows = [[label, *(_num(values[i]) for _, values in chart.series)] for i, label in enumerate(chart.labels)]
    return {"head": head, "rows": rows}


def place_pictures(docx: bytes, pngs: Mapping[str, bytes], day: dt.date, template: Path) -> bytes:
    """The rendered .docx with each chart marker paragraph replaced by its picture; core dates and zip
    timestamps set to `day`, so the same briefing gives the same bytes."""
    from docx import Document
    from docx.shared import Mm

    doc = Document(io.BytesIO(docx))
    for par in doc.paragraphs:
        text = par.text.strip()
        if len(text) > 2 and text[0] == MARK and text[-1] == MARK and text[1:-1] in pngs:
            key = text[1:-1]
            for r in list(par.runs):
                r._r.getparent().remove(r._r)
            png = pngs[key]
            w, h = _png_size(png)
            width = min(PICTURE_MAX_W_MM, PICTURE_MAX_H_MM * w / h)
            par.add_run().add_picture(io.BytesIO(png), width=Mm(width))
    left = [p.text for p in doc.paragraphs if MARK in p.text] + [
        c.text for t in doc.tables for row in t.rows for c in row.cells if MARK in c.text]
    if left:
        raise TemplateError(f"模板 {template}：图表的位置（{{{{ c.picture }}}}）应单独成一段，不能与其他文字或表格写在一起")
    cp = doc.core_properties
    stamp = dt.datetime(day.year, day.month, day.day)
    cp.created = cp.modified = stamp
    buf = io.BytesIO()
    doc.save(buf)
    from lufa_cli.render.docx_xml import read_package, write_package

    entries = []
    for info, data in read_package(buf.getvalue()):
        new = zipfile.ZipInfo(info.filename, date_time=(day.year, day.month, day.day, 0, 0, 0))
        new.compress_type, new.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
        entries.append((new, data))
    return write_package(entries)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG from its IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
