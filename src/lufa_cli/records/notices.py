"""Notices (行政执法监督意见书 and the other kinds in settings) and the rectification loop.

Numbering policy (README, 文号规则): numbers run per year from 1 and are never
reused. Each kind of notice has its own sequence. A 意见书 is one file named by
its year and number, ``data/records/notices/2026/2026-0003.yaml`` (the seed's
layout); another kind lives in a folder of its own inside the year,
``notices/2026/jueding/2026-0001.yaml``. The file is created exclusively: the number
is taken by the act of creating that file, so two processes can never take the
same one, and a killed process either created the complete file or took no
number. Two clones that both issue number 3 produce the same file name, which
git reports as an add/add conflict; if someone resolves it by renaming a file,
``lufa check`` reports the duplicate number naming both files and ``notice
issue`` refuses to run until it is fixed. A voided notice keeps its number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lufa_cli.domain.deadlines import WORKING_DAY_PERIODS, deadline
from lufa_cli.domain.escalation import STEP_NAMES
from lufa_cli.domain.workcal import WorkCalendar, cn_date
from lufa_cli.errors import RefusedError, UsageError
from lufa_cli.model.data import NoticeKind
from lufa_cli.model.notices import (
    ESCALATION_EVENTS,
    LEGACY_KIND,
    Case,
    Contact,
    Event,
    Notice,
    NoticeFinding,
    ProvisionalNotice,
)
from lufa_cli.model.records import Inspection
from lufa_cli.reading.fsio import create_exclusive
from lufa_cli.records.store import record_yaml, records_dir

HEADER = "监督文书记录（lufa notice issue 生成）。文号一经使用不再重用；请用 lufa notice / lufa rectify 命令修改"
ORDINALS = "一二三四五六七八九十"


def notices_dir(data_root: Path) -> Path:
    return records_dir(data_root) / "notices"


def kind_dir(data_root: Path, year: int, kind: str = LEGACY_KIND) -> Path:
    """The folder holding one kind's notices of one year (its number sequence)."""
    folder = notices_dir(data_root) / str(year)
    return folder if kind == LEGACY_KIND else folder / kind


def notice_path(data_root: Path, year: int, number: int, kind: str = LEGACY_KIND) -> Path:
    return kind_dir(data_root, year, kind) / f"{year}-{number:04d}.yaml"


def notice_rel(n: Notice) -> str:
    """Where `n` must live, relative to the records folder (for `lufa check`)."""
    sub = "" if n.kind == LEGACY_KIND else f"{n.kind}/"
    return f"notices/{n.year}/{sub}{n.year}-{n.number:04d}.yaml"


def notice_data(n: Notice) -> dict:
    """The plain data written for `n` (keys without a value left out)."""
    data = n.model_dump(mode="python")
    if data["case"] is None:
        del data["case"]
    for k in ("inspection", "follows"):
        if data[k] is None:
            del data[k]
    if data["reply_required"]:
        del data["reply_required"]
    for f in data["findings"]:
        for k in ("finding", "item"):
            if f[k] is None:
                del f[k]
    for e in data["history"]:
        for k in ("method", "result", "new_deadline"):
            if e[k] is None:
                del e[k]
        for k in ("doc", "note", "who", "promised"):
            if not e[k]:
                del e[k]
    return data


def notice_yaml(n: Notice) -> str:
    return record_yaml(Notice, notice_data(n), header=HEADER)


def update_notice(path: Path, display: str, change: Callable[[Notice], Notice]) -> Notice:
    """Change the notice in `path` under its lock, starting from what is on disk now."""
    from lufa_cli.records.rewrite import update_record

    return update_record(path, Notice, display, change, notice_data, notice_yaml)


def format_number(kind: NoticeKind, year: int, n: int) -> str:
    return kind.number_format.format(year=year, n=n)


# --- what is still open in an inspection ------------------------------------------------


