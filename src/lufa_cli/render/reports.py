"""Plain-data views of scores: the score report and the circular's context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from lufa_cli.domain.casereview import ReviewScore
from lufa_cli.domain.scoring import (
    SCORED_KINDS,
    UnitScore,
    YearScores,
    frequent_problems,
    score_year,
)
from lufa_cli.domain.workcal import cn_date
from lufa_cli.model.records import Inspection
from lufa_cli.model.reviews import Review
from lufa_cli.workspace.workspace import Workspace


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 2)


def _row(ws: Workspace, s: UnitScore) -> dict[str, Any]:
    return {
        "rank": s.rank,
        "id": s.unit.id,
        "name": s.unit.name,
        "short": s.unit.short,
        "kind": s.unit.kind,
        "kind_label": s.unit.kind_label,
        "total": _num(s.total),
        "grade": s.grade,
        "findings": s.findings,
        "lost": _num(100 - s.total) if True else 0,
        "category_losses": {str(no): _num(v) for no, v in s.category_losses.items()},
        "inspections": list(s.inspections),
        "bonus": _num(s.bonus),
        "bonus_claimed": _num(s.bonus_claimed),
        "vetoes": [{"item": v.item, "name": v.name, "inspection": v.inspection, "finding": v.finding} for v in s.vetoes],
        "veto_text": "；".join(f"一票否决：{v.item} {v.name}（检查记录 {v.inspection} 第 {v.finding} 条）" for v in s.vetoes),
        "review_loss": (
            {"item": s.review_loss.item, "points": _num(s.review_loss.points), "reviews": list(s.review_loss.reviews)}
            if s.review_loss else None
        ),
        "review_text": (
            f"案卷评查扣 {_num(s.review_loss.points)} 分（计入 {s.review_loss.item}；{'、'.join(s.review_loss.reviews)}）"
            if s.review_loss else ""
        ),
        "parts": [
            {"name": p.name, "weight": p.weight, "score": None if p.score is None else _num(p.score), "inspections": list(p.inspections)}
            for p in s.parts
        ],
    }


def score_report(
    ws: Workspace, inspections: list[Inspection], year: int, as_of: dt.date, top: int = 10, reviews: Sequence[Review] = ()
) -> dict[str, Any]:
    """Everything `lufa score report` shows, for every output format.

    `reviews` (case-file reviews of any date) count under case-standard.yaml's assessment rule.
    """
    review_block: dict[str, Any] | None = None
    losses: dict = {}
    if ws.case_standard is not None:
        review_block, losses = review_report(ws, reviews, year, as_of, top=top)
        review_block = review_block if review_block["files"] else None
    ys: YearScores = score_year(ws.checklist, ws.roster.units, inspections, year, as_of, review_losses=losses)
    total_points = sum(i.points for i in ws.checklist.items())
    problems = frequent_problems(ws.checklist, inspections, year, as_of, top=top)
    grades: dict[str, int] = {g.name: 0 for g in ws.checklist.grades}
    for s in ys.scored:
        grades[s.grade] += 1
    county = [_row(ws, s) for s in ys.by_kind("county")]
    township = [_row(ws, s) for s in ys.by_kind("township")]
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "points": total_points,
        "kinds": list(SCORED_KINDS),
        "categories": [{"no": c.no, "name": c.name, "points": c.points} for c in ws.checklist.categories if not c.bonus],
        "county": county,
        "township": township,
        "grades": grades,
        "frequent_problems": [
            {"item": p.item, "name": p.name, "category": p.category, "findings": p.findings, "units": p.units, "points_lost": _num(p.points_lost)}
            for p in problems
        ],
        "not_inspected": [{"id": u.id, "name": u.name, "kind_label": u.kind_label} for u in ys.not_inspected],
        "weights": [{"name": w.name, "weight": w.weight, "kinds": list(w.kinds)} for w in ws.checklist.weights],
        "has_bonus": bool(ws.checklist.bonus_items()),
        "bonus_limit": _num(ws.checklist.bonus_limit),
        "vetoed": [{"id": r["id"], "name": r["name"], "veto_text": r["veto_text"]} for r in county + township if r["vetoes"]],
        "reviews": review_block,
        # reviewed units with no scored inspection yet: their deduction waits for the first inspection
        "review_pending": [
            {"id": u.id, "name": u.name, "points": _num(losses[u.id].points), "reviews": list(losses[u.id].reviews)}
            for u in ys.not_inspected if u.id in losses
        ],
        # which of the optional rules show in this report's tables ("where present")
        "show": {
            "bonus": any(r["bonus_claimed"] for r in county + township),
            "veto": any(r["vetoes"] for r in county + township),
            "review": review_block is not None or any(r["review_loss"] for r in county + township),
            "parts": bool(ws.checklist.weights),
        },
    }


def extra_columns(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, heading) of the optional per-unit columns present in `report` (bonus, veto, case review, parts)."""
    cols: list[tuple[str, str]] = []
    show = report["show"]
    if show["parts"]:
        cols += [(f"part:{w['name']}", f"{w['name']}（{w['weight']}%）") for w in report["weights"]]
    if show["bonus"]:
        cols.append(("bonus", "加分"))
    if show["review"]:
        cols += [("review_points", "案卷评查扣分"), ("review_ids", "评查记录")]
    if show["veto"]:
        cols.append(("veto_text", "一票否决"))
    return cols


