"""Inspection records: reading them all, checking them against the data,
building new ones from a field sheet, options or prompts, and writing them.

Pure checks take `as_of` as an argument; writing goes through fsio.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Protocol

from pydantic import Field

from lufa_cli.domain.planning import WEEK_LABELS, week_bounds
from lufa_cli.errors import DataError, Diagnostic, RefusedError
from lufa_cli.model.data import Strict, Text, UnitId
from lufa_cli.model.records import (
    Amendment,
    Finding,
    Inspection,
    InspectionKind,
    Points,
    Proposal,
    RequirementText,
    SelfCheck,
    SpotCheck,
    SupervisionType,
)
from lufa_cli.reading.fsio import create_exclusive
from lufa_cli.reading.lifetime import keep_to_the_end
from lufa_cli.reading.yamlsrc import Source, gc_paused
from lufa_cli.records.store import M, inspection_path, record_files, record_yaml
from lufa_cli.workspace.loader import PathDisplay, display_path
from lufa_cli.workspace.validation import read_record, validate
from lufa_cli.workspace.workspace import Workspace

HEADER = "检查记录（lufa inspect record 生成；可手工修改，改后请运行 lufa check）"


# --- reading all records -----------------------------------------------------------


@dataclass
class RecordSet:
    inspections: list[Inspection] = field(default_factory=list)
    selfchecks: list[SelfCheck] = field(default_factory=list)
    spotchecks: list[SpotCheck] = field(default_factory=list)
    notices: list = field(default_factory=list)  # list[notices.Notice]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)  # inspection id → file
    notice_paths: dict[str, Path] = field(default_factory=dict)  # notice key (2026-0003) → file
    # a finding cited by two live notices (also in `diagnostics`); `notice void` may still run to fix it
    double_citations: list[Diagnostic] = field(default_factory=list)
    provisional: list = field(default_factory=list)  # [(file, ProvisionalNotice)]: offline, waiting for lufa sync
    # ids (file names) of inspection files and document numbers of notice files that did not
    # validate: reported in their own file, so a record citing one is not told it does not exist
    unreadable: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    def as_of(self, day: dt.date) -> RecordSet:
        """The records as they stood on `day`; every `--as-of` view is computed from this.

        Inspections, self-inspection receipts and spot-check draws dated after `day` are
        left out, notices issued after it too, and of the rest every feedback,
        verification or voiding dated after it. (An `inspect amend` is a correction of the
        record and counts as if it had always been so.)"""
        notices = [m for m in (n.as_of(day) for n in self.notices) if m is not None]
        inspections = [i for i in self.inspections if i.date <= day]
        # none issued later (the usual case), and one path per record: every path stays
        if len(notices) == len(self.notices) == len(self.notice_paths):
            notice_paths = dict(self.notice_paths)
        else:
            keys = {n.key for n in notices}
            notice_paths = {k: v for k, v in self.notice_paths.items() if k in keys}
        if len(inspections) == len(self.inspections) == len(self.paths):
            paths = dict(self.paths)
        else:
            ids = {i.id for i in inspections}
            paths = {k: v for k, v in self.paths.items() if k in ids}
        return RecordSet(
            inspections=inspections,
            selfchecks=[s for s in self.selfchecks if s.date <= day],
            spotchecks=[s for s in self.spotchecks if s.drawn <= day],
            notices=notices,
            diagnostics=list(self.diagnostics),
            paths=paths,
            notice_paths=notice_paths,
            double_citations=list(self.double_citations),
            provisional=[(path, p) for path, p in self.provisional if p.issued <= day],
            unreadable=set(self.unreadable),
        )


def load_records(ws: Workspace) -> RecordSet:
    """Read and check every record under data/records; all problems collected.

    With `ws.records_cache` (a file in a private per-user folder, see workspace.cache),
    validated records of unchanged files come from that cache; the result is the same.
    """
    from lufa_cli.workspace.cache import RecordCache, StaleCache

    # Reading tens of thousands of files allocates millions of short-lived objects while
    # the records already read stay alive, so the cyclic garbage collector keeps
    # re-scanning a growing heap (~20 % of `lufa check` at 35,000 record files). Reading
    # creates no reference cycles worth collecting: pause the collector meanwhile.
    with gc_paused():
        rc = RecordCache(ws.root, ws.records_cache)
        try:
            rs = _load_records(ws, rc.read)
        except StaleCache:  # a cached file changed under us: read everything afresh
            rc = RecordCache(ws.root, ws.records_cache, ignore_old=True)
            rs = _load_records(ws, rc.read)
        rc.save()
        # without this the first collections after the pause re-scan everything read (~0.3–0.4 s
        # each at 10,000 units)
        keep_to_the_end(len(rs.paths) + len(rs.notice_paths), rs, ws)
    return rs


def _unit_known(ws: Workspace, src: Source, loc: tuple, unit_id: str) -> None:
    if ws.unit(unit_id) is None:
        src.error(loc, f"单位编号“{unit_id}”不在名册中")


class ReadRecord(Protocol):
    """(file, model, how to display the path) → (record or None, its Source)"""

    def __call__(self, path: Path, model: type[M], show: Callable[[Path], str], *, inside: Path | None = None) -> tuple[M | None, Source]: ...


def _read_fresh(path: Path, model: type[M], show: Callable[[Path], str], *, inside: Path | None = None) -> tuple[M | None, Source]:
    return read_record(path, model, show(path), inside=inside)


def _load_records(ws: Workspace, read: ReadRecord = _read_fresh) -> RecordSet:
    rs = RecordSet()
    show = PathDisplay()  # display_path, resolving each folder once instead of each file
    units = ws.units_by_id
    inside = ws.root.parent
    sep = os.sep
    for path in record_files(ws.root, "inspections"):
        rec, src = read(path, Inspection, show, inside=inside)
        if rec is None:
            rs.unreadable.add(str(path).rpartition(sep)[2][:-5])
        else:
            for loc, message, severity in inspection_problems(ws, rec):
                src.error(loc, message, severity=severity)
            folder, _, name = str(path).rpartition(sep)  # plain string work: Path.parent/.name/.stem cost more, 35,000 times
            expected = name[:-5]  # *.yaml
            if rec.id != expected:
                src.error(("id",), f"记录编号“{rec.id}”与文件名“{name}”不一致（应为 {expected}）")
            year = folder.rpartition(sep)[2]
            if year != str(rec.date.year):
                src.error(("date",), f"检查日期 {rec.date} 不在 {year} 年的目录中")
            if rec.id in rs.paths:
                src.error(("id",), f"记录编号“{rec.id}”与 {show(rs.paths[rec.id])} 重复")
            rs.paths[rec.id] = path
            if src.ok:
                rs.inspections.append(rec)
        rs.diagnostics.extend(src.diagnostics)
    for path in record_files(ws.root, "selfchecks"):
        rec, src = read(path, SelfCheck, show, inside=inside)
        if rec is not None:
            if rec.unit not in units:
                src.error(("unit",), f"单位编号“{rec.unit}”不在名册中")
            folder, _, name = str(path).rpartition(sep)
            if name[:-5] != rec.unit or folder.rpartition(sep)[2] != str(rec.year):
                src.error(("unit",), f"文件应为 selfchecks/{rec.year}/{rec.unit}.yaml")
            if src.ok:
                rs.selfchecks.append(rec)
        rs.diagnostics.extend(src.diagnostics)
    for path in record_files(ws.root, "spotchecks"):
        rec, src = read(path, SpotCheck, show, inside=ws.root.parent)
        if rec is not None:
            for i, uid in enumerate(rec.units):
                _unit_known(ws, src, ("units", i), uid)
            if src.ok:
                rs.spotchecks.append(rec)
        rs.diagnostics.extend(src.diagnostics)
    rs.inspections.sort(key=lambda i: (i.date, i.id))
    _load_notices(ws, rs, read, show)
    _load_letters(ws, rs, show)
    _load_provisional(ws, rs, show)
    return rs


def _load_provisional(ws: Workspace, rs: RecordSet, show: Callable[[Path], str]) -> None:
    from lufa_cli.model.notices import ProvisionalNotice

    for path in record_files(ws.root, "provisional"):
        rec, src = read_record(path, ProvisionalNotice, show(path), inside=ws.root.parent)
        if rec is not None:
            _unit_known(ws, src, ("unit",), rec.unit)
            if rec.inspection is not None and rec.inspection not in rs.paths and rec.inspection not in rs.unreadable:
                src.error(("inspection",), f"检查记录“{rec.inspection}”不存在")
            if src.ok:
                rs.provisional.append((path, rec))
                src.error(("provisional",), "临时文书尚未定号（离线下达）：联网后运行 lufa sync 在服务器上确定文号", severity="warning")
        rs.diagnostics.extend(src.diagnostics)


def _load_notices(ws: Workspace, rs: RecordSet, read: ReadRecord, show: Callable[[Path], str] = display_path) -> None:
    from lufa_cli.domain.deadlines import deadline
    from lufa_cli.domain.workcal import WorkCalendar
    from lufa_cli.model.notices import LEGACY_KIND, Notice
    from lufa_cli.records.notices import history_problems, kind_dir, notice_rel

    cal = WorkCalendar(ws.calendar)
    by_id = {i.id: i for i in rs.inspections}
    seen: dict[tuple[str, int, int], Path] = {}
    files = record_files(ws.root, "notices")
    per_year: dict[tuple[str, int], list[int]] = {}  # (kind, year) → numbers: one sequence per kind
    cited: dict[tuple[str, int], tuple[str, str]] = {}  # (inspection, finding) → (doc number, path:line:col)
    # per (year, kind) and per (issue date, period): computed once, not once per notice
    folders: dict[tuple[int, str], str] = {}
    deadlines: dict[tuple[dt.date, int], dt.date] = {}
    kinds = {k.id: k for k in ws.settings.notice_kinds}
    units = ws.units_by_id
    inside = ws.root.parent
    escalation = ws.settings.escalation
    normcase = os.path.normcase if os.name == "nt" else str  # str: a Path's text, as normcase gives it on POSIX
    for path in files:
        rec, src = read(path, Notice, show, inside=inside)
        if rec is None and isinstance(src.data, dict) and isinstance(src.data.get("doc_number"), str):
            rs.unreadable.add(src.data["doc_number"])
        if rec is None and re.fullmatch(r"\d{4}-\d{4,}", path.stem):
            src.diagnostics[:] = [
                dataclasses.replace(d, message=d.message + f"；文书重号（两台电脑下达了同一文号）可用 lufa notice renumber {path.stem} 解决")
                if d.message.startswith("文件含有 git 合并冲突标记") else d
                for d in src.diagnostics
            ]
        if rec is not None:
            if rec.unit not in units:
                src.error(("unit",), f"单位编号“{rec.unit}”不在名册中")
            if rec.inspection is not None:
                insp = by_id.get(rec.inspection)
                if insp is None and rec.inspection not in rs.paths and rec.inspection not in rs.unreadable:  # an invalid one is reported in its own file
                    src.error(("inspection",), f"检查记录“{rec.inspection}”不存在")
                elif insp is not None:
                    ids = {f.id for f in insp.findings}
                    for i, f in enumerate(rec.findings):
                        if f.finding is not None and f.finding not in ids:
                            src.error(("findings", i, "finding"), f"检查记录 {insp.id} 中没有第 {f.finding} 条问题")
                    if insp.unit != rec.unit:
                        src.error(("unit",), f"单位“{rec.unit}”与检查记录 {insp.id} 的单位“{insp.unit}”不一致")
            kind = kinds.get(rec.kind)
            if kind is None:
                src.error(("kind",), f"文书种类“{rec.kind}”不在 settings.yaml 的 notice_kinds 中（可用：{'、'.join(k.id for k in ws.settings.notice_kinds)}）")
            for loc, message in history_problems(rec, escalation):
                src.error(loc, message)
            key = (rec.kind, rec.year, rec.number)
            if key in seen:
                src.error(
                    ("number",),
                    f"文号重复：{rec.doc_number} 同时出现在 {show(seen[key])} 和 {show(path)}"
                    "（常见于两台电脑分别下达后合并 git）；未送达的一份用 lufa notice renumber 该文件路径 改用新号，并通知相关单位",
                )
            else:
                seen[key] = path
            folder = folders.get((rec.year, rec.kind))
            if folder is None:
                folder = folders[(rec.year, rec.kind)] = normcase(kind_dir(ws.root, rec.year, rec.kind)) + os.sep
            if normcase(path) != f"{folder}{rec.year}-{rec.number:04d}.yaml":  # as Path equality: case-blind on Windows
                # the file name is what makes two clones' number 3 collide in git: it must match
                src.error(("number",), f"文件名应为 {notice_rel(rec)}，与记录中的种类、年度和编号一致")
            expected = deadlines.get((rec.issued, rec.rectify_days))
            if expected is None:
                expected = deadlines[(rec.issued, rec.rectify_days)] = deadline(rec.issued, rec.rectify_days, cal)
            if rec.deadline != expected:
                src.error(
                    ("deadline",),
                    f"整改期限 {rec.deadline} 与下达日期 {rec.issued} 起算 {rec.rectify_days} 日的法定期限 {expected} 不一致"
                    "（手工改过？或节假日数据已更新）",
                    severity="warning",
                )
            per_year.setdefault((rec.kind, rec.year), []).append(rec.number)
            if src.ok:
                rs.notices.append(rec)
                rs.notice_paths.setdefault(rec.key, path)
                if rec.inspection is not None and not rec.voided:
                    _cited_once(rs, cited, rec, path, src, show)
        rs.diagnostics.extend(src.diagnostics)
    for (kind_id, year), numbers in per_year.items():
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing:
            k = ws.settings.kind(kind_id)
            rs.diagnostics.append(Diagnostic(
                display_path(kind_dir(ws.root, year, kind_id)), 0, 0,
                f"{year} 年{'' if kind_id == LEGACY_KIND else (k.name if k else kind_id)}文号不连续，缺少第 {'、'.join(map(str, missing))} 号（记录被删除？作废的文书应保留记录，用 lufa notice void）",
                "warning",
            ))
    # a follow-up voided without its notice being told (lufa before `unfollowed`, or a run killed
    # between the two writes): the notice would wait for ever on a notice nobody follows up
    voided = {n.doc_number: n for n in rs.notices if n.voided}
    for n in rs.notices:
        follower = voided.get(n.followed_by or "")
        if follower is not None and not n.voided:
            on = next(e.date for e in follower.history if e.event == "void")
            rs.diagnostics.append(Diagnostic(
                show(rs.notice_paths[n.key]), 0, 0,
                f"接续本文书的 {follower.doc_number} 已于 {on} 作废，但本文书的记录没有注明，仍按“已接续”不再督办；"
                f"请在其 history 末尾加上一项：event: unfollowed、date: {on}、doc: {follower.doc_number}",
                "warning",
            ))
    rs.notices.sort(key=lambda n: (n.year, n.kind != LEGACY_KIND, n.kind, n.number))


def _load_letters(ws: Workspace, rs: RecordSet, show: Callable[[Path], str] = display_path) -> None:
    """The letters of the escalation ladder: valid, where their number says, about a notice that exists."""
    from lufa_cli.model.notices import LetterRecord

    known = {n.doc_number for n in rs.notices}
    for path in record_files(ws.root, "letters"):
        rec, src = read_record(path, LetterRecord, show(path))
        if rec is not None:
            _unit_known(ws, src, ("unit",), rec.unit)
            want = f"letters/{rec.letter}/{rec.year}/{rec.year}-{rec.number:04d}.yaml"
            if path.relative_to(ws.root / "records").as_posix() != want:
                src.error(("number",), f"文件名应为 {want}，与记录中的函件、年度和编号一致")
            if rec.notice not in known and rec.notice not in rs.unreadable:
                src.error(("notice",), f"文书“{rec.notice}”不存在")
        rs.diagnostics.extend(src.diagnostics)


def _cited_once(rs: RecordSet, cited: dict, rec, path: Path, src: Source, show: Callable[[Path], str]) -> None:
    """A finding may be cited by one live notice only (two clones may each have issued one)."""
    for i, f in enumerate(rec.findings):
        if f.finding is None:
            continue
        loc = ("findings", i, "finding")
        first = cited.get((rec.inspection, f.finding))
        if first is None:
            # a cached record's positions are read only when a message needs them
            where = (src, loc) if getattr(src, "deferred", False) else src.pos(loc)
            cited[(rec.inspection, f.finding)] = (rec.doc_number, path, where)
            continue
        first_doc, first_path, where = first
        first_line, first_col = where[0].pos(where[1]) if isinstance(where[0], Source) else where
        line, col = src.pos(loc)
        here = f"{show(path)}:{line}:{col}"
        d = Diagnostic(
            show(path), line, col,
            f"检查记录 {rec.inspection} 的第 {f.finding} 条问题同时由两份有效的文书下达：{first_doc}（{show(first_path)}:{first_line}:{first_col}）和 "
            f"{rec.doc_number}（{here}）；一条问题只能有一份有效的意见书（常见于两台电脑分别下达后合并 git），"
            "请作废其中一份：lufa notice void 文号 --reason 重复下达",
            "error", src.lines[line - 1] if 0 < line <= len(src.lines) else None,
        )
        rs.diagnostics.append(d)
        rs.double_citations.append(d)


def require_records(ws: Workspace, *, allow_double_citations: bool = False, as_of: dt.date | None = None) -> RecordSet:
    """All records, refused when any has an error (`allow_double_citations`: except those, for `notice void`);
    with `as_of`, the records as they stood that day."""
    rs = load_records(ws)
    allowed = rs.double_citations if allow_double_citations else []
    errors = [d for d in rs.diagnostics if d.severity == "error" and d not in allowed]
    if errors:
        raise DataError("记录文件有误，请先修改（lufa check 可列出全部问题）", diagnostics=rs.diagnostics)
    return rs if as_of is None else rs.as_of(as_of)


# --- checks against the data ---------------------------------------------------------


Problem = tuple[tuple, str, str]  # (location in the record, message, severity)


def inspection_problems(ws: Workspace, insp: Inspection | dict, *, as_of: dt.date | None = None) -> list[Problem]:
    """Everything wrong with one inspection against roster, checklist and settings."""
    get = insp.get if isinstance(insp, dict) else insp.__dict__.get  # a model's fields are its __dict__
    out: list[Problem] = []
    unit = get("unit")
    known_unit = unit if unit is not None and unit in ws.units_by_id else None  # a roster unit's id, else None
    if unit is not None and known_unit is None:
        out.append((("unit",), f"单位编号“{unit}”不在名册 units.yaml 中", "error"))
    items, bonus, bonus_limit, offices, methods = _checklist_index(ws)
    office = get("office")
    if office and office not in offices:
        ids = "、".join(o.id for o in ws.checklist.offices)
        out.append((("office",), f"科室“{office}”不在 checklist.yaml 的 offices 中（可用：{ids}）", "error"))
    for i, m in enumerate(get("methods") or ()):
        if m not in methods:
            out.append((("methods", i), f"检查方式“{m}”不在 checklist.yaml 的 methods 中（可用：{'、'.join(ws.checklist.methods)}）", "error"))
    for i, f in enumerate(get("findings") or []):
        fget: Callable[[str], Any] = f.get if isinstance(f, dict) else f.__dict__.get
        item_id = fget("item")
        item = items.get(item_id)
        if item is None:
            near = [k for k in items if k.startswith(str(item_id).split(".")[0])]
            hint = f"（该大类可用：{'、'.join(near)}）" if near else f"（可用：{'、'.join(items)}）"
            out.append((("findings", i, "item"), f"检查项目“{item_id}”不在 checklist.yaml 中{hint}", "error"))
        elif fget("deduction") is not None:
            problem = item.deduction_problem(fget("deduction"), bonus=item_id in bonus)
            awarded = fget("deduction") * (fget("count") or 1)
            if problem is None and item_id in bonus:
                if awarded > item.points:
                    problem = f"加分 {_num(awarded)} 超过加分项 {item.id} {item.name} 的上限 {item.points} 分"
                elif awarded > bonus_limit:
                    problem = f"加分 {_num(awarded)} 超过全年加分上限 {_num(bonus_limit)} 分（bonus_cap）"
            if problem:
                out.append((("findings", i, "deduction"), problem, "error"))
    proposed = get("proposed") or []
    for i, p in enumerate(proposed):
        if getattr(p, "item", None) not in items:
            out.append((("proposed", i, "item"), f"检查项目“{getattr(p, 'item', '')}”不在 checklist.yaml 中", "error"))
    pending = [p.id for p in proposed if getattr(p, "pending", False)]
    if pending:
        rid = get("id")
        out.append((("proposed",), f"有 {len(pending)} 条登记簿拟定问题（第 {'、'.join(map(str, pending))} 条）尚未确认或删去，确认前不计分："
                                   f"lufa inspect amend {rid} --confirm 号=扣分 或 --drop 号 --reason 原因", "warning"))
    date = get("date")
    if as_of is not None and isinstance(date, dt.date):
        if date > as_of:
            out.append((("date",), f"检查日期 {date} 晚于今天（{as_of}），不能记录将来的检查", "error"))
        elif date.year != as_of.year and not (date.year == as_of.year - 1 and as_of.month <= 3):
            out.append((("date",), f"检查日期 {date} 不在 {as_of.year} 年度内（上年度的检查只能在次年 3 月底前补录）", "error"))
    acknowledged = get("acknowledged") or ()
    kind = get("kind")
    # 重点监督 and 专项监督 go where the problem is: outside the plan week is their nature
    if (known_unit is not None and kind == "日常监督" and isinstance(date, dt.date)
            and (get("type") or "日常监督") == "日常监督" and "out_of_plan_week" not in acknowledged):
        warning = schedule_warning(ws, known_unit, date)
        if warning:
            out.append((("date",), warning, "warning"))
    if known_unit is not None and kind == "年中抽查" and isinstance(date, dt.date):
        warning = spotcheck_warning(ws, known_unit, date.year)
        if warning:
            out.append((("kind",), warning, "warning"))
    return out


def _checklist_index(ws: Workspace) -> tuple[dict[str, Any], set[str], float, set[str], set[str]]:
    """The checklist's items by id, the bonus items' ids, the bonus limit, the offices' ids and
    the methods, computed once per workspace (inspection_problems asks for every one of 10,000
    inspections)."""
    hit = ws.__dict__.get("_items")
    if hit is None or hit[0] is not ws.checklist:
        checklist = ws.checklist
        hit = ws.__dict__["_items"] = (checklist, {it.id: it for it in checklist.all_items()},
                                       {it.id for it in checklist.bonus_items()}, checklist.bonus_limit,
                                       {o.id for o in checklist.offices}, set(checklist.methods))
    return hit[1:]


def _slot_index(ws: Workspace, year: int) -> dict[str, Any]:
    """Unit id → the first slot of the year's plan that lists it, computed once per plan."""
    schedule = ws.schedule_for(year)
    cache: dict[int, tuple[Any, dict[str, Any]]] = ws.__dict__.setdefault("_slots", {})
    hit = cache.get(year)
    if hit is None or hit[0] is not schedule:
        index: dict[str, Any] = {}
        for slot in schedule.slots:
            for uid in slot.units:
                index.setdefault(uid, slot)
        hit = cache[year] = (schedule, index)
    return hit[1]