def open_findings(insp: Inspection, notices: list[Notice]) -> list:
    """Active findings not fixed on the spot and not yet in a (non-void) notice."""
    taken = {
        f.finding
        for n in notices
        if n.inspection == insp.id and not n.voided
        for f in n.findings
        if f.finding is not None
    }
    return [f for f in insp.active_findings() if not f.fixed_on_spot and f.id not in taken]


# --- issuing ---------------------------------------------------------------------------------


@dataclass
class Draft:
    """Everything of a notice except its number."""

    kind: NoticeKind
    unit: str
    issued: dt.date
    findings: list[NoticeFinding]
    rectify_days: int
    deadline: dt.date
    inspection: str | None = None
    case: Case | None = None
    contact: Contact = Contact()
    follows: str | None = None

    def with_number(self, year: int, n: int) -> Notice:
        return Notice(
            year=year, number=n, doc_number=format_number(self.kind, year, n), kind=self.kind.id,
            kind_name=self.kind.name, unit=self.unit, issued=self.issued, inspection=self.inspection,
            case=self.case, findings=self.findings, rectify_days=self.rectify_days, deadline=self.deadline,
            contact=self.contact, reply_required=self.kind.reply_required, follows=self.follows,
        )

    def replace(self, **changes) -> Draft:
        return dataclasses.replace(self, **changes)


def draft(
    kind: NoticeKind,
    unit: str,
    issued: dt.date,
    findings: list[NoticeFinding],
    cal: WorkCalendar,
    *,
    days: int | None = None,
    inspection: str | None = None,
    case: Case | None = None,
    contact: Contact = Contact(),
    follows: str | None = None,
) -> Draft:
    if not findings:
        raise UsageError(f"{kind.name}至少要有一条问题")
    period = days or kind.rectify_days
    return Draft(kind, unit, issued, findings, period, deadline(issued, period, cal), inspection, case, contact, follows)


def next_number(existing: list[Notice], year: int, kind: str = LEGACY_KIND) -> int:
    used = [n.number for n in existing if n.year == year and n.kind == kind]
    return max(used, default=0) + 1


def claim_number(folder: Path, year: int, start: int, text: Callable[[int], str]) -> tuple[int, Path]:
    """Create `folder/YEAR-NNNN.yaml` with `text(n)` under the first free number from `start` (exclusive create)."""
    on_disk = [int(p.stem.split("-")[1]) for p in folder.glob(f"{year}-*.yaml") if p.stem.split("-")[-1].isdigit()]
    n = max([start, *[x + 1 for x in on_disk]])
    for _ in range(10_000):
        path = folder / f"{year}-{n:04d}.yaml"
        if create_exclusive(path, text(n)):
            return n, path
        n += 1
    raise RefusedError("无法分配文号：同一年度的文号已超过一万个")  # pragma: no cover


def take_number(data_root: Path, d: Draft, existing: list[Notice]) -> tuple[Notice, Path]:
    """Create the notice file under the next free number of its kind and year (exclusive create)."""
    year = d.issued.year
    n, path = claim_number(kind_dir(data_root, year, d.kind.id), year, next_number(existing, year, d.kind.id),
                           lambda n: notice_yaml(d.with_number(year, n)))
    return d.with_number(year, n), path


def citing(insp: Inspection, notices: list[Notice]) -> list[Notice]:
    """The live (not voided) notices that cite findings of `insp`."""
    return [n for n in notices if n.inspection == insp.id and not n.voided and any(f.finding is not None for f in n.findings)]


