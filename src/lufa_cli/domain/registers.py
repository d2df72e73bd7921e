"""What the registers show, as of a date (pure: entries, settings, calendar and date passed in).

Nothing dated after `as_of` counts: a filing received later is "not received" on `as_of`,
a decision taken later does not exist yet. Filing periods are calendar days counted on the
legal calendar (domain/deadlines.py): day 15 after the decision is the last day, rolled past
rest days; a filing received the day after is late.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from lufa_cli.domain.deadlines import calendar_deadline
from lufa_cli.domain.workcal import WorkCalendar
from lufa_cli.model.registers import MATERIALS, NormativeFiling, PenaltyFiling, RegisterSettings, Staff, Training

ITEMS = {"penalty": "4", "normative": "6", "training": "2", "staff": "1.2"}  # checklist items (seed §三)


@dataclass(frozen=True)
class Evidence:
    """One thing a register shows against a unit: a proposed finding."""

    unit: str
    item: str
    kind: str
    entry: str  # register entry id
    text: str  # Chinese, with its dates


def on(d: dt.date | None, as_of: dt.date) -> dt.date | None:
    """`d` if it had happened by `as_of`."""
    return d if d is not None and d <= as_of else None


def filing_deadline(start: dt.date, days: int, cal: WorkCalendar) -> dt.date:
    return calendar_deadline(start, days, cal)


def add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


@dataclass(frozen=True)
class FilingState:
    deadline: dt.date
    received: dt.date | None  # as of the date
    late_days: int  # > 0: received late, or (not received) days past the deadline
    review_deadline: dt.date | None
    reviewed: dt.date | None
    review_late_days: int  # > 0: the bureau's review is overdue (not reviewed) by so many days

    @property
    def status(self) -> str:
        if self.received is None:
            return f"未报送，逾期 {self.late_days} 天" if self.late_days > 0 else f"未报送（期限 {self.deadline}）"
        return f"逾期 {self.late_days} 天报送" if self.late_days > 0 else "按时报送"

    @property
    def review_status(self) -> str:
        if self.received is None:
            return ""
        if self.reviewed is not None:
            return f"已审查（{self.reviewed}）"
        return f"审查逾期 {self.review_late_days} 天" if self.review_late_days > 0 else f"待审查（期限 {self.review_deadline}）"


def filing_state(start: dt.date, received: dt.date | None, reviewed: dt.date | None, days: int,
                 rs: RegisterSettings, cal: WorkCalendar, as_of: dt.date) -> FilingState:
    due = filing_deadline(start, days, cal)
    got = on(received, as_of)
    late = (got - due).days if got is not None else (as_of - due).days
    review_due = filing_deadline(got, rs.review_days, cal) if got is not None else None
    done = on(reviewed, as_of)
    review_late = (as_of - review_due).days if review_due is not None and done is None else 0
    return FilingState(due, got, max(late, 0), review_due, done, max(review_late, 0))


def penalty_state(f: PenaltyFiling, rs: RegisterSettings, cal: WorkCalendar, as_of: dt.date) -> FilingState:
    return filing_state(f.decided, f.received, f.reviewed, rs.penalty_filing_days, rs, cal, as_of)


def normative_state(f: NormativeFiling, rs: RegisterSettings, cal: WorkCalendar, as_of: dt.date) -> FilingState:
    return filing_state(f.issued, f.filed, f.reviewed, rs.normative_filing_days, rs, cal, as_of)


def penalty_evidence(eid: str, f: PenaltyFiling, rs: RegisterSettings, cal: WorkCalendar, as_of: dt.date) -> list[Evidence]:
    if f.decided > as_of:
        return []
    s = penalty_state(f, rs, cal, as_of)
    out = []
    head = f"重大行政处罚 {f.case}（{f.decided} 作出决定）"
    if s.received is None and s.late_days > 0:
        out.append(f"{head}未报县司法局备案，备案期限 {s.deadline} 已过 {s.late_days} 天")
    elif s.received is not None and s.late_days > 0:
        out.append(f"{head}{s.received} 才报送备案，超过备案期限 {s.deadline} {s.late_days} 天")
    if s.received is not None:
        missing = [m for m in MATERIALS if m not in f.materials]
        if missing:
            out.append(f"{head}备案材料不全：缺{'、'.join(missing)}")
    return [Evidence(f.unit, ITEMS["penalty"], "penalty", eid, t) for t in out]


def normative_evidence(eid: str, f: NormativeFiling, rs: RegisterSettings, cal: WorkCalendar, as_of: dt.date) -> list[Evidence]:
    if f.issued > as_of:
        return []
    s = normative_state(f, rs, cal, as_of)
    head = f"规范性文件 {f.number}《{f.title}》（{f.issued} 印发）"
    if s.received is None and s.late_days > 0:
        text = f"{head}未报送备案，备案期限 {s.deadline} 已过 {s.late_days} 天"
    elif s.received is not None and s.late_days > 0:
        text = f"{head}{s.received} 才报送备案，超过备案期限 {s.deadline} {s.late_days} 天"
    else:
        return []
    return [Evidence(f.unit, ITEMS["normative"], "normative", eid, text)]


def training_evidence(eid: str | None, unit: str, year: int, t: Training | None, rs: RegisterSettings, as_of: dt.date) -> list[Evidence]:
    if t is None:
        return [Evidence(unit, ITEMS["training"], "training", "", f"登记簿中没有 {year} 年度的培训计划和培训记录")]
    out = []
    if not t.plan:
        out.append(f"{year} 年度没有登记培训计划文件")
    hours = t.hours(as_of)
    if hours < rs.training_hours:
        n = sum(1 for s in t.sessions if s.date <= as_of)
        out.append(f"截至 {as_of} {year} 年度培训 {n} 次共 {_num(hours)} 学时，少于全年 {_num(rs.training_hours)} 学时")
    exam = on(t.exam, as_of)
    if exam is None:
        out.append(f"截至 {as_of} {year} 年度未组织执法人员考试")
    elif not t.papers_archived:
        out.append(f"{exam} 的考试试卷未归档")
    return [Evidence(unit, ITEMS["training"], "training", eid or "", x) for x in out]


def staff_evidence(eid: str, s: Staff, rs: RegisterSettings, cal: WorkCalendar, as_of: dt.date) -> list[Evidence]:
    if s.issued > as_of:
        return []
    who = f"{s.name}（执法证 {s.certificate}）"
    out = []
    left = on(s.left, as_of)
    if left is None:
        if s.expires < as_of:
            out.append(f"{who}在岗，证件已于 {s.expires} 过期")
        else:
            last = max([d for d in s.reviews if d <= as_of], default=s.issued)
            due = add_months(last, rs.certificate_review_months)
            if due < as_of:
                since = f"上次审验 {last}" if last != s.issued else f"发证 {s.issued} 后未审验"
                out.append(f"{who}证件未按期年度审验：{since}，应于 {due} 前审验")
    elif on(s.cancelled, as_of) is None:
        due = filing_deadline(left, rs.cancellation_days, cal)
        if as_of > due:
            out.append(f"{who}已于 {left} 离岗，证件未交回注销（应于 {due} 前注销）")
    lost = on(s.lost, as_of)
    if lost is not None:
        due = filing_deadline(lost, rs.announcement_days, cal)
        announced = on(s.announced, as_of)
        if announced is None and as_of > due:
            out.append(f"{who}证件于 {lost} 遗失，未公告作废（应于 {due} 前公告）")
        elif announced is not None and announced > due:
            out.append(f"{who}证件于 {lost} 遗失，{announced} 才在{s.announced_in}公告，超过期限 {due} {(announced - due).days} 天")
    return [Evidence(s.unit, ITEMS["staff"], "staff", eid, t) for t in out]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
