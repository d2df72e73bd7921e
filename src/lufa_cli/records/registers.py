"""Register entries on disk: one YAML file each under ``data/records/registers/<kind>/``.

Layout (the file name is the entry's id; two clerks registering the same thing get a git
add/add conflict, never a silent duplicate)::

    registers/penalty/2026/sifaju-2026-001.yaml      重大行政处罚备案（年份 = 决定日期所在年）
    registers/normative/2026/sifaju-2026-001.yaml    规范性文件备案（年份 = 印发日期所在年）
    registers/training/2026/sifaju-2026.yaml         培训考核（每个单位每年一份）
    registers/staff/sifaju-001.yaml                  执法人员（每人一份）

Reading checks each file strictly, then across files: the unit is in the roster, the file is
where its content says, and no case number / document number / certificate number is
registered twice (both files named). Sheets (`--from`) and options are parsed by the same
column table, so a value means the same wherever it is typed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from lufa_cli.errors import DataError, Diagnostic, UsageError
from lufa_cli.model.registers import EXAM_FORMS, KIND_LABELS, KINDS, MATERIALS, MODELS, REVIEW_RESULTS
from lufa_cli.reading.fsio import create_exclusive, record_lock
from lufa_cli.reading.sheets import Cell, read_table
from lufa_cli.reading.textclean import clean_text
from lufa_cli.reading.yamlsrc import Source, dump
from lufa_cli.records.store import records_dir, yaml_files
from lufa_cli.workspace.loader import PathDisplay, display_path
from lufa_cli.workspace.validation import read_record, translate
from lufa_cli.workspace.workspace import Workspace

HEADER = "{label}登记（lufa register {kind} record 生成；可手工修改，改后请运行 lufa check）"


def registers_dir(root: Path, kind: str) -> Path:
    return records_dir(root) / "registers" / kind


def entry_year(kind: str, rec: Any) -> int | None:
    return {"penalty": lambda: rec.decided.year, "normative": lambda: rec.issued.year,
            "training": lambda: rec.year, "staff": lambda: None}[kind]()


def entry_path(root: Path, kind: str, eid: str, year: int | None) -> Path:
    folder = registers_dir(root, kind)
    return (folder / str(year) if year is not None else folder) / f"{eid}.yaml"


def entry_text(kind: str, rec: BaseModel) -> str:
    return dump(rec.model_dump(exclude_defaults=True), header=HEADER.format(label=KIND_LABELS[kind], kind=kind))


def entry_data(rec: BaseModel) -> dict:
    return rec.model_dump(exclude_defaults=True)


# --- reading and checking all entries -------------------------------------------------------


@dataclass
class RegisterSet:
    entries: dict[str, dict[str, Any]] = field(default_factory=lambda: {k: {} for k in KINDS})  # kind → id → model
    paths: dict[tuple[str, str], Path] = field(default_factory=dict)  # (kind, id) → file
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    def count(self) -> int:
        return sum(len(v) for v in self.entries.values())

    def training(self, unit: str, year: int) -> tuple[str | None, Any]:
        eid = f"{unit}-{year}"
        return (eid, self.entries["training"].get(eid)) if eid in self.entries["training"] else (None, None)


# the key that identifies an entry within its register, and how to name it in a message
IDENTITY = {
    "penalty": ("case", "案号"),
    "normative": ("number", "文号"),
    "staff": ("certificate", "执法证号"),
}


def norm_number(text: str) -> str:
    """A case/document number as compared for duplicates: spaces and bracket styles ignored (〔〕 typed as [], 【】, () or （）)."""
    t = re.sub(r"\s+", "", text)
    return t.translate(str.maketrans("[]［］【】()（）", "〔〕〔〕〔〕〔〕〔〕"))


def _expected_id(kind: str, rec: Any, stem: str) -> bool:
    if kind == "training":
        return stem == f"{rec.unit}-{rec.year}"
    if kind == "staff":
        return re.fullmatch(rf"{re.escape(rec.unit)}-\d{{3,}}", stem) is not None
    return re.fullmatch(rf"{re.escape(rec.unit)}-{entry_year(kind, rec)}-\d{{3,}}", stem) is not None


def _id_pattern(kind: str) -> str:
    return {"training": "单位编号-年份", "staff": "单位编号-序号（如 sifaju-001）"}.get(kind, "单位编号-年份-序号（如 sifaju-2026-001）")


def load_registers(ws: Workspace) -> RegisterSet:
    """Read and check every register entry; all problems collected.

    With `ws.records_cache`, validated entries of unchanged files come from the registers'
    cache file (workspace/cache.py); every check across files runs on them all the same."""
    from lufa_cli.workspace.cache import RecordCache, StaleCache, registers_cache_file

    file = registers_cache_file(ws.records_cache)
    rc = RecordCache(ws.root, file)
    try:
        rs = _load_registers(ws, rc.read)
    except StaleCache:  # a cached file changed under us: read everything afresh
        rc = RecordCache(ws.root, file, ignore_old=True)
        rs = _load_registers(ws, rc.read)
    rc.save()
    return rs


def _read_fresh(path: Path, model: Any, show: Callable[[Path], str], *, inside: Path | None = None) -> tuple[Any, Source]:
    return read_record(path, model, show(path), inside=inside)


def _load_registers(ws: Workspace, read: Callable[..., tuple[Any, Source]] = _read_fresh) -> RegisterSet:
    rs = RegisterSet()
    show = PathDisplay()
    for kind in KINDS:
        folder = registers_dir(ws.root, kind)
        seen: dict[str, tuple[Path, str]] = {}
        for path in yaml_files(folder):
            rec, src = read(path, MODELS[kind], show, inside=ws.root.parent)
            if rec is not None:
                if ws.unit(rec.unit) is None:
                    src.error(("unit",), f"单位编号“{rec.unit}”不在名册中")
                year = entry_year(kind, rec)
                if not _expected_id(kind, rec, path.stem):
                    src.error(("unit",), f"文件名“{path.name}”与内容不符：应为 {_id_pattern(kind)}.yaml，单位编号与记录中的 unit 一致")
                elif (path.parent.name if year is not None else path.parent) != (str(year) if year is not None else folder):
                    where = f"registers/{kind}/{year}/" if year is not None else f"registers/{kind}/"
                    src.error(("unit",), f"文件应放在 {where} 目录中")
                if kind in IDENTITY:
                    key, label = IDENTITY[kind]
                    value = norm_number(getattr(rec, key))
                    if value in seen:
                        src.error((key,), f"{label}“{getattr(rec, key)}”重复登记：{show(seen[value][0])} 与 {show(path)}")
                    else:
                        seen[value] = (path, getattr(rec, key))
                if kind == "staff" and rec.lost is not None and rec.announced is None:
                    src.error(("lost",), f"证件于 {rec.lost} 遗失，尚未登记遗失公告（公告日期、公告媒体）；"
                                         f"遗失后 {ws.registers.announcement_days} 日内应公告作废", severity="warning")
                if src.ok:
                    rs.entries[kind][path.stem] = rec
                    rs.paths[(kind, path.stem)] = path
            rs.diagnostics.extend(src.diagnostics)
    return rs


def require_registers(ws: Workspace) -> RegisterSet:
    rs = load_registers(ws)
    if not rs.ok:
        raise DataError("登记簿有误（lufa check 可列出全部问题）", diagnostics=rs.diagnostics)
    return rs


def find_entry(ws: Workspace, kind: str, eid: str) -> Path:
    folder = registers_dir(ws.root, kind)
    hits = [p for p in yaml_files(folder) if p.stem == eid] if re.fullmatch(r"[a-z0-9-]+", eid) else []
    if not hits:
        raise UsageError(f"{KIND_LABELS[kind]}登记“{eid}”不存在（lufa register {kind} list 可列出全部登记）")
    return hits[0]


def next_id(root: Path, kind: str, unit: str, year: int | None, taken: set[str]) -> str:
    folder = registers_dir(root, kind) / str(year) if year is not None else registers_dir(root, kind)
    prefix = f"{unit}-{year}-" if year is not None else f"{unit}-"
    used = {p.stem for p in folder.glob(f"{prefix}*.yaml")} if folder.is_dir() else set()
    used |= taken
    nums = [int(s[len(prefix):]) for s in used if s.startswith(prefix) and s[len(prefix):].isdigit()]
    return f"{prefix}{max(nums, default=0) + 1:03d}"


@contextlib.contextmanager
def register_lock(ws: Workspace, kind: str) -> Iterator[None]:
    """Hold the lock of a whole register while its entries are checked and one is added or changed.

    A new file is created exclusively, so two lufa never write the same number; but two processes
    checking "is this case number registered?" at the same moment would both say no. Checking and
    writing under this lock (a file ``.register.lock`` in the register's folder, like every record
    lock: pid, host, time, broken when stale) makes the duplicate check hold across processes."""
    folder = registers_dir(ws.root, kind)
    created = [p for p in (folder, *folder.parents) if not p.exists()]  # removed again if left empty
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with record_lock(folder / "register", f"{KIND_LABELS[kind]}登记簿（{display_path(folder)}/）"):
            yield
    finally:
        for p in created:  # innermost first; a folder another process filled meanwhile stays
            try:
                p.rmdir()
            except OSError:
                break


def write_new(ws: Workspace, kind: str, rec: Any) -> tuple[str, Path]:
    """Write a new entry under the next free id (never reusing or overwriting one)."""
    year = entry_year(kind, rec)
    if kind == "training":
        eid = f"{rec.unit}-{rec.year}"
        path = entry_path(ws.root, kind, eid, year)
        if not create_exclusive(path, entry_text(kind, rec)):
            raise UsageError(f"{ws.units_by_id[rec.unit].name} {rec.year} 年度的培训考核已登记（{display_path(path)}）；增加培训或考试请用 lufa register training amend {eid}")
        return eid, path
    taken: set[str] = set()
    while True:
        eid = next_id(ws.root, kind, rec.unit, year, taken)
        path = entry_path(ws.root, kind, eid, year)
        if create_exclusive(path, entry_text(kind, rec)):
            return eid, path
        taken.add(eid)  # another lufa took it a moment ago: the next one


# --- columns: one vocabulary for sheets, options and `amend 字段=值` -----------------------


@dataclass(frozen=True)
class Column:
    key: str
    labels: tuple[str, ...]  # the first is what lists and help show
    type: str = "text"  # text | date | list | dates | bool | hours | choice | year
    required: bool = False
    choices: tuple[str, ...] = ()


COLUMNS: dict[str, list[Column]] = {
    "penalty": [
        Column("unit", ("单位", "报备单位", "备案单位"), required=True),
        Column("case", ("案号", "决定书文号", "文号"), required=True),
        Column("decided", ("决定日期", "处罚决定日期"), "date", True),
        Column("received", ("收到日期", "备案日期"), "date"),
        Column("materials", ("备案材料", "材料"), "list", choices=MATERIALS),
        Column("review", ("审查结果",), "choice", choices=REVIEW_RESULTS),
        Column("reviewed", ("审查日期",), "date"),
        Column("reviewer", ("审查人",)),
        Column("note", ("备注",)),
    ],
    "normative": [
        Column("unit", ("单位", "制定机关", "报备单位"), required=True),
        Column("number", ("文号",), required=True),
        Column("title", ("文件名称", "标题", "名称"), required=True),
        Column("issued", ("印发日期", "发布日期"), "date", True),
        Column("filed", ("报送日期", "备案日期", "收到日期"), "date"),
        Column("review", ("审查结果",), "choice", choices=REVIEW_RESULTS),
        Column("reviewed", ("审查日期",), "date"),
        Column("reviewer", ("审查人",)),
        Column("note", ("备注",)),
    ],
    "training": [
        Column("unit", ("单位",), required=True),
        Column("year", ("年度",), "year"),
        Column("plan", ("培训计划", "计划文号")),
        Column("session_date", ("培训日期",), "date"),
        Column("session_hours", ("学时",), "hours"),
        Column("session_topic", ("培训内容", "内容")),
        Column("exam", ("考试日期",), "date"),
        Column("exam_form", ("考试形式", "题型"), "list", choices=EXAM_FORMS),
        Column("papers_archived", ("试卷归档",), "bool"),
        Column("note", ("备注",)),
    ],
    "staff": [
        Column("unit", ("单位",), required=True),
        Column("name", ("姓名",), required=True),
        Column("certificate", ("执法证号", "证号"), required=True),
        Column("issued", ("发证日期",), "date", True),
        Column("expires", ("有效期至", "有效期"), "date", True),
        Column("reviews", ("审验日期", "年度审验"), "dates"),
        Column("status", ("状态",), "choice", choices=("在岗", "离岗")),
        Column("left", ("离岗日期",), "date"),
        Column("cancelled", ("注销日期",), "date"),
        Column("lost", ("遗失日期",), "date"),
        Column("announced", ("公告日期", "遗失公告日期"), "date"),
        Column("announced_in", ("公告媒体", "公告载体")),
        Column("note", ("备注",)),
    ],
}
_TRUE, _FALSE = {"是", "true", "1", "√", "✓"}, {"否", "false", "0", ""}
_SEPS = ("、", ",", "，", ";", "；", " ", "\u3000")


def columns_help(kind: str) -> str:
    cols = COLUMNS[kind]
    parts = []
    for c in cols:
        extra = "（必填）" if c.required else ""
        if c.choices:
            extra += f"（{'、'.join(c.choices)}{'，多个用顿号分隔' if c.type == 'list' else ''}）"
        elif c.type in ("date", "dates"):
            extra += "（YYYY-MM-DD" + ("，多个用顿号分隔" if c.type == "dates" else "") + "）"
        elif c.type == "bool":
            extra += "（是/否）"
        parts.append(c.labels[0] + extra)
    return "、".join(parts)


def parse_value(col: Column, text: str) -> Any:
    """The value of one cell/option as typed; ValueError (Chinese) when it is not one."""
    text = clean_text(text.strip())
    if col.type == "text":
        return text
    if col.type in ("date",):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{col.labels[0]}“{text}”不是有效日期，请写成 YYYY-MM-DD，如 2026-04-13") from None
    if col.type == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError(f"年度“{text}”应为四位年份，如 2026")
        return int(text)
    if col.type == "hours":
        try:
            hours = float(text)
        except ValueError:
            raise ValueError(f"学时“{text}”不是数字") from None
        if not 0.5 <= hours <= 24 or hours * 2 != int(hours * 2):
            raise ValueError(f"学时应为 0.5 至 24 之间、以 0.5 为单位的数字，实际是“{text}”")
        return hours
    if col.type == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(f"{col.labels[0]}应填“是”或“否”，实际是“{text}”")
    if col.type == "choice":
        if text not in col.choices:
            raise ValueError(f"{col.labels[0]}“{text}”无效，可选：{'、'.join(col.choices)}")
        return text
    for sep in _SEPS[1:]:
        text = text.replace(sep, _SEPS[0])
    parts = [p for p in text.split(_SEPS[0]) if p]
    if col.type == "dates":
        return [parse_value(Column(col.key, col.labels, "date"), p) for p in parts]
    bad = [p for p in parts if p not in col.choices]
    if bad:
        raise ValueError(f"{col.labels[0]}“{bad[0]}”无效，可选：{'、'.join(col.choices)}")
    return parts


def column(kind: str, label: str) -> Column | None:
    t = label.strip().rstrip("：:")
    return next((c for c in COLUMNS[kind] if t in c.labels or t == c.key), None)


def model_problems(kind: str, data: dict) -> tuple[Any, list[tuple[str, str]]]:
    """The model built from `data`, or the (key, Chinese message) of each problem."""
    model = MODELS[kind]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        out = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            out.append((str(loc[0]) if loc else "", translate(err, model)[0]))
        return None, out


# --- a batch from a sheet ---------------------------------------------------------------------


@dataclass
class SheetRow:
    cells: dict[str, Cell]
    values: dict[str, Any]


def read_sheet(ws: Workspace, kind: str, path: Path, today: dt.date) -> list[Any]:
    """Every row of a register sheet checked (and, for training, rows merged per unit and year)
    before anything is written; DataError naming every bad cell otherwise."""
    from lufa_cli.domain.roster import resolve_unit

    rows, src = read_table(path, display_path(path))
    recs: list[tuple[Cell, Any]] = []
    if rows is not None:
        rows = [r for r in rows if any(c.text for c in r)]
        if not rows:
            src.error((1, 1), "表格是空的")
        else:
            parsed = _sheet_rows(kind, rows, src)
            for row in parsed:
                try:
                    row.values["unit"] = resolve_unit(ws.roster.units, row.values["unit"]).id
                except UsageError as exc:
                    src.error(row.cells["unit"].pos, exc.message)
                    row.values["unit"] = None
            parsed = [r for r in parsed if r.values["unit"] is not None]
            groups = _training_groups(parsed, src) if kind == "training" else [(r, dict(r.values)) for r in parsed]
            for row, data in groups:
                for key, value in data.items():
                    if isinstance(value, dt.date) and value > today and key in row.cells and key != "expires":
                        src.error(row.cells[key].pos, f"日期 {value} 晚于今天（{today}）")
                rec, problems = model_problems(kind, data)
                for key, message in problems:
                    cell = row.cells.get(key) or row.cells.get({"sessions": "session_hours"}.get(key, "")) or row.cells["unit"]
                    src.error(cell.pos, message)
                if rec is not None:
                    recs.append((row.cells["unit"], rec))
            _duplicates(ws, kind, recs, src)
    if not src.ok:
        diags = sorted(src.diagnostics, key=lambda d: (d.line, d.col))
        raise DataError(f"表格 {display_path(path)} 有误，没有登记任何一条", diagnostics=diags)
    if not recs:
        raise UsageError(f"表格 {display_path(path)} 中没有要登记的行")
    return [r for _, r in recs]


def _sheet_rows(kind: str, rows: list[list[Cell]], src: Source) -> list[SheetRow]:
    cols: dict[str, int] = {}
    for i, c in enumerate(rows[0]):
        if not c.text:
            continue
        col = column(kind, c.text)
        if col is None:
            src.error(c.pos, f"第 {i + 1} 列：未知的列“{c.text}”；可用的列：{'、'.join(x.labels[0] for x in COLUMNS[kind])}")
        elif col.key in cols:
            src.error(c.pos, f"第 {i + 1} 列：列“{c.text}”重复")
        else:
            cols[col.key] = i
    for col in COLUMNS[kind]:
        if col.required and col.key not in cols:
            src.error(rows[0][0].pos, f"缺少列“{col.labels[0]}”")
    if not src.ok:
        return []
    out = []
    by_key = {c.key: c for c in COLUMNS[kind]}
    for row in rows[1:]:
        cells = {k: (row[i] if i < len(row) else Cell("", row[0].line, i + 1)) for k, i in cols.items()}
        values: dict[str, Any] = {}
        ok = True
        for key, cell in cells.items():
            col = by_key[key]
            if not cell.text:
                if col.required:
                    src.error(cell.pos, f"没有填{col.labels[0]}")
                    ok = False
                continue
            try:
                values[key] = parse_value(col, cell.text)
            except ValueError as exc:
                src.error(cell.pos, str(exc))
                ok = False
        if ok:
            out.append(SheetRow(cells, values))
    return out


def _training_groups(rows: list[SheetRow], src: Source) -> list[tuple[SheetRow, dict]]:
    """Training rows (one per session) merged into one entry per unit and year."""
    groups: dict[tuple[str, int], tuple[SheetRow, dict]] = {}
    for row in rows:
        v = row.values
        year = v.get("year") or (v.get("session_date") or v.get("exam") or dt.date.min).year
        if year == dt.date.min.year:
            src.error(row.cells.get("year", row.cells["unit"]).pos, "没有填年度（或培训日期、考试日期）")
            continue
        if ("session_date" in v) != ("session_hours" in v):
            missing = "session_hours" if "session_date" in v else "session_date"
            src.error(row.cells.get(missing, row.cells["unit"]).pos, "培训日期和学时应同时填写")
            continue
        first, data = groups.setdefault((v["unit"], year), (row, {"unit": v["unit"], "year": year, "sessions": []}))
        for key in ("plan", "exam", "exam_form", "papers_archived", "note"):
            if key in v:
                if key in data and data[key] != v[key]:
                    src.error(row.cells[key].pos, f"与第 {first.cells[key].line} 行填的不一致（同一单位同一年度只能有一个{_label('training', key)}）")
                data[key] = v[key]
        if "session_date" in v:
            data["sessions"].append({"date": v["session_date"], "hours": v["session_hours"], **({"topic": v["session_topic"]} if "session_topic" in v else {})})
    return list(groups.values())


def _label(kind: str, key: str) -> str:
    return next(c.labels[0] for c in COLUMNS[kind] if c.key == key)


def _duplicates(ws: Workspace, kind: str, recs: list[tuple[Cell, Any]], src: Source) -> None:
    """A case/document/certificate number already registered, or twice in the sheet."""
    if kind == "training":
        for cell, rec in recs:
            path = entry_path(ws.root, kind, f"{rec.unit}-{rec.year}", rec.year)
            if path.exists():
                src.error(cell.pos, f"{ws.units_by_id[rec.unit].name} {rec.year} 年度的培训考核已登记（{display_path(path)}）；增加培训请用 lufa register training amend {rec.unit}-{rec.year}")
        return
    key, label = IDENTITY[kind]
    existing = {norm_number(getattr(r, key)): eid for eid, r in load_registers_kind(ws, kind).items()}
    seen: dict[str, int] = {}
    for cell, rec in recs:
        value = norm_number(getattr(rec, key))
        if value in existing:
            src.error(cell.pos, f"{label}“{getattr(rec, key)}”已登记（{existing[value]}）")
        elif value in seen:
            src.error(cell.pos, f"{label}“{getattr(rec, key)}”在第 {seen[value]} 行已填过")
        else:
            seen[value] = cell.line


def load_registers_kind(ws: Workspace, kind: str) -> dict[str, Any]:
    rs = require_registers(ws)
    return rs.entries[kind]


def new_entry_problems(ws: Workspace, kind: str, rec: Any) -> list[str]:
    """Why `rec` cannot be registered next to what is there (duplicate identity)."""
    if kind == "training":
        path = entry_path(ws.root, kind, f"{rec.unit}-{rec.year}", rec.year)
        return [f"{ws.units_by_id[rec.unit].name} {rec.year} 年度的培训考核已登记（{display_path(path)}）；增加培训或考试请用 lufa register training amend {rec.unit}-{rec.year}"] if path.exists() else []
    key, label = IDENTITY[kind]
    value = norm_number(getattr(rec, key))
    rs = require_registers(ws)
    return [f"{label}“{getattr(rec, key)}”已登记（{eid}，{display_path(rs.paths[(kind, eid)])}）"
            for eid, r in rs.entries[kind].items() if norm_number(getattr(r, key)) == value]


def parse_session(text: str) -> dict:
    """`日期:学时[:内容]` of `--session`."""
    parts = re.split(r"[:：]", text.strip(), maxsplit=2)
    if len(parts) < 2:
        raise ValueError(f"“{text}”应写成 日期:学时[:内容]，如 2026-03-05:4:行政处罚法")
    out = {"date": parse_value(Column("session_date", ("培训日期",), "date"), parts[0]),
           "hours": parse_value(Column("session_hours", ("学时",), "hours"), parts[1])}
    if len(parts) > 2 and parts[2].strip():
        out["topic"] = clean_text(parts[2].strip())
    return out


def amend_problems(ws: Workspace, rs: RegisterSet, kind: str, eid: str, old: Any, new: Any) -> list[str]:
    """Why the amended entry cannot stay where it is: its year (folder) changed, or its number is another entry's."""
    out = []
    if entry_year(kind, new) != entry_year(kind, old):
        out.append(f"修改会使登记改属 {entry_year(kind, new)} 年（现在是 {entry_year(kind, old)} 年，文件按年份存放）；请改回，或重新登记后删除 {display_path(rs.paths[(kind, eid)])}")
    if kind in IDENTITY:
        key, label = IDENTITY[kind]
        value = norm_number(getattr(new, key))
        out += [f"{label}“{getattr(new, key)}”已登记（{other}，{display_path(rs.paths[(kind, other)])}）"
                for other, r in rs.entries[kind].items() if other != eid and norm_number(getattr(r, key)) == value]
    return out