def issue_for_inspection(
    data_root: Path,
    insp_path: Path,
    display: str,
    known: dict[Path, Notice],
    make: Callable[[Inspection, list[Notice]], Draft | None],
) -> tuple[Notice, Path] | None:
    """Issue the notice `make` drafts from the inspection in `insp_path`, or None when it drafts none.

    The inspection's lock (the one `inspect amend` takes) is held while the inspection and the
    notices on disk are re-read, its open findings chosen and the number taken: two processes
    never put one finding into two notices. `known` (file → notice, already read) is updated.
    """
    from lufa_cli.errors import DataError
    from lufa_cli.reading.fsio import record_lock
    from lufa_cli.records.store import yaml_files
    from lufa_cli.workspace.validation import read_record

    with record_lock(insp_path, display):
        insp, src = read_record(insp_path, Inspection, display)
        if insp is None or not src.ok:
            raise DataError(f"检查记录 {display} 有误，没有下达（lufa check 可列出全部问题）", diagnostics=src.diagnostics)
        folder = notices_dir(data_root)
        for path in yaml_files(folder):
            if path in known:
                continue
            n, nsrc = read_record(path, Notice, str(path), inside=data_root.parent)
            if n is None or not nsrc.ok:
                raise DataError(f"文书记录 {path} 有误，没有下达（lufa check 可列出全部问题）", diagnostics=nsrc.diagnostics)
            known[path] = n
        d = make(insp, list(known.values()))
        if d is None:
            return None
        notice, path = take_number(data_root, d, list(known.values()))
        known[path] = notice
        return notice, path


# --- several clerks: numbers final on the shared remote (records/gitsync.py) -----------------


def provisional_dir(data_root: Path) -> Path:
    """Notices issued offline, waiting for a number (git-ignored: never shared until numbered)."""
    return records_dir(data_root) / "provisional"


def provisional_yaml(d: Draft) -> str:
    p = ProvisionalNotice(
        kind=d.kind.id, unit=d.unit, issued=d.issued, inspection=d.inspection, case=d.case, findings=d.findings,
        rectify_days=d.rectify_days, deadline=d.deadline, contact=d.contact, follows=d.follows,
    )
    data = p.model_dump(mode="python", exclude_none=True)
    for f in data["findings"]:
        for k in ("finding", "item"):
            f.pop(k, None) if f.get(k) is None else None
    return record_yaml(ProvisionalNotice, data, header="临时文书（离线下达，尚未定号，不能打印）：联网后运行 lufa sync 在服务器上确定文号")


def write_provisional(data_root: Path, d: Draft) -> Path:
    """Keep an offline draft under a name of its own (exclusive create)."""
    folder = provisional_dir(data_root)
    for k in range(1, 10_000):
        path = folder / f"{d.issued.isoformat()}-{d.unit}-{k}.yaml"
        if create_exclusive(path, provisional_yaml(d)):
            return path
    raise RefusedError("临时文书过多，请先运行 lufa sync")  # pragma: no cover


def draft_of(p: ProvisionalNotice, kind: NoticeKind) -> Draft:
    return Draft(kind, p.unit, p.issued, p.findings, p.rectify_days, p.deadline, p.inspection, p.case, p.contact, p.follows)


def publish_remote(repo, data_root: Path, d: Draft, *, extra: dict[Path, bytes] | None = None, removed: tuple[Path, ...] = (),
                   renumber_of: Notice | None = None, when: dt.date | None = None) -> tuple[Notice, Path, str]:
    """Take the next number of the year on the shared remote (gitsync.publish): (notice, path, commit)."""
    from lufa_cli.records import gitsync

    year = d.issued.year
    made: dict[int, Notice] = {}

    def make(n: int, tip: str) -> dict[Path, bytes]:
        draft_ = d if d.inspection is None or renumber_of is not None else _open_on_remote(repo, tip, data_root, d)
        notice = draft_.with_number(year, n)
        if renumber_of is not None:
            notice = renumbered(renumber_of, notice, when or d.issued)
        made[n] = notice
        return {notice_path(data_root, year, n, d.kind.id): notice_yaml(notice).encode("utf-8"), **(extra or {})}

    what = f"改号 {renumber_of.doc_number} → 第{{n}}号" if renumber_of is not None else "下达第{n}号"
    n, commit = gitsync.publish(
        repo, kind_dir(data_root, year, d.kind.id), year, make, removed=removed,
        message=f"lufa: {d.kind.name} {year}年{what}（{d.unit}）",
    )
    return made[n], notice_path(data_root, year, n, d.kind.id), commit