def drawn_units(ws: Workspace, year: int) -> list[str] | None:
    """The units drawn for the year's 年中抽查 (data/records/spotchecks/YEAR.yaml), None when none was saved."""
    hit = _drawn(ws, year)
    return hit[0] if hit is not None else None


def _drawn(ws: Workspace, year: int) -> tuple[list[str], set[str]] | None:
    """`drawn_units` and the same as a set. Asked once per 年中抽查 inspection (thousands at
    province scale): the file is read once per workspace, and again only when it changed."""
    from lufa_cli.records.store import spotcheck_path

    paths: dict[int, Path] = ws.__dict__.setdefault("_drawn_paths", {})
    path = paths.get(year) or paths.setdefault(year, spotcheck_path(ws.root, year))
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    seen: dict[int, tuple[tuple, tuple[list[str], set[str]] | None]] = ws.__dict__.setdefault("_drawn", {})
    key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    hit = seen.get(year)
    if hit is None or hit[0] != key:
        rec, _ = read_record(path, SpotCheck, display_path(path))
        hit = seen[year] = (key, (rec.units, set(rec.units)) if rec is not None else None)
    return hit[1]


def spotcheck_warning(ws: Workspace, unit_id: str, year: int) -> str | None:
    """A warning when a 年中抽查 inspects a unit that was not drawn (or nothing was drawn)."""
    drawn = _drawn(ws, year)
    if drawn is None:
        return f"{year} 年还没有保存年中抽查名单（lufa plan spotcheck --save），无法核对{ws.units_by_id[unit_id].name}是否被抽中"
    if unit_id not in drawn[1]:
        return f"{ws.units_by_id[unit_id].name}不在 {year} 年年中抽查名单中（lufa plan spotcheck 抽取的 {len(drawn[0])} 个单位）"
    return None


