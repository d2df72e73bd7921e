"""Field forms: the blank sheet inspectors fill in on site (`lufa inspect form`), read back
by `lufa inspect record --from` as YAML, CSV or .xlsx; and the sheet of self-inspection
receipts (`lufa selfcheck record --from`).

A form is a block of header fields (单位, 检查日期 …, one per row: label, value, hint),
a blank row, then a table with one row per checklist item. A row the inspectors left
without deduction and finding is skipped; a half-filled row is an error at its cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lufa_cli.model.data import Checklist
from lufa_cli.reading.sheets import Cell, Row, fits_header, read_table
from lufa_cli.reading.textclean import clean_text
from lufa_cli.reading.yamlsrc import Source, dump, read_yaml

FORM_SUFFIXES = (".xlsx", ".csv", ".yaml", ".yml")

# header fields: key → accepted labels (the first is what the form writes)
HEADER_FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("受检单位", "单位", "受监督单位"),
    "date": ("检查日期", "日期"),
    "kind": ("检查类别",),
    "inspectors": ("检查人员",),
    "office": ("牵头科室", "科室"),
    "methods": ("检查方式",),
    "note": ("备注",),
}
# table columns: key → accepted headers (the first is what the form writes)
COLUMNS: dict[str, tuple[str, ...]] = {
    "item": ("项目", "item", "检查项目", "项目编号"),
    "deduction": ("扣分", "deduction"),
    "description": ("问题描述", "description", "问题"),
    "count": ("处数", "count", "次数"),  # optional: occurrences of a per-occurrence item (每处扣X分)
    "case": ("案卷文号", "case", "案卷", "案号"),
    "case_name": ("案件名称", "case_name", "案件"),
    "fixed_on_spot": ("立行立改", "fixed_on_spot"),
    "requirement": ("整改要求", "requirement"),  # optional: printed after the finding on the notice
}
# printed on the form as a hint, ignored when read back
HINT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("检查内容", "项目名称"),
    "points": ("分值",),
    "checkpoints": ("检查要点",),
}
FORM_COLUMNS = ["项目", "检查内容", "分值", "检查要点", "扣分", "问题描述", "案卷文号", "案件名称", "立行立改", "整改要求"]
COLUMNS_HELP = (
    "表头栏目（每行：栏目、内容）：受检单位、检查日期、检查类别、检查人员（顿号分隔）、牵头科室、检查方式（顿号分隔）、备注；"
    "问题表的列：项目（必填）、扣分（必填，不扣分填 0）、问题描述（必填）、处数（可选，默认 1）、案卷文号、案件名称、立行立改（是/否）、整改要求（可选，下达意见书时印在该条问题之后）；"
    "检查内容、分值、检查要点三列只是提示，读回时不用。没有扣分也没有问题描述的行跳过；同一项目有多个问题时复制该行"
)
# a row with these but neither deduction nor description: not skipped as blank, refused at the cell
_NO_FINDING = {"": "填了案卷或立行立改，但没有填扣分和问题描述", "requirement": "填了整改要求，但没有填扣分和问题描述"}
_TRUE = {"是", "true", "1", "y", "√", "✓"}
_FALSE = {"否", "false", "0", "n", ""}
_LIST_SEPARATORS = ("、", ",", "，", ";", "；", " ", "\u3000")


def _label(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    t = text.strip().rstrip("：:").lower()
    return next((k for k, names in table.items() if t in names), None)


def _split(text: str) -> list[str]:
    for sep in _LIST_SEPARATORS[1:]:
        text = text.replace(sep, _LIST_SEPARATORS[0])
    return [t for t in text.split(_LIST_SEPARATORS[0]) if t]


def _clean(src: Source, loc: tuple, text: str) -> str:
    try:
        return clean_text(text)
    except ValueError as exc:
        src.error(loc, str(exc))
        return ""


def parse_date_cell(src: Source, loc: tuple, text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        src.error(loc, f"日期“{text}”无效，请写成 YYYY-MM-DD，如 2026-04-13")
        return None


# --- reading a filled-in form -------------------------------------------------------------


def read_form(path: Path, display: str) -> tuple[dict[str, Any] | None, Source]:
    """A filled-in form (.yaml, .csv or .xlsx) as plain data with positions, blank rows dropped."""
    if path.suffix.lower() in (".csv", ".xlsx"):
        rows, src = read_table(path, display)
        return (_form_from_rows(rows, src) if rows is not None else None), src
    src = read_yaml(path, display=display)
    if not src.ok:
        return None, src
    if not isinstance(src.data, dict):
        src.error((), "检查记录表顶层应为映射（“键: 值”）")
        return None, src
    data = dict(src.data)
    if isinstance(data.get("findings"), list):
        data["findings"] = _drop_blank_findings(data["findings"], src)
    return data, src


def _blank(value: Any) -> bool:
    return value is None or value == "" or value is False


def _drop_blank_findings(findings: list[Any], src: Source) -> list[Any]:
    """The findings the inspectors filled in; positions renumbered to match."""
    kept: list[Any] = []
    moves: dict[int, int] = {}
    for i, f in enumerate(findings):
        if isinstance(f, dict) and not set(f) - set(COLUMNS):  # unknown keys: the model names them
            f = dict(f)
            if _blank(f.get("deduction")) and _blank(f.get("description")):
                extra = [k for k in ("case", "case_name", "fixed_on_spot", "requirement") if not _blank(f.get(k))]
                if extra:
                    src.error(("findings", i, extra[0]), _NO_FINDING.get(extra[0], _NO_FINDING[""]))
                continue
            for key in ("case", "case_name", "requirement"):
                if f.get(key) == "":
                    f.pop(key)
            if f.get("deduction") is None:
                src.error(("findings", i, "deduction"), "写了问题描述但没有填扣分（不扣分请填 0）")
                continue  # reported: the model would only say the same again
            if _blank(f.get("description")):
                src.error(("findings", i, "description"), "填了扣分但没有写问题描述")
                continue
        moves[i] = len(kept)
        kept.append(f)
    for table in (src.positions, src.key_positions):
        old = {k: v for k, v in table.items() if len(k) >= 2 and k[0] == "findings" and isinstance(k[1], int)}
        for k in old:
            del table[k]
        for k, v in old.items():
            if k[1] in moves:
                moved = ("findings", moves[k[1]], *k[2:])  # (not inline: mypy reads a starred subscript as 3.11 syntax)
                table[moved] = v
    return kept


def _form_from_rows(rows: list[Row], src: Source) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    r = 0
    header: Row | None = None
    while r < len(rows):  # the header block, up to the table's column row
        row = [c for c in rows[r] if c.text] and rows[r]
        r += 1
        if not row:
            continue
        first = row[0]
        if _label(first.text, COLUMNS) or _label(first.text, HINT_COLUMNS):
            header = row
            break
        key = _label(first.text, HEADER_FIELDS)
        if key is None:
            src.error(first.pos, f"未知的栏目“{first.text}”；可用的栏目：{'、'.join(v[0] for v in HEADER_FIELDS.values())}；问题表的表头应以“项目”开头")
            continue
        value = row[1] if len(row) > 1 else Cell("", first.line, first.col + 1)
        if key in data:
            src.error(first.pos, f"栏目“{first.text}”重复")
            continue
        src.positions[(key,)] = value.pos
        if not value.text:
            continue
        if key == "date":
            data[key] = parse_date_cell(src, (key,), value.text)
        elif key in ("inspectors", "methods"):
            data[key] = [_clean(src, (key,), t) for t in _split(value.text)]
        else:
            data[key] = _clean(src, (key,), value.text)
    if header is None:
        src.error((len(rows) or 1, 1), "没有找到问题表的表头（以“项目”开头的一行）")
        return None
    columns: dict[str, int] = {}
    for i, c in enumerate(header):
        if not c.text:
            continue
        key = _label(c.text, COLUMNS)
        if key is None and _label(c.text, HINT_COLUMNS) is None:
            src.error(c.pos, f"第 {i + 1} 列：未知的列“{c.text}”；可用的列：{'、'.join(v[0] for v in COLUMNS.values())}（以及提示列 检查内容、分值、检查要点）")
        elif key is not None:
            if key in columns:
                src.error(c.pos, f"第 {i + 1} 列：列“{c.text}”重复")
            columns[key] = i
    for need in ("item", "deduction", "description"):
        if need not in columns:
            src.error(header[0].pos, f"缺少列“{COLUMNS[need][0]}”")
    if not src.ok:
        return None
    findings: list[dict[str, Any]] = []
    src.positions[("findings",)] = (header[0].line + 1, 1)
    for row in rows[r:]:
        if any(c.text for c in row) and not fits_header(header, row, src):
            continue
        cells = {key: (row[i] if i < len(row) else Cell("", row[0].line if row else 0, i + 1)) for key, i in columns.items()}
        deduction, description = cells["deduction"].text, cells["description"].text
        n = len(findings)
        loc = lambda key: ("findings", n, key)  # noqa: E731, B023 - called only within this iteration
        for key, cell in cells.items():
            src.positions[loc(key)] = cell.pos
        if not deduction and not description:
            extra = [k for k in ("case", "case_name") if cells.get(k) and cells[k].text]
            if cells.get("fixed_on_spot") and cells["fixed_on_spot"].text.lower() not in _FALSE:
                extra.append("fixed_on_spot")
            if cells.get("requirement") and cells["requirement"].text:
                extra.append("requirement")
            for k in list(src.positions):
                if k[:2] == ("findings", n):
                    del src.positions[k]
            if extra:
                src.error(cells[extra[0]].pos, _NO_FINDING.get(extra[0], _NO_FINDING[""]))
            continue
        src.positions[("findings", n)] = cells["item"].pos
        errors_before = len(src.diagnostics)
        f: dict[str, Any] = {}
        for key, cell in cells.items():
            text = cell.text
            if key == "deduction":
                if not text:
                    src.error(cell.pos, "写了问题描述但没有填扣分（不扣分请填 0）")
                    continue
                try:
                    f[key] = float(text)
                except ValueError:
                    src.error(cell.pos, f"扣分“{text}”不是数字")
            elif key == "count":
                if text and not text.isdigit():
                    src.error(cell.pos, f"处数“{text}”不是正整数")
                elif text:
                    f[key] = int(text)
            elif key == "fixed_on_spot":
                if text.lower() in _TRUE:
                    f[key] = True
                elif text.lower() in _FALSE:
                    f[key] = False
                else:
                    src.error(cell.pos, f"立行立改应填“是”或“否”，实际是“{text}”")
            elif key == "description" and not text:
                src.error(cell.pos, "填了扣分但没有写问题描述")
            elif key == "item" and not text:
                src.error(cell.pos, "没有填检查项目编号（如 3.3）")
            elif text:
                f[key] = _clean(src, loc(key), text)
        if len(src.diagnostics) == errors_before:  # a reported row is not validated again
            findings.append(f)
    data["findings"] = findings
    return data


# --- writing a blank form -----------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    header: list[tuple[str, str, str]]  # (label, value, hint)
    rows: list[list[str]]  # one per checklist item, in FORM_COLUMNS order


def blank_form(checklist: Checklist, unit_name: str, date: dt.date | None) -> Form:
    """The form for one inspection: header fields and one row per checklist item."""
    header = [
        ("受检单位", unit_name, "编号、全称或简称"),
        ("检查日期", date.isoformat() if date else "", "YYYY-MM-DD"),
        ("检查类别", "日常监督", "日常监督、年中抽查、年终总结、回头看"),
        ("检查人员", "", "多人用顿号分隔"),
        ("牵头科室", "", "、".join(o.name for o in checklist.offices)),
        ("检查方式", "", "、".join(checklist.methods) + "（顿号分隔）"),
        ("备注", "", ""),
    ]
    rows = []
    for cat in checklist.categories:
        for item in cat.items:
            name = cat.name if len(cat.items) == 1 else f"{cat.name}：{item.name}"
            rows.append([item.id, name, str(item.points), "；".join(item.checkpoints), "", "", "", "", "", ""])
    return Form(header, rows)


def form_csv(form: Form) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for label, value, hint in form.header:
        w.writerow([label, value, hint])
    w.writerow([])
    w.writerow(FORM_COLUMNS)
    w.writerows(form.rows)
    return "\ufeff" + buf.getvalue()


def form_yaml(form: Form) -> str:
    head = {label: value for label, value, _ in form.header}
    hints = {label: hint for label, _, hint in form.header}
    keys = {"受检单位": "unit", "检查日期": "date", "检查类别": "kind", "检查人员": "inspectors", "牵头科室": "office", "检查方式": "methods", "备注": "note"}
    lines = [
        "# 现场检查记录表（lufa inspect form 生成）。填好后：lufa inspect record --from 本文件",
        "# 每个检查项目一条：发现问题的填 deduction（扣分，不扣分填 0）和 description（问题描述），",
        "# 可填 case（案卷文号）、case_name（案件名称）、fixed_on_spot（已立行立改填 true）、",
        "# requirement（整改要求，下达意见书时印在该条问题之后）；",
        "# 没有问题的项目不用改（读回时跳过）；同一项目有多个问题时复制该条。",
    ]
    for label, key in keys.items():
        value = head[label]
        if key in ("inspectors", "methods"):
            line = f"{key}: []"
        elif key == "date":
            line = f"{key}: {value}".rstrip()  # an ISO date is read back as a date
        elif value:
            line = dump({key: value}).strip()
        else:
            line = f'{key}: ""' if key == "note" else f"{key}:"
        lines.append(line + f"  # {label}" + (f"：{hints[label]}" if hints[label] else ""))
    lines.append("findings:")
    previous = None
    for item_id, name, points, checkpoints, _, description, *_ in form.rows:
        if item_id != previous:  # a proposed finding (prefill) follows its item's row: no second heading
            lines.append(f"  # {item_id} {name}（{points}分）")
            for cp in checkpoints.split("；") if checkpoints else []:
                lines.append(f"  #   · {cp}")
        previous = item_id
        text = dump({"description": description}).strip() if description else 'description: ""'
        lines += [f'  - item: "{item_id}"', "    deduction:", f"    {text}", "    fixed_on_spot: false", '    requirement: ""']
    return "\n".join(lines) + "\n"


# --- self-inspection receipts ---------------------------------------------------------------


RECEIPT_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "unit", "受检单位", "报送单位"),
    "date": ("收到日期", "date", "日期"),
    "document": ("自查材料", "document", "材料", "文号"),
    "note": ("备注", "note"),
}
RECEIPTS_HELP = "列：单位（必填，编号、全称或简称）、收到日期（必填，YYYY-MM-DD）、自查材料（文号或标题）、备注；第一行为表头，空行跳过"


@dataclass(frozen=True)
class Receipt:
    unit: Cell
    date: dt.date
    document: str
    note: str


def read_receipts(path: Path, display: str) -> tuple[list[Receipt], Source]:
    """One receipt per non-blank row; every problem in `src`."""
    rows, src = read_table(path, display)
    out: list[Receipt] = []
    if rows is None:
        return out, src
    rows = [r for r in rows if any(c.text for c in r)]
    if not rows:
        src.error((1, 1), "表格是空的")
        return out, src
    columns: dict[str, int] = {}
    for i, c in enumerate(rows[0]):
        if not c.text:
            continue
        key = _label(c.text, RECEIPT_COLUMNS)
        if key is None:
            src.error(c.pos, f"第 {i + 1} 列：未知的列“{c.text}”；可用的列：单位、收到日期、自查材料、备注")
        elif key in columns:
            src.error(c.pos, f"第 {i + 1} 列：列“{c.text}”重复")
        else:
            columns[key] = i
    for need in ("unit", "date"):
        if need not in columns:
            src.error(rows[0][0].pos, f"缺少列“{RECEIPT_COLUMNS[need][0]}”")
    if not src.ok:
        return out, src
    for row in rows[1:]:
        if not fits_header(rows[0], row, src):
            continue
        cells = {k: (row[i] if i < len(row) else Cell("", row[0].line, i + 1)) for k, i in columns.items()}
        ok = True
        for need, message in (("unit", "没有填单位"), ("date", "没有填收到日期")):
            if not cells[need].text:
                src.error(cells[need].pos, message)
                ok = False
        when = parse_date_cell(src, cells["date"].pos, cells["date"].text) if cells["date"].text else None
        texts = {k: _clean(src, cells[k].pos, cells[k].text) if k in cells else "" for k in ("document", "note")}
        if ok and when is not None:
            out.append(Receipt(cells["unit"], when, texts["document"], texts["note"]))
    return out, src