def _open_on_remote(repo, tip: str, data_root: Path, d: Draft) -> Draft:
    """`d` without the findings that a live notice on the remote (commit `tip`) already cites.

    Another clerk may have issued for the same inspection meanwhile: one finding, one live notice.
    """
    from lufa_cli.reading.yamlsrc import read_yaml
    from lufa_cli.records import gitsync
    from lufa_cli.workspace.validation import validate

    cited: dict[int, str] = {}
    for rel, raw in gitsync.files_citing(repo, tip, notices_dir(data_root), f"inspection: {d.inspection}"):
        src = read_yaml(Path(rel), display=rel, raw=raw)
        other = validate(Notice, src) if src.ok else None
        if other is not None and other.inspection == d.inspection and not other.voided:
            cited.update({f.finding: other.doc_number for f in other.findings if f.finding is not None})
    left = [f for f in d.findings if f.finding is None or f.finding not in cited]
    if not left:
        raise UsageError(
            f"检查记录 {d.inspection} 的问题已由 {'、'.join(sorted(set(cited.values())))} 下达（服务器上别的科员刚下达）；没有占用文号"
        )
    return d if len(left) == len(d.findings) else d.replace(findings=left)


def renumbered(old: Notice, new: Notice, when: dt.date) -> Notice:
    """`new` (the old notice under its new number) with a history entry naming the old number."""
    history = [*old.history, Event(event="renumber", date=when, note=f"原文号 {old.doc_number}（合并后重号，改用新号）")]
    return new.model_copy(update={"history": history})


def mark_sent(n: Notice, date: dt.date, note: str = "") -> Notice:
    """Record that the document was delivered (送达): from then on its number is fixed."""
    if n.voided:
        raise UsageError(f"{n.doc_number} 已作废，不能登记送达")
    if n.sent:
        raise UsageError(f"{n.doc_number} 已登记送达")
    if date < n.issued:
        raise UsageError(f"送达日期 {date} 早于下达日期 {n.issued}")
    return n.model_copy(update={"history": [*n.history, Event(event="sent", date=date, note=note)]})


def renumber_draft(n: Notice, kind: NoticeKind) -> Draft:
    """The content of `n` as a draft, to be numbered anew (the old history follows in `renumbered`)."""
    if n.sent:
        raise RefusedError(f"{n.doc_number} 已登记送达，文号不能再改；请另行处理重号（如作废后重新下达）")
    if n.voided:
        raise RefusedError(f"{n.doc_number} 已作废，无需改号（作废的号保留不用）")
    return Draft(kind, n.unit, n.issued, n.findings, n.rectify_days, n.deadline, n.inspection, n.case, n.contact, n.follows)


# --- the loop ------------------------------------------------------------------------------


# which states refuse which step of the loop, and why
_REFUSED = {
    "feedback": {
        "已作废": "已作废，不能登记整改情况",
        "已办结": "已核查通过并办结，不能再登记整改情况",
        "待核查": "已登记整改情况报告，正等待核查；请先用 lufa rectify verify 核查",
    },
    "verify": {
        "已作废": "已作废，不能核查",
        "已办结": "已核查通过并办结",
        "待反馈": "还没有收到整改情况报告，不能核查（请先用 lufa rectify feedback 登记）",
    },
}


def _state_allowing(n: Notice, step: str) -> tuple[str, dt.date]:
    status, when = n.state()
    if status == "已接续":
        raise UsageError(f"{n.doc_number} 已由 {n.followed_by} 接续下达：整改情况报告和核查结果请对 {n.followed_by} 登记")
    if status in _REFUSED[step]:
        raise UsageError(f"{n.doc_number} {_REFUSED[step][status]}")
    return status, when