def schedule_warning(ws: Workspace, unit_id: str, date: dt.date) -> str | None:
    """A warning when a 日常监督 falls outside the unit's scheduled week."""
    rule = ws.schedule_for(date.year).week_rule
    slot = _slot_index(ws, date.year).get(unit_id)
    if slot is None:
        return f"{ws.units_by_id[unit_id].name}没有安排在分组计划表中（抽查或免检单位可忽略本提示）"
    bounds = week_bounds(date.year, slot.month, slot.week, rule)
    if bounds and bounds[0] <= date <= bounds[1]:
        return None
    when = f"{slot.month}月{WEEK_LABELS[slot.week]}"
    if bounds:
        when += f"（{bounds[0].month}月{bounds[0].day}日至{bounds[1].month}月{bounds[1].day}日）"
    return f"{ws.units_by_id[unit_id].name}按计划应在{when}检查，本次日期 {date} 不在该周（补查的：lufa inspect amend 记录编号 --ack-out-of-plan 注明已知悉，本提示不再出现）"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# --- new inspections: input sheet --------------------------------------------------


class FindingInput(Strict):
    item: Text
    deduction: Points
    description: Text
    requirement: RequirementText = ""  # 整改要求 ("" = none)
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    case: str | None = None
    case_name: str | None = None
    fixed_on_spot: bool = False


