"""Scores, grades and rankings (pure functions).

The rule (README, 计分规则):

* deduction scoring (扣分制): each checklist item starts at its points; every
  active finding of the year deducts its points from its item; an item never
  drops below 0; the total is the sum of item scores (100 when nothing was found);
* a unit's year result uses every 日常监督, 年中抽查 and 年终总结 inspection of
  that year up to the as-of date — a problem found by a spot check costs points
  just as one found on the routine visit, which is what makes spot checks bite;
  回头看 visits verify rectification and never deduct again;
* findings fixed on the spot (立行立改) still count: the problem existed; the
  clerk may record a smaller deduction for them;
* withdrawn findings (``inspect amend --withdraw``) do not count;
* units with no scored inspection yet are listed as 未检查, not ranked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lufa_cli.model.data import Checklist, Unit
from lufa_cli.model.records import Inspection

SCORED_KINDS = ("日常监督", "年中抽查", "年终总结")


@dataclass(frozen=True)
class UnitScore:
    unit: Unit
    total: float
    grade: str
    item_scores: dict[str, float]
    category_losses: dict[int, float]
    inspections: tuple[str, ...]
    findings: int
    rank: int = 0  # within the unit's kind (county / township)


@dataclass
class YearScores:
    year: int
    as_of: dt.date
    scored: list[UnitScore] = field(default_factory=list)  # ranked, best first, all kinds
    not_inspected: list[Unit] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[UnitScore]:
        return [s for s in self.scored if s.unit.kind == kind]


def unit_score(checklist: Checklist, unit: Unit, inspections: Sequence[Inspection]) -> UnitScore:
    """Score one unit from its (already filtered) inspections of the year."""
    points = {i.id: float(i.points) for i in checklist.items()}
    lost: dict[str, float] = defaultdict(float)
    count = 0
    for insp in inspections:
        for f in insp.active_findings():
            lost[f.item] += f.deduction
            count += 1
    item_scores = {iid: max(0.0, p - lost.get(iid, 0.0)) for iid, p in points.items()}
    category_losses: dict[int, float] = {}
    for cat in checklist.categories:
        category_losses[cat.no] = sum(points[i.id] - item_scores[i.id] for i in cat.items)
    total = round(sum(item_scores.values()), 2)
    return UnitScore(
        unit=unit,
        total=total,
        grade=checklist.grade(total),
        item_scores=item_scores,
        category_losses=category_losses,
        inspections=tuple(i.id for i in inspections),
        findings=count,
    )


def score_year(
    checklist: Checklist,
    units: Sequence[Unit],
    inspections: Iterable[Inspection],
    year: int,
    as_of: dt.date,
    kinds: Sequence[str] = SCORED_KINDS,
) -> YearScores:
    """Scores of every unit for `year`, counting inspections dated on or before `as_of`."""
    mine: dict[str, list[Inspection]] = defaultdict(list)
    for insp in inspections:
        if insp.date.year == year and insp.date <= as_of and insp.kind in kinds:
            mine[insp.unit].append(insp)
    result = YearScores(year=year, as_of=as_of)
    order = {u.id: n for n, u in enumerate(units)}
    scores = []
    for u in units:
        if mine.get(u.id):
            scores.append(unit_score(checklist, u, mine[u.id]))
        else:
            result.not_inspected.append(u)
    scores.sort(key=lambda s: (-s.total, order[s.unit.id]))
    ranked: list[UnitScore] = []
    for kind in ("county", "township"):
        prev_total, prev_rank = None, 0
        for n, s in enumerate([s for s in scores if s.unit.kind == kind], start=1):
            rank = prev_rank if s.total == prev_total else n  # ties share a rank (1, 2, 2, 4)
            prev_total, prev_rank = s.total, rank
            ranked.append(UnitScore(**{**s.__dict__, "rank": rank}))
    ranked.sort(key=lambda s: (-s.total, order[s.unit.id]))
    result.scored = ranked
    return result


@dataclass(frozen=True)
class FrequentProblem:
    item: str
    name: str
    category: str
    findings: int
    units: int
    points_lost: float


def frequent_problems(
    checklist: Checklist, inspections: Iterable[Inspection], year: int, as_of: dt.date, top: int = 10
) -> list[FrequentProblem]:
    """Checklist items with the most findings across the county, most frequent first."""
    names = {i.id: (i.name, c.name) for c in checklist.categories for i in c.items}
    count: Counter[str] = Counter()
    units: dict[str, set[str]] = defaultdict(set)
    lost: dict[str, float] = defaultdict(float)
    for insp in inspections:
        if insp.date.year != year or insp.date > as_of or insp.kind not in SCORED_KINDS:
            continue
        for f in insp.active_findings():
            count[f.item] += 1
            units[f.item].add(insp.unit)
            lost[f.item] += f.deduction
    order = {iid: n for n, iid in enumerate(names)}
    ranked = sorted(count, key=lambda i: (-count[i], -len(units[i]), order.get(i, 999)))
    return [
        FrequentProblem(i, names.get(i, ("", ""))[0], names.get(i, ("", ""))[1], count[i], len(units[i]), lost[i])
        for i in ranked[:top]
    ]