def add_feedback(n: Notice, date: dt.date, doc: str = "", note: str = "") -> Notice:
    if not n.reply_required:
        raise UsageError(f"{n.doc_number}（{n.kind_name}）不要求书面回复；期限届满后直接用 lufa rectify verify 核查")
    _state_allowing(n, "feedback")
    if date < n.issued:
        raise UsageError(f"整改情况报告日期 {date} 早于意见书下达日期 {n.issued}")
    last = max((e.date for e in n.history), default=n.issued)
    if date < last:
        raise UsageError(f"整改情况报告日期 {date} 早于上一步（{last}）")
    return n.model_copy(update={"history": [*n.history, Event(event="feedback", date=date, doc=doc, note=note)]})


def add_verification(n: Notice, date: dt.date, method: str, result: str, cal: WorkCalendar, *, days: int | None = None, note: str = "") -> Notice:
    _, when = _state_allowing(n, "verify")
    floor = when if any(e.event == "feedback" for e in n.history) else max((e.date for e in n.history), default=n.issued)
    if date < floor:
        what = "整改情况报告日期" if floor == when and any(e.event == "feedback" for e in n.history) else "上一步的日期"
        raise UsageError(f"核查日期 {date} 早于{what} {floor}")
    new_deadline = deadline(date, days or n.rectify_days, cal) if result == "未通过" else None
    ev = Event(event="verify", date=date, method=method, result=result, new_deadline=new_deadline, note=note)  # type: ignore[arg-type]
    return n.model_copy(update={"history": [*n.history, ev]})


def void(n: Notice, date: dt.date, reason: str) -> Notice:
    if n.voided:
        raise UsageError(f"{n.doc_number} 已于先前作废，不能再次作废")
    if not reason.strip():
        raise UsageError("作废必须用 --reason 写明原因")
    if date < n.issued:
        raise UsageError(f"作废日期 {date} 早于下达日期 {n.issued}")
    return n.model_copy(update={"history": [*n.history, Event(event="void", date=date, note=reason.strip())]})


# --- the escalation ladder (催办 → 约谈 → 通报 → 移交线索; settings.yaml escalation) ---------------


def escalation_refusal(n: Notice, action: str, date: dt.date, steps: list) -> str | None:
    """Why the ladder step `action` on `date` is refused for `n` (None: allowed)."""
    name = STEP_NAMES[action]
    if not n.reply_required:
        return f"{n.doc_number}（{n.kind_name}）不要求书面回复，没有{name}等后续步骤"
    if not any(s.action == action for s in steps):
        return f"settings.yaml 的 escalation 中没有“{name}”这一步（现有：{'、'.join(s.name for s in steps) or '无'}）"
    status, _ = n.state()
    if n.followed_by and status != "已作废":
        return f"{n.doc_number} 已由 {n.followed_by} 接续下达，请对 {n.followed_by} 督办"
    if status != "待反馈":
        why = {"已作废": "已作废", "已办结": "已核查通过并办结", "待核查": "已报送整改情况、正等待核查"}[status]
        return f"{n.doc_number} {why}，不能{name}"
    if date <= n.current_deadline:
        return f"{n.doc_number} 的整改期限是 {n.current_deadline}，{date} 尚未逾期，不能{name}"
    last = max((e.date for e in n.history), default=n.issued)
    if date < last:
        return f"{name}日期 {date} 早于上一步（{last}）"
    order = ESCALATION_EVENTS.index(action)
    done = [e for e in n.escalation() if ESCALATION_EVENTS.index(e.event) >= order]
    if done:
        e = done[-1]
        return (f"{n.doc_number} 已于 {e.date} {STEP_NAMES[e.event]}，不能再{name}"
                "（按 催办 → 约谈 → 通报 → 移交线索 的顺序只能向后走，每步一次）")
    return None


def escalate(n: Notice, action: str, date: dt.date, steps: list, *, doc: str = "", who: str = "", promised: str = "", note: str = "") -> Notice:
    """`n` with the ladder step recorded (refused with a UsageError when it does not apply)."""
    why = escalation_refusal(n, action, date, steps)
    if why:
        raise UsageError(why)
    ev = Event(event=action, date=date, doc=doc, who=who, promised=promised, note=note)  # type: ignore[arg-type]
    return n.model_copy(update={"history": [*n.history, ev]})