class InspectionSheet(Strict):
    """What a clerk prepares in the field (`inspect record --from FILE`)."""

    unit: str | None = None
    date: dt.date | None = None
    kind: InspectionKind | None = None
    type: SupervisionType | None = None
    inspectors: list[Text] = []
    office: UnitId | None = None
    methods: list[Text] = []
    findings: list[FindingInput] = []
    note: str = ""


def sheet_from(data: dict[str, Any], src: Source) -> InspectionSheet | None:
    src.data = data
    return validate(InspectionSheet, src)


# --- building and writing ------------------------------------------------------------


def new_inspection_id(unit_id: str, date: dt.date, n: int = 1) -> str:
    base = f"{date.isoformat()}-{unit_id}"
    return base if n == 1 else f"{base}-{n}"


def build_inspection(
    unit_id: str,
    date: dt.date,
    kind: str,
    *,
    type: str = "日常监督",  # the record's field name
    inspectors: Iterable[str] = (),
    office: str | None = None,
    methods: Iterable[str] = (),
    findings: Iterable[FindingInput] = (),
    note: str = "",
    inspection_id: str = "",
    acknowledged: Iterable[str] = (),
) -> Inspection:
    return Inspection(
        id=inspection_id or new_inspection_id(unit_id, date),
        unit=unit_id,
        date=date,
        kind=kind,  # type: ignore[arg-type]
        type=type,  # type: ignore[arg-type]
        inspectors=list(inspectors),
        office=office,
        methods=list(methods),
        findings=[Finding(id=i, **f.model_dump()) for i, f in enumerate(findings, start=1)],
        note=note,
        acknowledged=list(acknowledged),  # type: ignore[arg-type]
    )