def extra_cells(row: dict[str, Any]) -> dict[str, Any]:
    """The values of `extra_columns` for one unit row."""
    cells: dict[str, Any] = {f"part:{p['name']}": ("未检查" if p["score"] is None else p["score"]) for p in row["parts"]}
    cells["bonus"] = row["bonus"]
    cells["veto_text"] = row["veto_text"]
    loss = row["review_loss"]
    cells["review_points"] = loss["points"] if loss else 0
    cells["review_ids"] = "、".join(loss["reviews"]) if loss else ""
    return cells


def review_report(ws: Workspace, reviews: Sequence[Review], year: int, as_of: dt.date, *, unit: str | None = None, top: int = 10) -> tuple[dict[str, Any], dict]:
    """The case-file review summary of `year` up to `as_of` (``files`` 0 when there is none), and each unit's deduction."""
    from lufa_cli.domain.casereview import in_period, review_losses, review_score, summary

    standard = ws.case_standard
    assert standard is not None
    mine = [r for r in in_period(reviews, year, as_of) if unit is None or r.unit == unit]
    scores = [review_score(standard, r) for r in mine]
    losses = review_losses(standard, scores)
    units, county, defects = summary(standard, scores, top=top)
    return {
        "standard": standard.name,
        "files": len(scores),
        "units_reviewed": len(units),
        "grades": county,
        "by_unit": [
            {"id": u.unit, "name": ws.units_by_id[u.unit].name, "short": ws.units_by_id[u.unit].short, "files": u.files, "grades": u.grades,
             "average": _num(u.average), "deduction": _num(losses[u.unit].points) if u.unit in losses else 0,
             "reviews": list(losses[u.unit].reviews) if u.unit in losses else []}
            for u in units
        ],
        "defects": [
            {"item": d.item, "name": d.name, "part": d.part, "occurrences": d.occurrences, "files": d.files, "units": d.units}
            for d in defects
        ],
        "rule": (
            {"item": standard.assessment.item, "deductions": {k: _num(v) for k, v in standard.assessment.deductions.items()},
             "max": None if standard.assessment.max is None else _num(standard.assessment.max)}
            if standard.assessment else None
        ),
    }, losses


def review_view(ws: Workspace, score: ReviewScore) -> dict[str, Any]:
    """One review with its score, for `review show` and `review list`."""
    r = score.review
    items = {i.id: i for i in ws.case_standard.items()}  # type: ignore[union-attr]
    return {
        "id": r.id, "unit": r.unit, "unit_name": ws.units_by_id[r.unit].name, "unit_short": ws.units_by_id[r.unit].short,
        "date": r.date.isoformat(), "case": r.case, "case_name": r.case_name, "reviewers": list(r.reviewers),
        "total": _num(score.total), "grade": score.grade, "vetoes": list(score.vetoes),
        "veto_text": "、".join(score.vetoes),
        "part_scores": {str(k): _num(v) for k, v in score.part_scores.items()},
        "findings": [
            {"id": f.id, "item": f.item, "name": items[f.item].name if f.item in items else "", "count": f.count,
             "deduction": _num(f.deduction), "points": _num(f.deduction * f.count), "description": f.description,
             "veto": f.item in items and items[f.item].veto}
            for f in r.findings
        ],
        "note": r.note,
    }


CIRCULAR_KINDS = {"年中": "年中", "年终": "年终"}


def praised(rows: list[dict[str, Any]], top_grade: str, overdue: AbstractSet[str], best: int) -> list[dict[str, Any]]:
    """表现较好: units of the top grade with nothing overdue, the `best` highest scores and every unit tied with the last."""
    fit = sorted((r for r in rows if r["grade"] == top_grade and r["id"] not in overdue), key=lambda r: -r["total"])
    if len(fit) <= best:
        return fit
    floor = fit[best - 1]["total"]
    return [r for r in fit if r["total"] >= floor]


def praise_rule(top_grade: str, best: int) -> str:
    """The rule `praised` applies, as the circular and the models report print it."""
    return f"表现较好的单位为县直单位、乡镇中各自{top_grade}等次得分最高的{best}个单位，同分并列；有整改逾期事项或列为移交线索候选的单位不列入"


