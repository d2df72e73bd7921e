"""The data model: roster, schedule, checklist, settings, calendar overrides.

Pydantic models with no I/O. They are strict (no silent coercion of '95' to
95, no unknown keys) and frozen; the loader feeds them plain data and turns
their errors into positioned Chinese diagnostics.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from lufa_cli.reading.fsio import is_device_name

KIND_LABELS = {"county": "县直单位", "township": "乡镇"}
WEEK_RULES = {
    "monday": "第N周＝周一落在该月的第N个周一至周日",
    "thursday": "第N周＝周四落在该月的第N个周一至周日（ISO 式）",
}


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


Text = Annotated[str, Field(min_length=1)]
def _not_a_device(value: str) -> str:
    # ids become file names (selfchecks/2026/<id>.yaml): Windows would open a device instead
    if is_device_name(value):
        raise ValueError(f"编号“{value}”是 Windows 的设备名（CON、PRN、AUX、NUL、COM1–9、LPT1–9），不能用作编号，请换一个")
    return value


UnitId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64), AfterValidator(_not_a_device)]


class Unit(Strict):
    id: UnitId
    name: Text
    short: Text
    kind: Literal["county", "township"]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


class Totals(Strict):
    county: Annotated[int, Field(ge=0)]
    township: Annotated[int, Field(ge=0)]


class Roster(Strict):
    totals: Totals
    units: list[Unit]


class Slot(Strict):
    month: Annotated[int, Field(ge=1, le=12)]
    week: Annotated[int, Field(ge=1, le=5)]
    units: Annotated[list[UnitId], Field(min_length=1, max_length=4)]


class Exemption(Strict):
    unit: UnitId
    reason: Text


class Schedule(Strict):
    week_rule: Literal["monday", "thursday"]
    months: Annotated[list[Annotated[int, Field(ge=1, le=12)]], Field(min_length=2, max_length=2)]
    slots: list[Slot]
    exempt: list[Exemption] = []

    @field_validator("months")
    @classmethod
    def _ordered(cls, v: list[int]) -> list[int]:
        if v[0] > v[1]:
            raise ValueError("起止月份顺序颠倒，应写成 [起始月, 结束月]")
        return v


class Office(Strict):
    id: UnitId
    name: Text
    phone: Text


Step = Annotated[float, Field(gt=0, le=100, multiple_of=0.5)]


class DeductionRange(Strict):
    """扣X-Y分: the deduction of one occurrence must lie within [min, max]."""

    min: Annotated[float, Field(ge=0, le=100, multiple_of=0.5)]
    max: Step

    @field_validator("max")
    @classmethod
    def _order(cls, v: float, info) -> float:
        low = info.data.get("min")
        if low is not None and v < low:
            raise ValueError(f"扣分范围的上限 {v:g} 小于下限 {low:g}")
        return v


class Item(Strict):
    """A scored item. Rules beyond `points` are optional; without them a finding deducts what it says.

    per_occurrence: each occurrence (每处/每次) deducts exactly this much; a finding gives a count.
    range: one occurrence deducts between range.min and range.max (扣5-15分).
    veto: a finding here grades the unit (or case file) in the lowest grade whatever its points (一票否决).
    """

    id: Annotated[str, Field(pattern=r"^[1-9][0-9]*(\.[1-9][0-9]*)?$")]
    name: Text
    points: Annotated[int, Field(ge=0, le=100)]
    checkpoints: list[Text] = []
    per_occurrence: Step | None = None
    range: DeductionRange | None = None
    veto: bool = False

    def deduction_problem(self, deduction: float, *, bonus: bool = False, what: str = "检查项目") -> str | None:
        """Why `deduction` (one occurrence) is not allowed on this item, or None; `what` names the item's kind."""
        word = "加分" if bonus else "扣分"
        if self.per_occurrence is not None and deduction != self.per_occurrence:
            return f"{what} {self.id} {self.name} 每处{word} {_num(self.per_occurrence)} 分，本条写的是 {_num(deduction)} 分"
        if self.range is not None and not self.range.min <= deduction <= self.range.max:
            return (f"{word} {_num(deduction)} 不在{what} {self.id} {self.name} 允许的范围 "
                    f"{_num(self.range.min)}—{_num(self.range.max)} 分之内")
        if deduction > self.points:
            if bonus:
                return f"加分 {_num(deduction)} 超过加分项 {self.id} {self.name} 的上限 {self.points} 分"
            return f"扣分 {_num(deduction)} 超过{what} {self.id} {self.name} 的分值 {self.points} 分"
        return None


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


