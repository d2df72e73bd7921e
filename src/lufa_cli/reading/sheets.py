"""Sheets a clerk fills in Excel or WPS: CSV and .xlsx read to rows of text cells,
each cell with its position, problems collected in a :class:`Source`.

CSV positions are line and character column (the source line is shown with a caret,
as for YAML); .xlsx positions are row and column, shown as ``第5行:C列``.
openpyxl is imported only when an .xlsx file is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from lufa_cli.reading.fsio import ReadRefused, read_file
from lufa_cli.reading.yamlsrc import Source, read_refused

MAX_ROWS = 5_000  # a field form has ~30 rows, a receipt sheet one per unit
MAX_COLS = 64  # a form has 9 columns; a sheet claiming 16,384 must not be read cell by cell


@dataclass(frozen=True)
class Cell:
    text: str
    line: int
    col: int

    @property
    def pos(self) -> tuple[int, int]:
        return (self.line, self.col)


Row = list[Cell]

SHEET_SUFFIXES = (".csv", ".xlsx")


def read_table(path: Path, display: str) -> tuple[list[Row] | None, Source]:
    """The rows of a .csv or .xlsx file (cells stripped of surrounding spaces), or None with errors."""
    suffix = path.suffix.lower()
    src = Source(path=display, cells=suffix == ".xlsx")
    try:
        raw = read_file(path)
    except ReadRefused as exc:
        read_refused(src, exc.reason)
        return None, src
    rows = _xlsx_rows(raw, src) if suffix == ".xlsx" else _csv_rows(raw, src)
    if rows is not None and len(rows) > MAX_ROWS:
        src.error((MAX_ROWS + 1, 1), f"行数过多（上限 {MAX_ROWS} 行）")
        return None, src
    return rows, src


def cell_starts(line: str) -> list[int]:
    """1-based character column where each CSV cell of `line` starts (quotes respected)."""
    starts, quoted = [1], False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            starts.append(i + 2)
    return starts


def fits_header(header: Row, row: Row, src: Source) -> bool:
    """Whether `row` lies under `header`; if not, an error naming row and column (never a
    silently padded or dropped cell). A CSV row must have the header's number of cells; in
    any sheet a filled cell must stand under a named column."""
    if not src.cells and len(row) != len(header) and row:
        n = row[0].line
        line = src.lines[n - 1] if 0 < n <= len(src.lines) else ""
        if len(row) < len(header):
            src.error((n, len(line) + 1), f"第 {n} 行只有 {len(row)} 个单元格，少于表头的 {len(header)} 列"
                                          f"（第 {len(row) + 1} 列“{header[len(row)].text}”起没有值）；空的单元格也要保留逗号")
        else:
            src.error(row[len(header)].pos, f"第 {n} 行有 {len(row)} 个单元格，多于表头的 {len(header)} 列"
                                           f"（第 {len(header) + 1} 列没有列名）；单元格中的逗号请用英文双引号把整格括起")
        return False
    for i, c in enumerate(row):
        if c.text and (i >= len(header) or not header[i].text):
            src.error(c.pos, f"第 {i + 1} 列有内容“{c.text[:20]}”，但表头这一列没有列名；请删去，或在表头补上列名")
            return False
    return True


def _csv_rows(raw: bytes, src: Source) -> list[Row] | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        src.error((line, 1), "CSV 文件不是 UTF-8 编码；Excel 请“另存为 CSV UTF-8（逗号分隔）”，WPS 请选 UTF-8 编码")
        return None
    # old Mac line ends (CR alone) as well as CRLF: the csv module wants one kind, and says so in English
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    src.lines = text.removesuffix("\n").split("\n")  # not splitlines(): it also breaks at \x0b, \x85, U+2028, which csv does not
    reader = csv.reader(io.StringIO(text), strict=True)  # strict: a quote left open is an error, not the rest of the file in one cell
    rows: list[Row] = []
    done = 0  # the last line of the last row read whole
    try:
        for row in reader:
            # the physical line each row starts on (a quoted cell may hold a line break)
            n = done + 1
            line = src.lines[n - 1] if 0 < n <= len(src.lines) else ""
            starts = cell_starts(line)
            if len(starts) < len(row):  # a cell after an embedded line break: fall back to its number
                starts = list(range(1, len(row) + 1))
            rows.append([Cell(c.strip(), n, starts[i]) for i, c in enumerate(row)])
            done = reader.line_num
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        n = min(done + 1, max(len(src.lines), 1))  # where the row that could not be read starts
        line = src.lines[n - 1] if 0 < n <= len(src.lines) else ""
        reason = str(exc)
        if "unexpected end of data" in reason:
            col = line.find('"') + 1 or 1
            src.error((n, col), "引号没有成对：这一格以引号开始，但直到文件末尾都没有结尾的引号；请补上引号或删去它")
        elif "expected after" in reason:
            col = line.find('"') + 1 or 1
            src.error((n, col), "引号用法有误：用引号括起的一格，结尾的引号后面应紧跟逗号或换行（格内的引号要写成两个：\"\"）")
        elif "NUL" in reason:
            src.error((n, 1), "含有空字符（NUL）：这不像是文本格式的 CSV 文件；Excel 请“另存为 CSV UTF-8（逗号分隔）”")
        elif "field limit" in reason:
            src.error((n, 1), f"单元格过长（超过 {csv.field_size_limit():,} 个字符）")
        else:
            src.error((n, 1), "CSV 格式有误，无法逐格读取；请在 Excel/WPS 中打开后“另存为 CSV UTF-8（逗号分隔）”")
        return None
    return rows


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _uncomputed_formulas(raw: bytes, empty: set[tuple[int, int]], bounds: dict) -> list[tuple[int, int]]:
    """The cells among `empty` (no cached value) of the first sheet that hold a formula."""
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        return [(n, c) for n, values in enumerate(wb.worksheets[0].iter_rows(**bounds), start=1)
                for c, v in enumerate(values, start=1) if (n, c) in empty and isinstance(v, str) and v.startswith("=")]
    finally:
        wb.close()


def _xlsx_rows(raw: bytes, src: Source) -> list[Row] | None:
    import warnings
    import zipfile

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops on reading
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        src.error((0, 0), f"不是有效的 Excel 工作簿（.xlsx）：{type(exc).__name__}；WPS 请“另存为 Excel 工作簿（*.xlsx）”")
        return None
    try:
        sheets = wb.worksheets
        rows: list[Row] = []
        # the sheet's declared size (its <dimension>) bounds what is read; a cell outside the
        # bounds is never silently dropped: the whole sheet is refused
        width, height = sheets[0].max_column or 0, sheets[0].max_row or 0
        if width > MAX_COLS:
            src.error((1, MAX_COLS + 1), f"表格有 {width} 列（上限 {MAX_COLS} 列）；请删去右边多余的列后另存")
            return None
        if height > MAX_ROWS:
            src.error((MAX_ROWS + 1, 1), f"行数过多：表格有 {height} 行（上限 {MAX_ROWS} 行）；请删去下面多余的行后另存")
            return None
        bounds = {"max_row": MAX_ROWS + 1, "max_col": MAX_COLS, "values_only": True}  # one more: read_table refuses it
        empty: list[tuple[int, int]] = []  # cells without a value: a formula there has no cached result
        for n, values in enumerate(sheets[0].iter_rows(**bounds), start=1):
            rows.append([Cell(_xlsx_text(v), n, c) for c, v in enumerate(values, start=1)])
            empty.extend((n, c) for c, v in enumerate(values, start=1) if v is None)
        others = [s.title for s in sheets[1:] if any(v is not None for r in s.iter_rows(**bounds) for v in r)]
    finally:
        wb.close()
    if empty:  # a second, streaming read with the formulas (field forms are small)
        uncomputed = _uncomputed_formulas(raw, set(empty), bounds)
        for n, c in uncomputed:
            src.error((n, c), "单元格是公式，但文件里没有它的计算结果（由程序生成、没有在 Excel/WPS 中打开保存过），或结果是空白；"
                              "请把公式换成它的结果（复制后“选择性粘贴—数值”），或在 Excel/WPS 中打开后保存一次")
        if uncomputed:
            return None
    if others:
        src.error((0, 0), f"只读第一个工作表“{sheets[0].title}”，但工作表“{'”“'.join(others)}”也有内容；请删去或移到别的文件，以免漏录")
        return None
    while rows and not any(c.text for c in rows[-1]):
        rows.pop()
    return rows
