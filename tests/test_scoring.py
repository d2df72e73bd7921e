from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lufa_cli.domain.sampling import stratified_sample
from lufa_cli.domain.scoring import frequent_problems, score_year, unit_score
from lufa_cli.model.records import Finding, Inspection
from lufa_cli.workspace.loader import load_workspace

REPO = Path(__file__).resolve().parent.parent
D = dt.date


@pytest.fixture(scope="module")
def lushan():
    ws, _ = load_workspace(REPO / "data")
    return ws


def insp(unit: str, date: dt.date, *findings: tuple[str, float], kind: str = "日常监督", withdrawn: int | None = None) -> Inspection:
    return Inspection(
        id=f"{date.isoformat()}-{unit}", unit=unit, date=date, kind=kind,
        findings=[
            Finding(id=n, item=item, deduction=d, description="问题", withdrawn="复核不属实" if n == withdrawn else None)
            for n, (item, d) in enumerate(findings, start=1)
        ],
    )


def test_no_findings_scores_100(lushan) -> None:
    s = unit_score(lushan.checklist, lushan.unit("sifaju"), [insp("sifaju", D(2026, 4, 13))])
    assert s.total == 100 and s.grade == "优秀" and s.findings == 0


def test_item_floor_at_zero(lushan) -> None:
    # 1.1 is worth 5 points: 4 + 3 deducted still costs only 5
    s = unit_score(lushan.checklist, lushan.unit("sifaju"), [insp("sifaju", D(2026, 4, 13), ("1.1", 4), ("1.1", 3), ("5", 2.5))])
    assert s.item_scores["1.1"] == 0 and s.total == 100 - 5 - 2.5
    assert s.category_losses[1] == 5 and s.category_losses[5] == 2.5


def test_spot_check_findings_count_and_revisit_does_not(lushan) -> None:
    records = [
        insp("sifaju", D(2026, 4, 13), ("3.3", 2)),
        insp("sifaju", D(2026, 7, 1), ("3.1", 3), kind="年中抽查"),
        insp("sifaju", D(2026, 8, 1), ("3.1", 5), kind="回头看"),
    ]
    ys = score_year(lushan.checklist, lushan.roster.units, records, 2026, D(2026, 12, 31))
    (s,) = ys.scored
    assert s.total == 95 and len(ys.not_inspected) == 54


def test_as_of_and_withdrawn(lushan) -> None:
    records = [insp("sifaju", D(2026, 4, 13), ("3.3", 2), ("5", 4), withdrawn=2), insp("sifaju", D(2026, 12, 1), ("5", 1), kind="年终总结")]
    assert score_year(lushan.checklist, lushan.roster.units, records, 2026, D(2026, 6, 30)).scored[0].total == 98
    assert score_year(lushan.checklist, lushan.roster.units, records, 2026, D(2026, 12, 31)).scored[0].total == 97


def test_ranking_ties_and_kinds(lushan) -> None:
    records = [
        insp("sifaju", D(2026, 4, 13), ("3.3", 2)),
        insp("fagaiwei", D(2026, 4, 14), ("3.3", 2)),
        insp("gongxinju", D(2026, 4, 20), ("3.3", 25 / 2.5)),
        insp("zhangliang-zhen", D(2026, 3, 3), ("1.1", 1)),
    ]
    ys = score_year(lushan.checklist, lushan.roster.units, records, 2026, D(2026, 12, 31))
    county = ys.by_kind("county")
    assert [(s.unit.id, s.rank, s.total) for s in county] == [("sifaju", 1, 98), ("fagaiwei", 1, 98), ("gongxinju", 3, 90)]
    assert [(s.unit.id, s.rank) for s in ys.by_kind("township")] == [("zhangliang-zhen", 1)]


def test_grades_from_checklist(lushan) -> None:
    assert [lushan.checklist.grade(x) for x in (100, 90, 89.5, 80, 60, 59.5, 0)] == ["优秀", "优秀", "良好", "良好", "合格", "不合格", "不合格"]


def test_frequent_problems(lushan) -> None:
    records = [insp("sifaju", D(2026, 4, 13), ("3.3", 2), ("5", 1)), insp("fagaiwei", D(2026, 4, 14), ("3.3", 1))]
    fp = frequent_problems(lushan.checklist, records, 2026, D(2026, 12, 31))
    assert [(p.item, p.findings, p.units, p.points_lost) for p in fp] == [("3.3", 2, 2, 3), ("5", 1, 1, 1)]


def test_stratified_sample_is_reproducible_and_proportional(lushan) -> None:
    a = stratified_sample(lushan.roster.units, 11, year=2026, seed="20260701")
    b = stratified_sample(lushan.roster.units, 11, year=2026, seed="20260701")
    c = stratified_sample(lushan.roster.units, 11, year=2026, seed="other")
    assert a == b and a != c
    assert sum(u.kind == "county" for u in a) == 7 and sum(u.kind == "township" for u in a) == 4
    assert len({u.id for u in a}) == 11
