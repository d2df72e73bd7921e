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

from pydantic import Field, field_validator

from lufa_cli.model.data import Strict, Text, UnitId

INSPECTION_KINDS = ("日常监督", "年中抽查", "年终总结", "回头看")
InspectionKind = Literal["日常监督", "年中抽查", "年终总结", "回头看"]
# the supervision type of the 行政执法监督条例, separate from the occasion (kind) above
SUPERVISION_TYPES = ("日常监督", "重点监督", "专项监督")
SupervisionType = Literal["日常监督", "重点监督", "专项监督"]
Points = Annotated[float, Field(ge=0, le=100, multiple_of=0.5)]
Acknowledgement = Literal["out_of_plan_week"]
INSPECTION_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z0-9][a-z0-9-]*?)(?:-(\d+))?$")


class Finding(Strict):
    id: Annotated[int, Field(ge=1)]
    item: Annotated[str, Field(pattern=r"^[1-9][0-9]*(\.[1-9][0-9]*)?$")]
    deduction: Points  # per occurrence; on a bonus item (加分项) the points awarded
    description: Text
    count: Annotated[int, Field(ge=1, le=1000)] = 1  # occurrences (每处扣X分): the finding costs deduction × count
    case: str | None = None
    case_name: str | None = None
    fixed_on_spot: bool = False
    withdrawn: str | None = None  # reason, when the finding was withdrawn by `inspect amend`


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
