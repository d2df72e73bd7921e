"""Records the tool writes under ``data/records/``: inspections, self-inspections,
spot-check samples. One YAML file per record, readable and merge-friendly.

Layout::

    data/records/inspections/2026/2026-04-12-sifaju.yaml   # one per inspection
    data/records/selfchecks/2026/sifaju.yaml               # one per unit and year
    data/records/spotchecks/2026.yaml                      # the year's sample

File names carry the record's identity, so two clerks recording the same
thing produce a git add/add conflict instead of a silent duplicate.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from lufa_cli.model.data import Strict, Text, UnitId

INSPECTION_KINDS = ("日常监督", "年中抽查", "年终总结", "回头看")
InspectionKind = Literal["日常监督", "年中抽查", "年终总结", "回头看"]
# the supervision type of the 行政执法监督条例, separate from the occasion (kind) above
SUPERVISION_TYPES = ("日常监督", "重点监督", "专项监督")
SupervisionType = Literal["日常监督", "重点监督", "专项监督"]
Points = Annotated[float, Field(ge=0, le=100, multiple_of=0.5)]
Acknowledgement = Literal["out_of_plan_week"]


def _not_blank(value: str) -> str:
    if value and not value.strip():
        raise ValueError("整改要求只有空白：没有整改要求请留空")
    return value


RequirementText = Annotated[str, AfterValidator(_not_blank)]  # 整改要求: free text that may be left out ("" = none)
INSPECTION_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z0-9][a-z0-9-]*?)(?:-(\d+))?$")


class Finding(Strict):
    id: Annotated[int, Field(ge=1)]
    item: Annotated[str, Field(pattern=r"^[1-9][0-9]*(\.[1-9][0-9]*)?$")]
    deduction: Points  # per occurrence; on a bonus item (加分项) the points awarded
    description: Text
    requirement: RequirementText = ""  # 整改要求 the inspectors wrote with the finding; printed after it on the notice ("" = none)
    count: Annotated[int, Field(ge=1, le=1000)] = 1  # occurrences (每处扣X分): the finding costs deduction × count
    case: str | None = None
    case_name: str | None = None
    fixed_on_spot: bool = False
    withdrawn: str | None = None  # reason, when the finding was withdrawn by `inspect amend`


PROPOSAL_REGISTERS = ("penalty", "normative", "training", "staff")  # model/registers.py KINDS


class Proposal(Strict):
    """A finding the registers suggest (`lufa inspect prefill --record`), kept apart from the findings:
    never scored, never on a notice, until the inspectors confirm it (then it is finding `finding`)
    or drop it (`dropped` = their reason)."""

    id: Annotated[int, Field(ge=1)]
    item: Annotated[str, Field(pattern=r"^[1-9][0-9]*(\.[1-9][0-9]*)?$")]
    source: Literal["penalty", "normative", "training", "staff"]  # the register it came from
    entry: str = ""  # the register entry's id (none: a unit with no training entry at all)
    evidence: Text
    as_of: dt.date  # the registers as they stood on this day
    finding: Annotated[int | None, Field(ge=1)] = None
    dropped: Annotated[str | None, Field(validate_default=True)] = None

    @field_validator("dropped")
    @classmethod
    def _one_outcome(cls, v, info):
        if v is not None and info.data.get("finding") is not None:
            raise ValueError("拟定问题不能既已确认又已删去")
        if v is not None and not v.strip():
            raise ValueError("删去拟定问题应写明原因")
        return v

    @property
    def pending(self) -> bool:
        return self.finding is None and self.dropped is None


class Amendment(Strict):
    date: dt.date
    summary: Text


class Inspection(Strict):
    id: Annotated[str, Field(pattern=INSPECTION_ID.pattern)]
    unit: UnitId
    date: dt.date
    kind: InspectionKind
    type: SupervisionType = "日常监督"  # 重点监督: typical problems, strong public reaction; 专项监督: a campaign from above
    inspectors: list[Text] = []
    office: UnitId | None = None
    methods: list[Text] = []
    findings: list[Finding] = []
    proposed: list[Proposal] = []  # from the registers; not findings until confirmed
    note: str = ""
    # warnings the clerk has dealt with: out_of_plan_week = a make-up inspection outside the plan week
    acknowledged: list[Acknowledgement] = []
    amendments: list[Amendment] = []

    @field_validator("findings")
    @classmethod
    def _unique_ids(cls, v: list[Finding]) -> list[Finding]:
        ids = [f.id for f in v]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"问题编号重复：{'、'.join(map(str, dup))}")
        return v

    @field_validator("proposed")
    @classmethod
    def _proposals(cls, v: list[Proposal], info) -> list[Proposal]:
        ids = [p.id for p in v]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"拟定问题编号重复：{'、'.join(map(str, dup))}")
        if "findings" in info.data:
            have = {f.id for f in info.data["findings"]}
            missing = [p.finding for p in v if p.finding is not None and p.finding not in have]
            if missing:
                raise ValueError(f"拟定问题确认为第 {missing[0]} 条问题，但记录中没有这条问题")
            used = [p.finding for p in v if p.finding is not None]
            twice = sorted({f for f in used if used.count(f) > 1})
            if twice:
                raise ValueError(f"两条拟定问题确认为同一条问题：第 {twice[0]} 条")
        return v

    @property
    def year(self) -> int:
        return self.date.year

    def active_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.withdrawn is None]


class SelfCheck(Strict):
    unit: UnitId
    year: Annotated[int, Field(ge=2000, le=2099)]
    date: dt.date
    document: str = ""
    note: str = ""


class SpotCheck(Strict):
    year: Annotated[int, Field(ge=2000, le=2099)]
    seed: str
    count: Annotated[int, Field(ge=1)]
    drawn: dt.date
    units: list[UnitId]