def mark_followed(n: Notice, date: dt.date, by: str) -> Notice:
    """Record on `n` that the notice `by` (its document number) was issued after it."""
    return n.model_copy(update={"history": [*n.history, Event(event="followed", date=date, doc=by)]})


def mark_unfollowed(n: Notice, date: dt.date, by: str) -> Notice:
    """Record on `n` that the notice `by`, which carried it on, was voided: the loop is `n`'s again
    (unchanged when `by` does not carry it on)."""
    if n.followed_by != by:
        return n
    return n.model_copy(update={"history": [*n.history, Event(event="unfollowed", date=date, doc=by)]})


def follow_refusal(prev: Notice, kind: NoticeKind, issued: dt.date) -> str | None:
    """Why a notice of `kind` may not follow `prev` (None: it may)."""
    if prev.kind not in kind.follows:
        allowed = "、".join(kind.follows) or "无"
        return f"{kind.name}不能接在{prev.kind_name}（{prev.doc_number}）之后下达（settings.yaml 中它的 follows：{allowed}）"
    status, _ = prev.state()
    if status in ("已作废", "已办结"):
        return f"{prev.doc_number} {'已作废' if status == '已作废' else '已核查通过并办结'}，不能再据此下达{kind.name}"
    if prev.followed_by:
        return f"{prev.doc_number} 已由 {prev.followed_by} 接续下达，不能再次接续"
    if issued < prev.issued:
        return f"下达日期 {issued} 早于{prev.kind_name} {prev.doc_number} 的下达日期 {prev.issued}"
    return None


def history_problems(n: Notice, steps: list | None = None) -> list[tuple[tuple, str]]:
    """Order problems in a notice's history (for `lufa check`)."""
    out: list[tuple[tuple, str]] = []
    status = "待反馈" if n.reply_required else "待核查"
    last = n.issued
    deadline_ = n.deadline
    rung = -1
    if str(n.year) not in n.doc_number:
        out.append((("doc_number",), f"文号“{n.doc_number}”与年度 {n.year} 不符"))
    if n.issued.year != n.year:
        out.append((("issued",), f"下达日期 {n.issued} 不在 {n.year} 年"))
    if n.deadline < n.issued:
        out.append((("deadline",), f"整改期限 {n.deadline} 早于下达日期 {n.issued}"))
    for i, e in enumerate(n.history):
        if e.date < last:
            out.append((("history", i, "date"), f"日期 {e.date} 早于上一步（{last}）"))
        last = max(last, e.date)
        if status == "已作废":
            out.append((("history", i, "event"), "文书已作废，其后不应再有记录"))
        elif e.event == "feedback" and status != "待反馈":
            out.append((("history", i, "event"), "整改情况报告出现在核查之前的状态之外（重复登记或已办结）"))
        elif e.event == "verify":
            if status != "待核查":
                out.append((("history", i, "event"), "核查之前没有登记整改情况报告"))
            if e.method is None or e.result is None:
                out.append((("history", i, "event"), "核查记录缺少核查方式（method）或结果（result）"))
            if e.result == "未通过" and e.new_deadline is None:
                out.append((("history", i, "event"), "核查未通过时应有新的整改期限（new_deadline）"))
        elif e.event in ESCALATION_EVENTS:
            name = STEP_NAMES[e.event]
            if status != "待反馈":
                out.append((("history", i, "event"), f"{name}只能在等待整改情况报告时进行"))
            if e.date <= deadline_:
                out.append((("history", i, "date"), f"{name}日期 {e.date} 未超过整改期限 {deadline_}"))
            if ESCALATION_EVENTS.index(e.event) <= rung:
                out.append((("history", i, "event"), f"{name}出现在{STEP_NAMES[ESCALATION_EVENTS[rung]]}之后（顺序应为 催办 → 约谈 → 通报 → 移交线索）"))
            if steps is not None and not any(s.action == e.event for s in steps):
                out.append((("history", i, "event"), f"settings.yaml 的 escalation 中没有“{name}”这一步"))
            rung = max(rung, ESCALATION_EVENTS.index(e.event))
        if e.event == "void":
            status = "已作废"
        elif e.event == "feedback" and status == "待反馈":
            status = "待核查"
        elif e.event == "verify" and status == "待核查":
            status = "已办结" if e.result == "通过" else "待反馈"
            if e.new_deadline:
                deadline_ = e.new_deadline
    return out