def inspection_data(insp: Inspection) -> dict:
    """The plain data written for `insp` (keys without a value left out)."""
    data = insp.model_dump(mode="python", exclude_defaults=False)
    for f in data["findings"]:
        for key in ("case", "case_name", "withdrawn"):
            if f[key] is None:
                del f[key]
        if f["count"] == 1:  # the default: records without per-occurrence findings stay as they were
            del f["count"]
        if not f["requirement"]:  # none given: records written before the field stay as they were
            del f["requirement"]
    for p in data["proposed"]:
        for key in ("finding", "dropped"):
            if p[key] is None:
                del p[key]
        if not p["entry"]:
            del p["entry"]
    for key in ("amendments", "acknowledged", "proposed"):
        if not data[key]:
            del data[key]
    if data["type"] == "日常监督":  # the default: records written before the field stay as they were
        del data["type"]
    if data["office"] is None:
        del data["office"]
    return data


def inspection_yaml(insp: Inspection) -> str:
    return record_yaml(Inspection, inspection_data(insp), header=HEADER)


def write_new_inspection(ws: Workspace, insp: Inspection, *, again: bool = False) -> tuple[Inspection, Path]:
    """Write `insp` as the unit's inspection of that day; never overwrites.

    A second inspection of the same unit on the same day is refused unless `again`
    (then it is saved as date-unit-2, -3 …). The first file is created exclusively, so
    of two clerks recording the same visit at once one is refused."""
    ws.require_writable()
    first = insp.model_copy(update={"id": new_inspection_id(insp.unit, insp.date)})
    path = inspection_path(ws.root, first.id)
    if not again:
        if create_exclusive(path, inspection_yaml(first)):
            return first, path
        unit = ws.unit(insp.unit)
        raise RefusedError(
            f"{unit.name if unit else insp.unit} {insp.date} 已有检查记录 {first.id}（{display_path(path)}）；"
            f"补充问题请用 lufa inspect amend {first.id}，确是同一天的另一次检查请加 --again"
        )
    for n in range(1, 100):
        rec = insp.model_copy(update={"id": new_inspection_id(insp.unit, insp.date, n)})
        path = inspection_path(ws.root, rec.id)
        if path.exists():
            continue
        if create_exclusive(path, inspection_yaml(rec)):
            return rec, path
    raise RefusedError(f"{insp.date} 对 {insp.unit} 的检查记录已有 99 份，拒绝继续写入")


