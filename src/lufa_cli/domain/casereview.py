"""Scores of reviewed case files, their summary, and what they deduct from a unit (pure).

A file starts at the standard's 100 points; each finding deducts ``deduction × count`` from its
item; an item never drops below 0 (扣完为止，不计负分); a finding on a veto item (一票否决)
grades the file in the lowest band whatever its points.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lufa_cli.domain.scoring import ReviewLoss
from lufa_cli.model.reviews import CaseStandard, Review


@dataclass(frozen=True)
class ReviewScore:
    review: Review
    total: float
    grade: str
    part_scores: dict[int, float]
    vetoes: tuple[str, ...]  # names of the veto items found


def review_score(standard: CaseStandard, review: Review) -> ReviewScore:
    lost: dict[str, float] = defaultdict(float)
    for f in review.findings:
        lost[f.item] += f.deduction * f.count
    items = {i.id: max(0.0, i.points - lost[i.id]) for i in standard.items()}
    parts = {p.no: sum(items[i.id] for i in p.items) for p in standard.parts}
    found = {f.item for f in review.findings}
    vetoes = tuple(i.name for i in standard.items() if i.veto and i.id in found)
    total = round(sum(parts.values()), 2)
    grade = standard.grades[-1].name if vetoes else standard.grade(total)
    return ReviewScore(review, total, grade, parts, vetoes)


def in_period(reviews: Iterable[Review], year: int, as_of: dt.date) -> list[Review]:
    return [r for r in reviews if r.date.year == year and r.date <= as_of]


def review_losses(standard: CaseStandard, scores: Iterable[ReviewScore]) -> dict[str, ReviewLoss]:
    """Unit id → what its reviewed files deduct under the standard's assessment rule."""
    rule = standard.assessment
    if rule is None:
        return {}
    points: dict[str, float] = defaultdict(float)
    sources: dict[str, list[str]] = defaultdict(list)
    for s in scores:
        per_file = rule.deductions.get(s.grade, 0)
        if per_file:
            points[s.review.unit] += per_file
            sources[s.review.unit].append(s.review.id)
    return {
        uid: ReviewLoss(rule.item, min(p, rule.max) if rule.max is not None else p, tuple(sources[uid]))
        for uid, p in points.items()
    }


@dataclass(frozen=True)
class Defect:
    item: str
    name: str
    part: str
    occurrences: int
    files: int
    units: int


@dataclass(frozen=True)
class UnitReviews:
    unit: str
    files: int
    grades: dict[str, int]
    average: float


def summary(standard: CaseStandard, scores: Sequence[ReviewScore], top: int = 10) -> tuple[list[UnitReviews], dict[str, int], list[Defect]]:
    """Per unit (in first-review order) and county-wide grade counts, and the most frequent defects."""
    by_unit: dict[str, list[ReviewScore]] = defaultdict(list)
    for s in scores:
        by_unit[s.review.unit].append(s)
    names = [g.name for g in standard.grades]
    units = [
        UnitReviews(uid, len(ss), {n: sum(s.grade == n for s in ss) for n in names}, round(sum(s.total for s in ss) / len(ss), 2))
        for uid, ss in by_unit.items()
    ]
    county = {n: sum(s.grade == n for s in scores) for n in names}
    where = {i.id: (i.name, p.name) for p in standard.parts for i in p.items}
    occurrences: Counter[str] = Counter()
    files: dict[str, set[str]] = defaultdict(set)
    touched: dict[str, set[str]] = defaultdict(set)
    for s in scores:
        for f in s.review.findings:
            occurrences[f.item] += f.count
            files[f.item].add(s.review.id)
            touched[f.item].add(s.review.unit)
    order = {iid: n for n, iid in enumerate(where)}
    ranked = sorted(occurrences, key=lambda i: (-occurrences[i], -len(files[i]), order.get(i, 999)))[:top]
    defects = [Defect(i, *where.get(i, ("", "")), occurrences[i], len(files[i]), len(touched[i])) for i in ranked]
    return units, county, defects