class Category(Strict):
    no: Annotated[int, Field(ge=1, le=99)]
    name: Text
    office: UnitId
    items: Annotated[list[Item], Field(min_length=1)]
    bonus: bool = False  # 加分项: its items add points (each item's points is its cap); not part of the 100

    @property
    def points(self) -> int:
        return sum(i.points for i in self.items)


class Grade(Strict):
    name: Text
    min: Annotated[int, Field(ge=0, le=100)]


class KindWeight(Strict):
    """One part of the year's score (e.g. 日常 20 / 年终 80) and the inspection kinds it counts."""

    name: Text
    kinds: Annotated[list[Literal["日常监督", "年中抽查", "年终总结"]], Field(min_length=1)]
    weight: Annotated[int, Field(ge=1, le=100)]


class Checklist(Strict):
    offices: Annotated[list[Office], Field(min_length=1)]
    methods: Annotated[list[Text], Field(min_length=1)]
    grades: Annotated[list[Grade], Field(min_length=1)]
    categories: Annotated[list[Category], Field(min_length=1)]
    bonus_cap: Annotated[float, Field(ge=0, le=100, multiple_of=0.5)] | None = None  # all bonus items together
    weights: list[KindWeight] = []  # empty: every scored inspection counts alike (the default rule)

    def office(self, office_id: str) -> Office | None:
        return next((o for o in self.offices if o.id == office_id), None)

    def items(self) -> list[Item]:
        """The scored (deduction) items, which make up the 100 points."""
        return [i for c in self.categories if not c.bonus for i in c.items]

    def bonus_items(self) -> list[Item]:
        return [i for c in self.categories if c.bonus for i in c.items]

    def all_items(self) -> list[Item]:
        return [i for c in self.categories for i in c.items]

    @property
    def bonus_limit(self) -> float:
        """The most bonus a unit can get in a year: bonus_cap, else the sum of the bonus items' caps."""
        total = float(sum(i.points for i in self.bonus_items()))
        return total if self.bonus_cap is None else min(total, self.bonus_cap)

    def grade(self, score: float) -> str:
        for g in sorted(self.grades, key=lambda g: -g.min):
            if score >= g.min:
                return g.name
        return self.grades[-1].name


def check_number_format(v: str) -> str:
    """A document number format with exactly {year} and {n}, in hexagonal brackets."""
    if "{n}" not in v or "{year}" not in v:
        raise ValueError("文号格式必须含有 {year} 和 {n}，如 鲁政行监字〔{year}〕{n}号")
    for bad, good in (("【", "〔"), ("】", "〕"), ("[", "〔"), ("]", "〕")):
        if bad in v:
            raise ValueError(f"文号应使用六角括号〔〕，不能用“{bad}”，请改为“{good}”")
    import string

    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(v) if name is not None]
    except ValueError:
        raise ValueError("文号格式中的花括号不成对；只能含有 {year} 和 {n} 两个占位符") from None
    if any(name not in ("year", "n") or spec or conv for name, spec, conv in fields):
        raise ValueError("文号格式只能含有 {year} 和 {n} 两个占位符，不能加其他内容")
    return v


class NoticeKind(Strict):
    """One supervision instrument (通知书, 意见书, 决定书): its number sequence, template and period."""

    id: UnitId
    name: Text
    number_format: Text
    template: Text
    rectify_days: Annotated[int, Field(ge=1, le=365)]
    reply_required: bool = True  # the unit reports in writing (else the group checks after the period)
    follows: list[UnitId] = []  # kinds this one may follow (`notice issue --follows`)

    @field_validator("number_format")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        return check_number_format(v)