def update_inspection(ws: Workspace, path: Path, change: Callable[[Inspection], Inspection]) -> Inspection:
    """Change the inspection in `path` under its lock, starting from what is on disk now."""
    from lufa_cli.records.rewrite import update_record

    ws.require_writable()
    return update_record(path, Inspection, display_path(path), change, inspection_data, inspection_yaml)


def find_inspection(rs: RecordSet, ref: str) -> Inspection:
    from lufa_cli.errors import UsageError

    ref = ref.strip()
    for insp in rs.inspections:
        if insp.id == ref:
            return insp
    hits = [i for i in rs.inspections if ref in i.id]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UsageError(f"“{ref}”对应多份检查记录：{'、'.join(i.id for i in hits[:10])}，请写完整编号")
    raise UsageError(f"没有编号为“{ref}”的检查记录（lufa inspect list 可列出全部记录）")


PROPOSED = "【登记簿】"  # the description of a finding that came from the registers starts with this


def add_proposals(rec: Inspection, evidence: Iterable[Any], *, today: dt.date, as_of: dt.date) -> tuple[Inspection, int]:
    """`rec` with the register evidence (domain.registers.Evidence) not yet in it added as pending
    proposals (new ids, never reused); and how many were new. Evidence already proposed (same item,
    entry and text, whatever became of it) is not proposed again."""
    seen = {(p.item, p.source, p.entry, p.evidence) for p in rec.proposed}
    next_id = max((p.id for p in rec.proposed), default=0) + 1
    new = []
    for e in evidence:
        if (e.item, e.kind, e.entry, e.text) in seen:
            continue
        seen.add((e.item, e.kind, e.entry, e.text))
        new.append(Proposal(id=next_id, item=e.item, source=e.kind, entry=e.entry, evidence=e.text, as_of=as_of))
        next_id += 1
    if not new:
        return rec, 0
    summary = f"写入登记簿拟定问题 {len(new)} 条（第 {new[0].id}" + (f"—{new[-1].id}" if len(new) > 1 else "") + f" 条，登记簿截至 {as_of}）"
    data = {**rec.model_dump(), "proposed": [*(p.model_dump() for p in rec.proposed), *(p.model_dump() for p in new)],
            "amendments": [*rec.amendments, Amendment(date=today, summary=summary)]}
    return Inspection.model_validate(data), len(new)