def _case_text(name: str | None, number: str) -> str:
    return f"{name}（{number}）" if name else f"{number}案件"


def period_text(days: int) -> str:
    """The period as printed: a working-day period says so (7个工作日), a calendar one is 30日."""
    return f"{days}个工作日" if days in WORKING_DAY_PERIODS else f"{days}日"


def opening_case(n: Notice) -> dict | None:
    """The case the opening names: the one the clerk gave (--case-number), or the one every finding comes from."""
    cases = {(f.case, f.case_name) for f in n.findings}
    if n.case and n.case.number:
        return {"name": n.case.name or "办理的案件", "number": n.case.number}
    if len(cases) == 1 and next(iter(cases))[0]:
        number, cname = next(iter(cases))
        return {"name": cname or "办理的案件", "number": number}
    return None


def finding_texts(findings: list[NoticeFinding], case: dict | None) -> list[str]:
    """Each finding as printed: its own case when the opening names none, then its 整改要求."""
    out = []
    for f in findings:
        text = _sentence(f.text)
        if case is None and f.case:
            text = f"在{_case_text(f.case_name, f.case)}中，{text}"
        if f.requirement:
            text += f"整改要求：{_sentence(f.requirement)}"
        out.append(text)
    return out


def with_requirements(findings: list[NoticeFinding], given: dict[int, str]) -> list[NoticeFinding]:
    """`findings` with the 整改要求 given by their printed number (1 = 一是); a number past the last is refused."""
    over = sorted(k for k in given if not 1 <= k <= len(findings))
    if over:
        raise UsageError(f"--requirement 的序号 {'、'.join(map(str, over))} 超出范围：这份文书共 {len(findings)} 条问题"
                         "（序号即文书中“一是、二是……”的次序，可先用 --dry-run 查看）")
    return [f.model_copy(update={"requirement": given[i]}) if i in given else f for i, f in enumerate(findings, 1)]


def inspection_facts(inspection: Inspection | None, issuer: str, whom: str = "你单位") -> str:
    """When and how the unit was checked: 2026年4月13日，…对你单位开展了日常监督检查，采取…等方式。"""
    if inspection is None:
        return f"{issuer}对{whom}的行政执法工作进行了监督。"
    methods = "、".join(inspection.methods)
    what = inspection.kind + ("检查" if inspection.kind.endswith(("监督", "总结")) else "")
    if inspection.type != "日常监督":  # the supervision type of the 条例 when it is not the everyday one
        what = f"{inspection.type}检查" if inspection.kind == "日常监督" else f"{what}（{inspection.type}）"
    return f"{cn_date(inspection.date)}，{issuer}对{whom}开展了{what}" + (f"，采取{methods}等方式" if methods else "") + "。"


def wording_context(settings, date: dt.date, *, skip_cc: str = "") -> dict:
    """Legal basis, consequence and the 版记 (抄送, 印发机关, 印发日期) shared by notices and letters.

    `skip_cc`: the addressee, left out of the 抄送 (a letter is not copied to the body it is sent to)."""
    wording = settings.notice_wording
    cc = [c for c in wording.cc if not skip_cc or c not in skip_cc]
    return {
        "legal_basis": _sentence(wording.legal_basis).removesuffix("。") + "，",
        "consequence": _sentence(wording.consequence),
        "cc": "，".join(cc),
        "printed_by": wording.printed_by or settings.reply_office,
        "printed_on": cn_date(date) + "印发",
    }


