"""Case-file review (案卷评查): the standard a case file is scored against, and one review record.

The standard (data/case-standard.yaml) is a second checklist: parts (基本要求, 卷面, 内容) of
items with points and the same optional rules as checklist items (per occurrence, a range,
veto), grade bands for a file, and the rule by which reviews count toward a unit's assessment.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import Field, field_validator

from lufa_cli.model.data import Grade, Item, Strict, Text, UnitId
from lufa_cli.model.records import Points

REVIEW_ID = re.compile(r"^(\d{4})-R(\d{3,})$")
# 鲁市监罚决字〔2026〕第12号: an issuer's prefix, the year in hexagonal brackets, the number, 号
CASE_NUMBER = re.compile(r"^[^\s〔〕]+〔(\d{4})〕第?[1-9]\d*号$")
ItemId = Annotated[str, Field(pattern=r"^[1-9][0-9]*(\.[1-9][0-9]*)?$")]


def case_number_problem(text: str) -> str | None:
    """Why `text` is not a case number (处罚决定书文号), or None."""
    if CASE_NUMBER.match(text):
        return None
    for bad in ("【", "[", "(", "（"):
        if bad in text:
            return f"案卷文号“{text}”的年份应使用六角括号〔〕，不能用“{bad}”，应如 鲁市监罚决字〔2026〕第12号"
    return f"案卷文号“{text}”格式不对，应写成 机关代字〔年份〕第N号，如 鲁市监罚决字〔2026〕第12号"


class CasePart(Strict):
    no: Annotated[int, Field(ge=1, le=9)]
    name: Text
    items: Annotated[list[Item], Field(min_length=1)]

    @property
    def points(self) -> int:
        return sum(i.points for i in self.items)


class AssessmentRule(Strict):
    """How reviews count toward a unit's assessment: per reviewed file of a grade, points off one item."""

    item: ItemId
    deductions: Annotated[dict[Text, Points], Field(min_length=1)]  # file grade → points per file
    max: Points | None = None  # at most this much in a year (the item's points at most anyway)


class CaseStandard(Strict):
    name: Text
    parts: Annotated[list[CasePart], Field(min_length=1)]
    grades: Annotated[list[Grade], Field(min_length=1)]
    assessment: AssessmentRule | None = None

    def items(self) -> list[Item]:
        return [i for p in self.parts for i in p.items]

    def grade(self, score: float) -> str:
        for g in sorted(self.grades, key=lambda g: -g.min):
            if score >= g.min:
                return g.name
        return self.grades[-1].name


class ReviewFinding(Strict):
    id: Annotated[int, Field(ge=1)]
    item: ItemId
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    deduction: Points  # per occurrence
    description: str = ""


class Review(Strict):
    id: Annotated[str, Field(pattern=REVIEW_ID.pattern)]
    unit: UnitId
    date: dt.date
    case: Text
    case_name: Text
    reviewers: Annotated[list[Text], Field(min_length=1)]
    findings: list[ReviewFinding] = []
    note: str = ""

    @field_validator("case")
    @classmethod
    def _case_number(cls, v: str) -> str:
        problem = case_number_problem(v)
        if problem:
            raise ValueError(problem)
        return v

    @field_validator("findings")
    @classmethod
    def _unique_ids(cls, v: list[ReviewFinding]) -> list[ReviewFinding]:
        ids = [f.id for f in v]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"问题编号重复：{'、'.join(map(str, dup))}")
        return v

    @property
    def year(self) -> int:
        return self.date.year