def amend(
    rec: Inspection,
    *,
    today: dt.date,
    add: Iterable[FindingInput] = (),
    withdraw: dict[int, str] | None = None,
    deductions: dict[int, float] | None = None,
    note: str | None = None,
    acknowledge: Iterable[str] = (),
    confirm: dict[int, float] | None = None,
    drop: dict[int, str] | None = None,
    requirements: dict[int, str] | None = None,
    clear_requirements: Iterable[int] = (),
) -> Inspection:
    """A new version of `rec`; finding ids are never reused, withdrawn ones are kept.

    `requirements` (finding id → 整改要求) sets the requirement of an existing finding or of one
    added here (added findings are numbered after the record's last one); `clear_requirements`
    (finding ids) takes an existing finding's requirement away, withdrawn or not.

    `confirm` (proposal id → deduction) makes a register proposal a finding; `drop` (proposal id →
    reason) sets it aside. Either way the proposal stays in the record with its outcome."""
    from lufa_cli.errors import UsageError

    withdraw = withdraw or {}
    deductions = deductions or {}
    confirm, drop = confirm or {}, drop or {}
    ids = {f.id for f in rec.findings}
    for fid in list(withdraw) + list(deductions):
        if fid not in ids:
            raise UsageError(f"检查记录 {rec.id} 中没有第 {fid} 条问题")
    proposals = {p.id: p for p in rec.proposed}
    for pid in list(confirm) + list(drop):
        if pid not in proposals:
            raise UsageError(f"检查记录 {rec.id} 中没有第 {pid} 条登记簿拟定问题（lufa inspect show {rec.id} 可查）")
        p = proposals[pid]
        if not p.pending:
            done = f"已确认为第 {p.finding} 条问题" if p.finding is not None else f"已删去（{p.dropped}）"
            raise UsageError(f"第 {pid} 条登记簿拟定问题{done}，不能再次确认或删去")
    both = sorted(set(confirm) & set(drop))
    if both:
        raise UsageError(f"第 {both[0]} 条登记簿拟定问题不能同时确认和删去")
    summary: list[str] = []
    findings: list[Finding] = []
    for f in rec.findings:
        if f.id in withdraw:
            if f.withdrawn is not None:
                raise UsageError(f"第 {f.id} 条问题已于先前撤销，不能再次撤销")
            f = f.model_copy(update={"withdrawn": withdraw[f.id]})
            summary.append(f"撤销第 {f.id} 条问题（{withdraw[f.id]}）")
        if f.id in deductions:
            summary.append(f"第 {f.id} 条问题扣分 {_num(f.deduction)} → {_num(deductions[f.id])}")
            f = f.model_copy(update={"deduction": deductions[f.id]})
        findings.append(f)
    next_id = max(ids, default=0) + 1
    for f in add:
        findings.append(Finding(id=next_id, **f.model_dump()))
        summary.append(f"增加第 {next_id} 条问题（{f.item}）")
        next_id += 1
    proposed = []
    dropped: dict[str, list[str]] = {}  # reason → proposal ids
    for p in rec.proposed:
        if p.id in confirm:
            findings.append(Finding(id=next_id, item=p.item, deduction=confirm[p.id], description=PROPOSED + p.evidence))
            summary.append(f"确认登记簿拟定问题第 {p.id} 条为第 {next_id} 条问题（{p.item}，扣 {_num(confirm[p.id])} 分）")
            p = p.model_copy(update={"finding": next_id})
            next_id += 1
        elif p.id in drop:
            dropped.setdefault(drop[p.id], []).append(str(p.id))
            p = p.model_copy(update={"dropped": drop[p.id]})
        proposed.append(p.model_dump())
    summary += [f"删去登记簿拟定问题第 {'、'.join(ids)} 条（{why}）" for why, ids in dropped.items()]
    by_id = {f.id: i for i, f in enumerate(findings)}
    unknown = sorted(k for k in requirements or {} if k not in by_id)
    if unknown:
        raise UsageError(f"--requirement：检查记录 {rec.id} 中没有第 {'、'.join(map(str, unknown))} 条问题"
                         f"（新增的问题编号接在记录中最后一条之后；lufa inspect show {rec.id} 可查）")
    for fid, text in sorted((requirements or {}).items()):
        f = findings[by_id[fid]]
        if f.withdrawn is not None:
            raise UsageError(f"--requirement：第 {fid} 条问题已撤销，不能填写整改要求")
        if f.requirement == text:
            continue
        summary.append(f"{'修改' if f.requirement else '填写'}第 {fid} 条问题的整改要求")
        findings[by_id[fid]] = f.model_copy(update={"requirement": text})
    clears: list[int] = []
    for fid in clear_requirements:
        if fid in clears:
            raise UsageError(f"--clear-requirement 第 {fid} 条写了两次")
        clears.append(fid)
    both = sorted(set(clears) & set(requirements or {}))
    if both:
        raise UsageError(f"第 {both[0]} 条问题的整改要求不能同时用 --requirement 填写、用 --clear-requirement 删去")
    unknown = sorted(k for k in clears if k not in by_id)
    if unknown:
        raise UsageError(f"--clear-requirement：检查记录 {rec.id} 中没有第 {'、'.join(map(str, unknown))} 条问题（lufa inspect show {rec.id} 可查）")
    for fid in sorted(clears):
        f = findings[by_id[fid]]
        if not f.requirement:
            raise UsageError(f"--clear-requirement：第 {fid} 条问题没有整改要求，无需删去")
        summary.append(f"删去第 {fid} 条问题的整改要求")
        findings[by_id[fid]] = f.model_copy(update={"requirement": ""})
    update: dict[str, Any] = {"findings": [f.model_dump() for f in findings], "proposed": proposed}  # validated again below
    if note is not None:
        update["note"] = note
        summary.append("修改备注")
    new_acks = [a for a in acknowledge if a not in rec.acknowledged]
    if new_acks:
        update["acknowledged"] = [*rec.acknowledged, *new_acks]
        summary.append("注明已知悉：不在计划周的补查")
    elif acknowledge and not summary:
        raise UsageError(f"检查记录 {rec.id} 已注明知悉不在计划周，无需再注明")
    if not summary:
        raise UsageError("没有要修改的内容：请用 --finding、--withdraw、--deduction、--requirement、--clear-requirement、--confirm、--drop 或 --note")
    update["amendments"] = [*rec.amendments, Amendment(date=today, summary="；".join(summary))]
    # validate the whole record again (multiple_of, ranges…)
    return Inspection.model_validate({**rec.model_dump(), **{k: v for k, v in update.items()}})
