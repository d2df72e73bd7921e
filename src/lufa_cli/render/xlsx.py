"""The score report as an Excel workbook (openpyxl, imported only here)."""

from __future__ import annotations

import io
from typing import Any


def score_workbook(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from lufa_cli.render.reports import extra_cells, extra_columns

    wb = Workbook()
    cats = report["categories"]
    extra = extra_columns(report)
    first = True
    for group, title in (("county", "县直单位"), ("township", "乡镇")):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = title
        ws.append(["名次", "编号", "单位", "总分", "等级", "问题数"] + [f"{c['no']}.{c['name']}失分" for c in cats] + [h for _, h in extra])
        for row in report[group]:
            cells = extra_cells(row)
            ws.append([row["rank"], row["id"], row["name"], row["total"], row["grade"], row["findings"]]
                      + [row["category_losses"][str(c["no"])] for c in cats] + [cells[k] for k, _ in extra])
        _style(ws, Font)
    ws = wb.create_sheet("常见问题")
    ws.append(["项目", "名称", "大类", "发现次数", "涉及单位数", "失分合计"])
    for p in report["frequent_problems"]:
        ws.append([p["item"], p["name"], p["category"], p["findings"], p["units"], p["points_lost"]])
    _style(ws, Font)
    reviews = report.get("reviews")
    if reviews:
        grades = list(reviews["grades"])
        ws = wb.create_sheet("案卷评查")
        ws.append(["编号", "单位", "评查卷数"] + [f"{g}卷" for g in grades] + ["平均分", "计入考核扣分", "评查记录"])
        for u in reviews["by_unit"]:
            ws.append([u["id"], u["name"], u["files"]] + [u["grades"][g] for g in grades] + [u["average"], u["deduction"], "、".join(u["reviews"])])
        ws.append(["合计", "", reviews["files"]] + [reviews["grades"][g] for g in grades])
        _style(ws, Font)
        ws = wb.create_sheet("评查常见问题")
        ws.append(["项目", "问题", "部分", "出现处数", "涉及卷数", "涉及单位数"])
        for d in reviews["defects"]:
            ws.append([d["item"], d["name"], d["part"], d["occurrences"], d["files"], d["units"]])
        _style(ws, Font)
    ws = wb.create_sheet("未检查")
    ws.append(["编号", "单位", "类别"])
    for u in report["not_inspected"]:
        ws.append([u["id"], u["name"], u["kind_label"]])
    _style(ws, Font)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def text_not_formula(ws) -> None:
    """openpyxl stores a text starting with "=" as a formula: every cell lufa writes is data, so a
    text starting like a formula (= + - @) is stored as a string (no formula injection)."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                cell.data_type = "s"


def _style(ws, Font) -> None:
    text_not_formula(ws)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for col in ws.columns:
        width = max(len(str(c.value or "")) * 2 for c in col)
        ws.column_dimensions[col[0].column_letter].width = min(max(8, width), 40)


def table_workbook(title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    """One sheet: a bold header row and the rows as given (numbers stay numbers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(title)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    _style(ws, Font)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet1"


def form_workbook(form: Any, columns: list[str]) -> bytes:
    """The field form (fieldform.Form): header fields, a blank row, the item table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "现场记录"
    for label, value, hint in form.header:
        ws.append([label, value, hint])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.cell(ws.max_row, 3).font = Font(color="808080")
    ws.append([])
    ws.append(columns)
    head = ws.max_row
    for cell in ws[head]:
        cell.font = Font(bold=True)
    for row in form.rows:
        ws.append([row[0], row[1], int(row[2]), row[3].replace("；", "\n"), *row[4:]])
    wrap = Alignment(wrap_text=True, vertical="top")
    for r in ws.iter_rows(min_row=head + 1):
        for cell in r:
            cell.alignment = wrap
    for letter, width in zip("ABCDEFGHIJ", (8, 18, 6, 50, 6, 40, 20, 20, 8, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(head + 1, 1)
    buf = io.BytesIO()
    for sheet in wb.worksheets:
        text_not_formula(sheet)
    wb.save(buf)
    return buf.getvalue()