def notice_context(n: Notice, unit_name: str, settings, follows: Notice | None = None, inspection: Inspection | None = None) -> dict:
    """Context of the notice .docx templates (docs/documents.md).

    The opening names a case only when every finding comes from it (or the clerk gave one with
    --case-number); otherwise it is general and each finding carries its own case.
    `follows`: the notice this one follows; `inspection`: the record it was issued from (date, methods).
    `findings` are whole sentences (case and requirement included), so older templates print them too.
    """
    contact = n.contact if (n.contact.name or n.contact.phone) else settings.contact
    case = opening_case(n)
    return {
        "follows": {"kind_name": follows.kind_name, "number": follows.doc_number, "date": cn_date(follows.issued),
                    "deadline": cn_date(follows.current_deadline)} if follows else None,
        "reply_required": n.reply_required,
        "kind_name": n.kind_name,
        "kind_short": n.kind_name[-3:] if n.kind_name.endswith("书") else "文书",
        "number": n.doc_number,
        "addressee": unit_name,
        **wording_context(settings, n.issued),
        "facts": inspection_facts(inspection, settings.issuer),
        "inspection_facts": inspection_facts(inspection, settings.issuer) if inspection is not None else "",
        "inspection_date": cn_date(inspection.date) if inspection is not None else "",
        "inspection_kind": inspection.kind if inspection is not None else "",
        "methods": "、".join(inspection.methods) if inspection is not None else "",
        "case": case,
        "findings": finding_texts(n.findings, case),
        "deadline_days": n.rectify_days,
        "period": period_text(n.rectify_days),
        "deadline": cn_date(n.deadline),
        "reply_office": settings.reply_office,
        "reply_room": settings.reply_room,
        "issuer": settings.issuer,
        "date": cn_date(n.issued),
        "contact_name": contact.name,
        "contact_phone": contact.phone,
    }


def receipt_context(n: Notice, unit_name: str, settings) -> dict:
    """Context of the 送达回证 (templates/receipt-songda.docx) written beside each notice."""
    return {
        "kind_name": n.kind_name,
        "number": n.doc_number,
        "addressee": unit_name,
        "remark": f"整改期限至{cn_date(n.current_deadline)}" + ("，请按期书面报送整改情况" if n.reply_required else ""),
        "reply_office": settings.reply_office,
        "reply_room": settings.reply_room,
        "issuer": settings.issuer,
        "date": cn_date(n.issued),
    }


def _sentence(text: str) -> str:
    s = text.strip().rstrip("。；;，,.、 \u3000")
    return s + "。" if s and s[-1] not in "？！?!…" else s


def notice_text(ctx: dict) -> str:
    """The notice as plain text (for --dry-run and mail), same wording as the .docx."""
    lines = [ctx["kind_name"], ctx["number"], "", f"{ctx['addressee']}：", ctx["legal_basis"] + ctx["facts"]]
    if ctx["case"]:
        lines.append(f"你单位{ctx['case']['name']}（{ctx['case']['number']}）经审查后发现：")
    else:
        lines.append("经监督检查，发现你单位存在以下问题：")
    for i, f in enumerate(ctx["findings"]):
        ordinal = ORDINALS[i] if i < 10 else str(i + 1)
        lines.append(f"{ordinal}是{f}")
    lines.append(
        f"请你单位接到本{ctx['kind_short']}后进行研究，制定具体措施、进一步完善制度，并于{ctx['deadline']}前（{ctx['period']}内）"
        f"将整改情况书面报送至{ctx['reply_office']}（{ctx['reply_room']}）。{ctx['consequence']}"
    )
    contact = (f"联系人：{ctx['contact_name']}，" if ctx["contact_name"] else "") + f"联系方式：{ctx['contact_phone']}"
    lines += ["", "（印章）", ctx["issuer"], ctx["date"], f"（{contact}）", ""]
    if ctx["cc"]:
        lines.append(f"抄送：{ctx['cc']}。")
    lines.append(f"{ctx['printed_by']}  {ctx['printed_on']}")
    return "\n".join(lines) + "\n"
