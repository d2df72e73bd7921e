"""Registers the 县司法局 keeps all year (seed §三): major-penalty filings, normative-document
filings, training and enforcement staff; and their periods and thresholds (data/registers.yaml).

One YAML file per entry, under ``data/records/registers/<kind>/``. Pydantic models, no I/O.
Rules that need one entry only are validators here; rules that need the roster, the legal
calendar or other files are in records/registers.py and domain/registers.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, field_validator

from lufa_cli.model.data import Strict, Text, UnitId
from lufa_cli.model.records import Amendment

Days = Annotated[int, Field(ge=1, le=365)]
Hours = Annotated[float, Field(ge=0, le=1000)]
MATERIALS = ("备案报告", "决定书复印件", "备案表")
Material = Literal["备案报告", "决定书复印件", "备案表"]
REVIEW_RESULTS = ("合法适当", "存在问题")
ReviewResult = Literal["合法适当", "存在问题"]


class RegisterSettings(Strict):
    """data/registers.yaml; every figure the seed does not give is marked 假定 there."""

    penalty_filing_days: Days = 15  # 省政府令168号: within 15 days of the decision
    normative_filing_days: Days = 30  # assumption
    review_days: Days = 15  # assumption: the bureau's own review period after receipt
    training_hours: Annotated[float, Field(ge=0, le=1000)] = 20  # seed §三(二)
    certificate_review_months: Annotated[int, Field(ge=1, le=60)] = 12  # 年度审验
    cancellation_days: Days = 30  # assumption: a leaver's certificate is cancelled within this
    announcement_days: Days = 30  # assumption: a lost certificate is announced (遗失公告) within this


def _not_before(info, earlier: str, value, message: str):
    """`value` (a date or None) must not be before the field `earlier` validated before it."""
    first = info.data.get(earlier)
    if value is not None and first is not None and value < first:
        raise ValueError(message.format(value=value, first=first))
    return value


def _review_rules(info, reviewed: dt.date | None, received_field: str) -> dt.date | None:
    if (info.data.get("review") is None) != (reviewed is None) and "review" in info.data:
        raise ValueError("审查结果和审查日期应同时填写")
    if reviewed is not None and received_field in info.data and info.data[received_field] is None:
        raise ValueError("尚未收到备案，不能有审查日期")
    return _not_before(info, received_field, reviewed, "审查日期 {value} 早于收到日期 {first}")


class PenaltyFiling(Strict):
    """重大行政处罚备案 (seed §三(四)); received None = a decision known but not yet filed."""

    unit: UnitId
    case: Text  # 决定书文号 / 案号
    decided: dt.date
    received: dt.date | None = None
    materials: list[Material] = []
    review: ReviewResult | None = None
    reviewed: Annotated[dt.date | None, Field(validate_default=True)] = None
    reviewer: str = ""
    note: str = ""
    amendments: list[Amendment] = []

    @field_validator("received")
    @classmethod
    def _received(cls, v, info):
        return _not_before(info, "decided", v, "收到日期 {value} 早于处罚决定日期 {first}")

    @field_validator("materials")
    @classmethod
    def _materials(cls, v, info):
        if len(set(v)) != len(v):
            raise ValueError("备案材料重复")
        if v and "received" in info.data and info.data["received"] is None:
            raise ValueError("尚未收到备案，不能有备案材料")
        return v

    @field_validator("reviewed")
    @classmethod
    def _reviewed(cls, v, info):
        return _review_rules(info, v, "received")


class NormativeFiling(Strict):
    """规范性文件备案 (seed §三(六)); filed None = issued but not filed yet."""

    unit: UnitId
    number: Text  # 文号
    title: Text
    issued: dt.date
    filed: dt.date | None = None
    review: ReviewResult | None = None
    reviewed: Annotated[dt.date | None, Field(validate_default=True)] = None
    reviewer: str = ""
    note: str = ""
    amendments: list[Amendment] = []

    @field_validator("filed")
    @classmethod
    def _filed(cls, v, info):
        return _not_before(info, "issued", v, "报送备案日期 {value} 早于印发日期 {first}")

    @field_validator("reviewed")
    @classmethod
    def _reviewed(cls, v, info):
        return _review_rules(info, v, "filed")


class Session(Strict):
    date: dt.date
    hours: Annotated[float, Field(ge=0.5, le=24)]
    topic: str = ""


ExamForm = Literal["单选", "判断", "多选", "论述"]
EXAM_FORMS = ("单选", "判断", "多选", "论述")


class Training(Strict):
    """培训考核 of one unit and year (seed §三(二))."""

    unit: UnitId
    year: Annotated[int, Field(ge=2000, le=2100)]
    plan: str = ""  # 年度培训计划（红头文件）文号
    sessions: list[Session] = []
    exam: dt.date | None = None
    exam_form: list[ExamForm] = []
    papers_archived: bool = False
    note: str = ""
    amendments: list[Amendment] = []

    @field_validator("sessions")
    @classmethod
    def _sessions(cls, v, info):
        for s in v:
            if "year" in info.data and s.date.year != info.data["year"]:
                raise ValueError(f"培训日期 {s.date} 不在 {info.data['year']} 年")
        return v

    @field_validator("exam")
    @classmethod
    def _exam(cls, v, info):
        if v is not None and "year" in info.data and v.year != info.data["year"]:
            raise ValueError(f"考试日期 {v} 不在 {info.data['year']} 年")
        return v

    @field_validator("exam_form", "papers_archived")
    @classmethod
    def _exam_parts(cls, v, info):
        if v and "exam" in info.data and info.data["exam"] is None:
            raise ValueError("填了考试形式或试卷归档，但没有考试日期")
        return v

    def hours(self, as_of: dt.date) -> float:
        return sum(s.hours for s in self.sessions if s.date <= as_of)


StaffStatus = Literal["在岗", "离岗"]


class Staff(Strict):
    """One enforcement certificate holder (seed §三(一)2)."""

    unit: UnitId
    name: Text
    certificate: Text  # 执法证号
    issued: dt.date
    expires: dt.date
    reviews: list[dt.date] = []  # 年度审验 dates
    status: StaffStatus = "在岗"
    left: Annotated[dt.date | None, Field(validate_default=True)] = None
    cancelled: dt.date | None = None  # 县司法局注销证件
    lost: dt.date | None = None  # 证件遗失（报失）日期
    announced: Annotated[dt.date | None, Field(validate_default=True)] = None  # 遗失公告日期
    announced_in: Annotated[str, Field(validate_default=True)] = ""  # 公告在哪里刊登（报纸、政府网站）
    note: str = ""
    amendments: list[Amendment] = []

    @field_validator("expires")
    @classmethod
    def _expires(cls, v, info):
        return _not_before(info, "issued", v, "有效期至 {value} 早于发证日期 {first}")

    @field_validator("reviews")
    @classmethod
    def _reviews(cls, v, info):
        for d in v:
            _not_before(info, "issued", d, "审验日期 {value} 早于发证日期 {first}")
        return sorted(v)

    @field_validator("left")
    @classmethod
    def _left(cls, v, info):
        if "status" in info.data and (info.data["status"] == "离岗") != (v is not None):
            raise ValueError("状态为“离岗”时应填离岗日期，“在岗”时不应填")
        return _not_before(info, "issued", v, "离岗日期 {value} 早于发证日期 {first}")

    @field_validator("cancelled")
    @classmethod
    def _cancelled(cls, v, info):
        if v is not None and "left" in info.data and info.data["left"] is None:
            raise ValueError("只有离岗人员的证件才注销")
        return _not_before(info, "left", v, "注销日期 {value} 早于离岗日期 {first}")

    @field_validator("lost")
    @classmethod
    def _lost(cls, v, info):
        return _not_before(info, "issued", v, "遗失日期 {value} 早于发证日期 {first}")

    @field_validator("announced")
    @classmethod
    def _announced(cls, v, info):
        if v is not None and "lost" in info.data and info.data["lost"] is None:
            raise ValueError("没有填遗失日期，不能有遗失公告日期")
        return _not_before(info, "lost", v, "遗失公告日期 {value} 早于遗失日期 {first}")

    @field_validator("announced_in")
    @classmethod
    def _announced_in(cls, v, info):
        if "announced" in info.data and (info.data["announced"] is None) != (not v):
            raise ValueError("遗失公告日期和公告媒体应同时填写")
        return v


KINDS = ("penalty", "normative", "training", "staff")
KIND_LABELS = {"penalty": "重大行政处罚备案", "normative": "规范性文件备案", "training": "培训考核", "staff": "执法人员"}
RegisterEntry = PenaltyFiling | NormativeFiling | Training | Staff  # one entry of any register
MODELS: dict[str, type[RegisterEntry]] = {"penalty": PenaltyFiling, "normative": NormativeFiling, "training": Training, "staff": Staff}
