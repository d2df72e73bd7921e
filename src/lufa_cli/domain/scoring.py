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

Optional rules of checklist.yaml (none of them shipped active, so the default is the rule above):

* ``count`` on a finding: it deducts ``deduction × count`` (per-occurrence items, 每处扣X分);
* ``bonus: true`` categories (加分项) add their findings' points, each item at most its
  points, all together at most ``bonus_cap``; the total may then exceed 100;
* ``veto: true`` items: one active finding grades the unit in the lowest grade (一票否决);
* ``weights`` (e.g. 日常 20 / 年终 80): each part is scored from 100 on its own inspections,
  the total is the weighted mean of the parts inspected so far;
* case-file reviews deduct from one item (case-standard.yaml ``assessment``), in every part.
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
class Veto:
    """A finding on a veto item (一票否决): where it was found."""

    item: str
    name: str
    inspection: str
    finding: int


@dataclass(frozen=True)
class ReviewLoss:
    """What case-file reviews (案卷评查) deduct from one item, and which reviews."""

    item: str
    points: float  # after the rule's cap, before the item's floor
    reviews: tuple[str, ...]


@dataclass(frozen=True)
class PartScore:
    """One weighted part of the year's score (e.g. 日常 20 %)."""

    name: str
    weight: int
    score: float | None  # None: no inspection of this part yet (its weight is left out)
    inspections: tuple[str, ...]


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
    bonus: float = 0.0  # counted, after every cap
    bonus_claimed: float = 0.0  # recorded, before the overall cap
    vetoes: tuple[Veto, ...] = ()
    review_loss: ReviewLoss | None = None
    parts: tuple[PartScore, ...] = ()


def _sheet(points: dict[str, float], inspections: Iterable[Inspection], extra: dict[str, float]) -> dict[str, float]:
    """Item scores from one set of inspections: each item from its points down, never below 0."""
    lost: dict[str, float] = defaultdict(float, extra)
    for insp in inspections:
        for f in insp.active_findings():
            if f.item in points:
                lost[f.item] += f.deduction * f.count
    return {iid: max(0.0, p - lost[iid]) for iid, p in points.items()}


def unit_score(
    checklist: Checklist, unit: Unit, inspections: Sequence[Inspection], review_loss: ReviewLoss | None = None
) -> UnitScore:
    """Score one unit from its (already filtered) inspections of the year (rules: README, 计分规则)."""
    points = {i.id: float(i.points) for i in checklist.items()}
    extra = {review_loss.item: review_loss.points} if review_loss and review_loss.item in points else {}
    parts: list[PartScore] = []
    if checklist.weights:
        weighted: list[tuple[int, dict[str, float]]] = []
        for w in checklist.weights:
            mine = [i for i in inspections if i.kind in w.kinds]
            sheet = _sheet(points, mine, extra) if mine else None
            if sheet is not None:
                weighted.append((w.weight, sheet))
            parts.append(PartScore(w.name, w.weight, round(sum(sheet.values()), 2) if sheet else None, tuple(i.id for i in mine)))
        weight = sum(w for w, _ in weighted)
        item_scores = {iid: sum(w * sh[iid] for w, sh in weighted) / weight for iid in points} if weighted else _sheet(points, (), extra)
    else:
        item_scores = _sheet(points, inspections, extra)
    category_losses: dict[int, float] = {}
    for cat in checklist.categories:
        if not cat.bonus:
            category_losses[cat.no] = sum(points[i.id] - item_scores[i.id] for i in cat.items)
    bonus_items = {i.id: i for i in checklist.bonus_items()}
    veto_items = {i.id: i for i in checklist.items() if i.veto}
    claimed: dict[str, float] = defaultdict(float)
    vetoes: list[Veto] = []
    count = 0
    for insp in inspections:
        for f in insp.active_findings():
            if f.item in bonus_items:
                claimed[f.item] += f.deduction * f.count
                continue
            count += 1
            if f.item in veto_items:
                vetoes.append(Veto(f.item, veto_items[f.item].name, insp.id, f.id))
    bonus_claimed = sum(claimed.values())
    bonus = min(checklist.bonus_limit, sum(min(v, bonus_items[k].points) for k, v in claimed.items()))
    total = round(sum(item_scores.values()) + bonus, 2)
    return UnitScore(
        unit=unit,
        total=total,
        grade=checklist.grades[-1].name if vetoes else checklist.grade(total),
        item_scores=item_scores,
        category_losses=category_losses,
        inspections=tuple(i.id for i in inspections),
        findings=count,
        bonus=bonus,
        bonus_claimed=bonus_claimed,
        vetoes=tuple(vetoes),
        review_loss=review_loss,
        parts=tuple(parts),
    )


@dataclass
class YearScores:
    year: int
    as_of: dt.date
    scored: list[UnitScore] = field(default_factory=list)  # ranked, best first, all kinds
    not_inspected: list[Unit] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[UnitScore]:
        return [s for s in self.scored if s.unit.kind == kind]


def score_year(
    checklist: Checklist,
    units: Sequence[Unit],
    inspections: Iterable[Inspection],
    year: int,
    as_of: dt.date,
    kinds: Sequence[str] = SCORED_KINDS,
    review_losses: dict[str, ReviewLoss] | None = None,
) -> YearScores:
    """Scores of every unit for `year`, counting inspections dated on or before `as_of`.

    `review_losses` (unit id → deduction from case-file reviews, already filtered to the
    year and `as_of`) count toward the unit's item like findings do.
    """
    review_losses = review_losses or {}
    mine: dict[str, list[Inspection]] = defaultdict(list)
    for insp in inspections:
        if insp.date.year == year and insp.date <= as_of and insp.kind in kinds:
            mine[insp.unit].append(insp)
    result = YearScores(year=year, as_of=as_of)
    order = {u.id: n for n, u in enumerate(units)}
    scores = []
    for u in units:
        if mine.get(u.id):
            scores.append(unit_score(checklist, u, mine[u.id], review_losses.get(u.id)))
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
    names = {i.id: (i.name, c.name) for c in checklist.categories if not c.bonus for i in c.items}
    count: Counter[str] = Counter()
    units: dict[str, set[str]] = defaultdict(set)
    lost: dict[str, float] = defaultdict(float)
    for insp in inspections:
        if insp.date.year != year or insp.date > as_of or insp.kind not in SCORED_KINDS:
            continue
        for f in insp.active_findings():
            if f.item not in names:  # a bonus is not a problem
                continue
            count[f.item] += f.count
            units[f.item].add(insp.unit)
            lost[f.item] += f.deduction * f.count
    order = {iid: n for n, iid in enumerate(names)}
    ranked = sorted(count, key=lambda i: (-count[i], -len(units[i]), order.get(i, 999)))
    return [
        FrequentProblem(i, names.get(i, ("", ""))[0], names.get(i, ("", ""))[1], count[i], len(units[i]), lost[i])
        for i in ranked[:top]
    ]