def circular_context(
    ws: Workspace, report: dict[str, Any], kind: str, today: dt.date, *, best: int = 3,
    registers: list[str] | None = None, overdue: AbstractSet[str] = frozenset()
) -> dict[str, Any]:
    """Context of templates/circular.docx (the 通报); `registers`: the registers' sentences (render/registers.py).

    `overdue` are the ids of units with an overdue item or a referral candidate as of the circular:
    they are never praised, whatever their score.
    """
    year = report["year"]
    label = "年中" if kind == "年中" else "年度"
    rows = []
    for group in ("county", "township"):
        for r in report[group]:
            rows.append({**r, "total_text": f"{r['total']}"})
    def names(rs: list[dict[str, Any]]) -> str:
        return "、".join(r["name"] for r in rs)
    top = ws.checklist.grades[0].name
    good = praised(report["county"], top, overdue, best) + praised(report["township"], top, overdue, best)
    fail_name = ws.checklist.grades[-1].name
    # only units graded in the lowest band are named as poor: a circular never shames a
    # unit it praises, and when nobody failed it names nobody
    poor = [r for g in ("county", "township") for r in report[g] if r["grade"] == fail_name and len(ws.checklist.grades) > 1]
    problems = [problem_sentence(p) for p in report["frequent_problems"][:5]]
    # one heading per category, its items' sentences after it (the same heading twice reads as a slip)
    grouped: dict[str, list[str]] = {}
    for p in report["frequent_problems"][:5]:
        grouped.setdefault(p["category"], []).append(problem_body(p).removesuffix("。"))
    problem_items = [{"heading": f"{category}方面。", "text": "；".join(bodies) + "。"} for category, bodies in grouped.items()]
    inspected = len(report["county"]) + len(report["township"])
    return {
        "title": f"关于{year}年年中依法行政监督考核情况的通报" if kind == "年中" else f"关于{year}年度依法行政监督考核情况的通报",
        "year": year,
        "kind": kind,
        "period_label": label,
        "as_of": cn_date(dt.date.fromisoformat(report["as_of"])),
        "inspected": inspected,
        "total_units": inspected + len(report["not_inspected"]),
        "county": report["county"],
        "township": report["township"],
        "rows": rows,
        "grades": [{"name": k, "count": v} for k, v in report["grades"].items()],
        "good": names(good),
        "poor": names(poor),
        "problems": problems,
        "problem_items": problem_items,
        "praise_rule": praise_rule(top, best),
        "not_inspected_count": len(report["not_inspected"]),
        # a mid-year circular announces who is still to be inspected; at year end there is no "next stage"
        "not_inspected": names(report["not_inspected"]) if kind == "年中" else "",
        "registers": registers or [],
        "issuer": ws.settings.issuer,
        "date": cn_date(today),
        **_circular_rules(report),
    }


def _circular_rules(report: dict[str, Any]) -> dict[str, str]:
    """The circular's sentences on bonus, veto and case-file review results ("" when there are none)."""
    rows = [r for g in ("county", "township") for r in report[g]]
    bonus = [f"{r['name']}加{r['bonus']}分" for r in rows if r["bonus"]]
    vetoes = [f"{r['name']}（{'、'.join(v['name'] for v in r['vetoes'])}）" for r in rows if r["vetoes"]]
    fail = list(report["grades"])[-1]  # the lowest grade (checklist.yaml lists them best first)
    text = ""
    rv = report.get("reviews")
    if rv:
        counts = "、".join(f"{k}{v}卷" for k, v in rv["grades"].items())
        text = f"共评查{rv['units_reviewed']}个单位的行政处罚案卷{rv['files']}卷，其中{counts}。"
        losses = [r for r in rows if r["review_loss"]]
        if losses:
            item = losses[0]["review_loss"]["item"]
            text += "按评查结果扣减第" + item + "项（" + next((c["name"] for c in report["categories"] if str(c["no"]) == item.split(".")[0]), "") + "）分数：" + "、".join(
                f"{r['name']}{r['review_loss']['points']}分" for r in losses
            ) + "。"
        if rv["defects"]:
            text += "案卷中较为突出的问题有：" + "；".join(f"{d['name']}（{d['occurrences']}处）" for d in rv["defects"][:3]) + "。"
    return {
        "bonus_text": f"加分情况：{'，'.join(bonus)}。" if bonus else "",
        "veto_text": f"一票否决：{'，'.join(vetoes)}，不论得分评为{fail}。" if vetoes else "",
        "review_text": f"案卷评查：{text}" if text else "",
    }


def problem_sentence(p: dict[str, Any]) -> str:
    """One line of the circular's 存在的主要问题: a single finding is not called 较为突出."""
    where = f"{p['category']}方面" if p["name"] == p["category"] else f"{p['category']}方面，{p['name']}"
    if p["findings"] > 1:
        return f"{where}问题较为突出，共发现{p['findings']}处、涉及{p['units']}个单位"
    return f"{where}发现问题1处、涉及1个单位"


def problem_body(p: dict[str, Any]) -> str:
    """The body sentence under a short 存在的主要问题 heading."""
    what = "" if p["name"] == p["category"] else p["name"]
    if p["findings"] > 1:
        return f"{what}问题较为突出，共发现{p['findings']}处、涉及{p['units']}个单位。"
    return f"{what}发现问题1处、涉及1个单位。"