class Letter(Strict):
    """A numbered letter of the escalation ladder (催办函, 线索移交函)."""

    id: UnitId  # also the folder of its records: records/letters/<id>/<year>/
    name: Text
    number_format: Text
    template: Text
    addressee: str = ""  # empty: the unit itself

    @field_validator("number_format")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        return check_number_format(v)


ESCALATION_ACTIONS = ("remind", "interview", "circular", "refer")  # the fixed order of the ladder


class EscalationStep(Strict):
    action: Literal["remind", "interview", "circular", "refer"]
    name: Text
    after_days: Annotated[int, Field(ge=0, le=365)]  # waiting days after the previous step (the first: after the deadline)
    letter: Letter | None = None


DEFAULT_ESCALATION = [
    EscalationStep(action="remind", name="催办", after_days=1, letter=Letter(
        id="cuiban", name="行政执法监督催办函", number_format="鲁政行监催字〔{year}〕{n}号", template="letter-cuiban.docx")),
    EscalationStep(action="interview", name="约谈", after_days=7),
    EscalationStep(action="circular", name="通报", after_days=7),
    EscalationStep(action="refer", name="移交线索", after_days=15, letter=Letter(
        id="yijiao", name="问题线索移交函", number_format="鲁政行监移字〔{year}〕{n}号", template="letter-yijiao.docx",
        addressee="中共鲁山县纪律检查委员会、鲁山县监察委员会")),
]


class Contact(Strict):
    name: str = ""
    phone: str = ""


class NoticeWording(Strict):
    """The editable sentences and the 版记 of every notice kind (settings.yaml notice_wording)."""

    legal_basis: Text = "根据《行政执法监督条例》和《关于在全县开展依法行政监督考核的工作制度》（鲁法政办〔2021〕4号）的规定"
    consequence: Text = "逾期未整改或者整改不到位的，将予以通报，并视情况约谈你单位负责人、向县纪委监委移交有关问题线索。"
    cc: list[Text] = []  # 抄送机关, printed in the 版记
    printed_by: str = ""  # 印发机关 of the 版记; empty: reply_office


class SyncSettings(Strict):
    """Several clerks, one number sequence: numbers are final once the shared git remote accepts them."""

    remote: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")] = "origin"
    branch: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9._/-]+$")] = "main"


class Settings(Strict):
    issuer: Text
    reply_office: Text
    reply_room: Text
    contact: Contact = Contact()
    notice_kinds: Annotated[list[NoticeKind], Field(min_length=1)]
    default_notice_kind: UnitId
    verification_wait_days: Annotated[int, Field(ge=1, le=365)] = 15
    referral_overdue_days: Annotated[int, Field(ge=1, le=3650)] = 30
    fonts: Literal["gb2312", "windows"] = "gb2312"
    notice_wording: NoticeWording = NoticeWording()
    superior: Text = "平顶山市司法局"  # 上级主管部门: the addressee of the 先进典型报告 (lufa report models); an assumption
    chart_font: str | None = None  # the charts' CJK font (a family name or a font file); absent: found on the machine
    sync: SyncSettings | None = None  # absent: one clerk, numbers taken locally (offline)
    escalation: list[EscalationStep] = DEFAULT_ESCALATION  # 催办 → 约谈 → 通报 → 移交线索 (assumption)

    def kind(self, kind_id: str) -> NoticeKind | None:
        return next((k for k in self.notice_kinds if k.id == kind_id), None)

    def step(self, action: str) -> EscalationStep | None:
        return next((s for s in self.escalation if s.action == action), None)


class HolidayRange(Strict):
    start: dt.date
    end: dt.date
    name: Text

    @field_validator("end")
    @classmethod
    def _order(cls, v: dt.date, info) -> dt.date:
        start = info.data.get("start")
        if start is not None and v < start:
            raise ValueError("结束日期早于开始日期")
        if start is not None and (v - start).days > 30:
            raise ValueError(f"放假区间 {start} 至 {v} 超过 31 天，请检查是否写错")
        return v


class CalendarYear(Strict):
    year: Annotated[int, Field(ge=2000, le=2099)]
    holidays: list[HolidayRange] = []
    workdays: list[dt.date] = []


class CalendarOverrides(Strict):
    years: list[CalendarYear] = []
