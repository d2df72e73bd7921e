"""Results back to each unit and models up the line (seed §六(一)(二)): the contexts of
templates/feedback.docx (考核结果反馈函, one per inspected unit) and templates/models.docx
(先进典型报告 to the superior department).

Every figure comes from `score_report` (scores, grades, ranks, category losses, bonus, veto,
case-file review) and `overdue_report` (what is overdue); this module only words them. Pure:
the as-of date is the report's, the document's date is passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from lufa_cli.domain.workcal import cn_date
from lufa_cli.model.notices import Notice
from lufa_cli.model.records import Inspection
from lufa_cli.render.documents import num
from lufa_cli.render.reports import praise_rule, praised
from lufa_cli.workspace.workspace import Workspace

PRAISED_BEST = 3  # as the circular: the 3 highest scores of the top grade, ties all named
RANK_RULE = "县直单位和乡镇分别排名，按得分从高到低排列，同分者名次相同"


def period_label(year: int, kind: str) -> str:
    """2026年度 (year end) or 2026年年中 (mid-year)."""
    return f"{year}年年中" if kind == "年中" else f"{year}年度"


def _visit(insp: Inspection) -> str:
    return f"{cn_date(insp.date)}{insp.kind}"


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [*report["county"], *report["township"]]


def _of_kind(report: dict[str, Any], row: dict[str, Any]) -> list[dict[str, Any]]:
    return report[row["kind"]]


def _rank_text(report: dict[str, Any], row: dict[str, Any]) -> str:
    peers = _of_kind(report, row)
    tied = [r["name"] for r in peers if r["rank"] == row["rank"] and r["id"] != row["id"]]
    text = f"在本次考核的{len(peers)}个{row['kind_label']}中排第{row['rank']}名"
    return text + (f"（与{'、'.join(tied)}并列）" if tied else "")


def _deduction(f, points: float) -> str:
    if points == 0:
        return "不计分"
    if f.count > 1:
        return f"每处扣{num(float(f.deduction))}分，共{f.count}处，扣{num(float(f.deduction * f.count))}分"
    return f"扣{num(float(f.deduction))}分"


def _findings_by_category(ws: Workspace, insps: Sequence[Inspection], losses: dict[str, Any]) -> list[dict[str, Any]]:
    """The unit's counted findings grouped by checklist category (bonus items left out), each with its date."""
    groups: list[dict[str, Any]] = []
    for cat in ws.checklist.categories:
        if cat.bonus:
            continue
        items = {i.id: i for i in cat.items}
        lines = []
        for insp in insps:
            for f in insp.active_findings():
                if f.item not in items:
                    continue
                item = items[f.item]
                notes = [f"{item.id} {item.name}", _deduction(f, item.points)]
                if f.fixed_on_spot:
                    notes.append("已立行立改")
                where = f"在{f.case_name or '办理的案件'}（{f.case}）中，" if f.case else ""
                lines.append(f"{_visit(insp)}检查发现：{where}{f.description.rstrip('。；;，, ')}（{'，'.join(notes)}）。")
        if lines:
            lost = losses.get(str(cat.no), 0)
            note = f"本类失分{num(float(lost))}分" if lost else ("本类未失分" if cat.points else "不计分")
            groups.append({"heading": f"{cat.name}（{note}）", "findings": lines})
    return groups


def _rule_sentences(ws: Workspace, row: dict[str, Any], by_id: dict[str, Inspection]) -> list[str]:
    """Weighted parts, bonus, veto and case-file review results, only where present."""
    out = []
    if row["parts"]:
        parts = "、".join(f"{p['name']}（权重{p['weight']}%）{num(p['score'])}分" if p["score"] is not None else f"{p['name']}（权重{p['weight']}%）尚未检查"
                          for p in row["parts"])
        out.append(f"总分按权重计算，其中{parts}。")
    if row["bonus_claimed"]:
        capped = f"（记录加分{num(row['bonus_claimed'])}分，按上限计入）" if row["bonus_claimed"] != row["bonus"] else ""
        out.append(f"加分项计入{num(row['bonus'])}分{capped}。")
    if row["vetoes"]:
        fail = ws.checklist.grades[-1].name
        what = "、".join(f"{v['name']}（{cn_date(by_id[v['inspection']].date)}检查发现）" if v["inspection"] in by_id else v["name"]
                         for v in row["vetoes"])
        out.append(f"你单位存在一票否决事项：{what}，不论得分，等次评为{fail}。")
    loss = row["review_loss"]
    if loss:
        item = next((i.name for i in ws.checklist.items() if i.id == loss["item"]), "")
        out.append(f"案卷评查扣{num(loss['points'])}分，计入{loss['item']} {item}（评查记录{'、'.join(loss['reviews'])}）。")
    return out


def _open_notices(unit: str, notices: Sequence[Notice], late: dict[str, Any], as_of: dt.date) -> tuple[list[str], int]:
    """Sentences for the unit's notices not yet closed (a notice followed by another is carried on by it), and how many are overdue."""
    overdue = {r["key"]: r for r in late["overdue"]}
    lines, count = [], 0
    for n in sorted((n for n in notices if n.unit == unit), key=lambda n: (n.issued, n.key)):
        status, when = n.state()
        if status not in ("待反馈", "待核查") or n.followed_by:
            continue
        text = f"{n.doc_number}（{n.kind_name}），{cn_date(n.issued)}下达，整改期限{cn_date(n.current_deadline)}，"
        late_item = overdue.get(n.key)
        if status == "待反馈" and late_item is not None:
            count += 1
            text += f"逾期未报送整改情况，已逾期{late_item['days_overdue']}日"
        elif status == "待反馈":
            text += "尚未报送整改情况"
        elif n.reply_required:
            text += f"{cn_date(when)}已报送整改情况，待回头看核查"
        elif n.current_deadline >= as_of:  # a kind without a written reply is checked once its period is over
            text += "在整改期限内（不要求书面报送，期限届满后核查）"
        else:
            text += "整改期限已届满，待回头看核查"
        lines.append(text + "。")
    return lines, count


def _year_notices(unit: str, notices: Sequence[Notice], year: int) -> list[Notice]:
    return [n for n in notices if n.unit == unit and n.year == year and not n.voided]


def _on_time(n: Notice) -> bool:
    """Closed, its first written feedback by the original deadline (or none required), never failed a verification."""
    if n.state()[0] != "已办结" or any(e.event == "verify" and e.result == "未通过" for e in n.history):
        return False
    first = next((e.date for e in n.history if e.event == "feedback"), None)
    return not n.reply_required or (first is not None and first <= n.deadline)


OPEN_PHRASES = ("尚在整改期限内", "已报送整改情况、待核查", "整改期限已满、待核查", "逾期未报送整改情况")


def open_notices_text(open_notices: Sequence[Notice], day: dt.date, *, after: bool) -> list[str]:
    """The notices neither closed nor carried on, as the clauses of a sentence, each said for what
    it is on `day`: within the deadline; reported and awaiting the check; past the deadline and
    awaiting the check (a notice that needs no reply: not overdue until the verification wait is
    over, so its unit may still be praised); or past the deadline with no feedback (overdue: only
    the sample data, which praises without the overdue rule, can show it).
    `after`: clauses come before these, so a lone group reads 其余N份…, not 均…."""
    counts = dict.fromkeys(OPEN_PHRASES, 0)
    for n in open_notices:
        status = n.state()[0]
        last = next((e.event for e in reversed(n.history) if e.event in ("feedback", "verify")), None)
        if status == "待核查" and last == "feedback":
            counts[OPEN_PHRASES[1]] += 1
        elif day <= n.current_deadline:
            counts[OPEN_PHRASES[0]] += 1
        else:
            counts[OPEN_PHRASES[2] if status == "待核查" else OPEN_PHRASES[3]] += 1
    groups = [(k, phrase) for phrase, k in counts.items() if k]
    if len(groups) == 1:
        k, phrase = groups[0]
        return [f"其余{k}份{phrase}" if after else f"均{phrase}"]
    return [f"{k}份{phrase}" for k, phrase in groups]


def _common(ws: Workspace, today: dt.date) -> dict[str, Any]:
    wording = ws.settings.notice_wording
    contact = ws.settings.contact
    return {
        "issuer": ws.settings.issuer,
        "date": cn_date(today),
        "contact_name": contact.name,
        "contact_phone": contact.phone,
        "cc": "，".join(wording.cc),
        "printed_by": wording.printed_by or ws.settings.reply_office,
        "printed_on": cn_date(today) + "印发",
    }


def feedback_letters(
    ws: Workspace, report: dict[str, Any], inspections: Sequence[Inspection], notices: Sequence[Notice],
    late: dict[str, Any], kind: str, today: dt.date, *, only: str | None = None,
) -> list[dict[str, Any]]:
    """The context of one 考核结果反馈函 per unit scored in `report` (`only`: that unit id), county units first.

    `notices` and `late` are as of the report's date (RecordSet.as_of, overdue_report)."""
    year, as_of = report["year"], dt.date.fromisoformat(report["as_of"])
    by_id = {i.id: i for i in inspections}
    period = period_label(year, kind)
    settings = ws.settings
    basis = settings.notice_wording.legal_basis.strip().rstrip("。；;，, ")
    letters = []
    for row in _rows(report):
        if only is not None and row["id"] != only:
            continue
        insps = sorted((by_id[i] for i in row["inspections"] if i in by_id), key=lambda i: (i.date, i.id))
        groups = _findings_by_category(ws, insps, row["category_losses"])
        open_lines, overdue = _open_notices(row["id"], notices, late, as_of)
        issued = _year_notices(row["id"], notices, year)
        closed = sum(1 for n in issued if n.state()[0] == "已办结")
        if issued:
            notices_text = f"{year}年共向你单位下达监督文书{len(issued)}份，" + (
                (f"已办结{closed}份；" if closed else "") if open_lines else f"截至{cn_date(as_of)}均已办结。")
        else:
            notices_text = f"{year}年未向你单位下达监督文书" + ("；" if open_lines else "。")
        if open_lines:
            notices_text += f"截至{cn_date(as_of)}，尚未办结的监督文书有{len(open_lines)}份："
        if groups:
            requirement = "请你单位对照本函反馈的问题，认真分析原因，举一反三，逐项抓好整改，进一步规范行政执法行为。"
        else:
            requirement = "请你单位继续保持，进一步健全制度、规范行政执法行为。"
        if open_lines:
            requirement += (f"尚未办结的监督文书，请按期限要求将整改情况书面报送至{settings.reply_office}（{settings.reply_room}）"
                            + ("；已逾期的，请立即整改并报送。" if overdue else "。"))
        unit = ws.units_by_id[row["id"]]
        letters.append({
            "id": unit.id,
            "short": unit.short,
            # two lines broken before 依法行政 (title_lines would split the term to balance the lines)
            "title": f"关于反馈{period}\n依法行政监督考核结果的函",
            "addressee": unit.name,
            "period": period,
            "as_of": cn_date(as_of),
            "intro": (f"{basis}，截至{cn_date(as_of)}，{settings.issuer}对你单位开展监督检查{len(insps)}次"
                      f"（{'、'.join(_visit(i) for i in insps)}）。现将你单位{period}依法行政监督考核结果反馈如下："),
            "score_text": f"你单位{period}考核得分{num(float(row['total']))}分，等次为{row['grade']}，{_rank_text(report, row)}。",
            "rank_rule": RANK_RULE + "。",
            "total": row["total"],
            "grade": row["grade"],
            "rank": row["rank"],
            "kind_label": row["kind_label"],
            "rules": _rule_sentences(ws, row, by_id),
            "categories": groups,
            "notices_text": notices_text,
            "notices": open_lines,
            "overdue": overdue,
            "requirement": requirement,
            **_common(ws, today),
        })
    return letters


def _unit_facts(ws: Workspace, report: dict[str, Any], row: dict[str, Any], by_id: dict[str, Inspection], notices: Sequence[Notice]) -> str:
    """What lufa knows of a praised unit, as sentences: no praise that is not in the records."""
    year = report["year"]
    insps = sorted((by_id[i] for i in row["inspections"] if i in by_id), key=lambda i: (i.date, i.id))
    text = f"考核得分{num(float(row['total']))}分，等次为{row['grade']}，{_rank_text(report, row)}。"
    text += f"接受监督检查{len(insps)}次（{'、'.join(_visit(i) for i in insps)}），"
    cats = [c for c in ws.checklist.categories if not c.bonus]
    found: dict[int, int] = {}
    fixed = 0
    items = {i.id: c.no for c in cats for i in c.items}
    for insp in insps:
        for f in insp.active_findings():
            if f.item in items:
                found[items[f.item]] = found.get(items[f.item], 0) + f.count
                fixed += f.count if f.fixed_on_spot else 0
    if not found:
        text += f"{len(cats)}个方面均未发现问题。"
    else:
        names = "、".join(c.name for c in cats if c.no in found)
        text += f"发现问题{sum(found.values())}处（{names}方面）"
        text += f"，其中{fixed}处当场整改" if fixed else ""
        rest = len(cats) - len(found)
        text += f"，其余{rest}个方面未发现问题。" if rest else "。"
    if row["bonus"]:
        text += f"加分项计入{num(row['bonus'])}分。"
    issued = _year_notices(row["id"], notices, year)
    closed = [n for n in issued if n.state()[0] == "已办结"]
    if not issued:
        text += f"{year}年未被下达监督文书。"
    elif len(closed) == len(issued):
        on_time = all(_on_time(n) for n in issued)
        text += f"{year}年被下达的{len(issued)}份监督文书均已{'按期' if on_time else ''}整改办结。"
    else:
        carried = [n for n in issued if n.state()[0] == "已接续"]  # its loop went on in a later notice
        parts = [f"已办结{len(closed)}份"] if closed else []
        parts += [f"{len(carried)}份已由后续文书接续"] if carried else []
        parts += open_notices_text([n for n in issued if n.state()[0] not in ("已办结", "已接续")],
                                   dt.date.fromisoformat(report["as_of"]), after=bool(parts))
        text += f"{year}年被下达监督文书{len(issued)}份，{'，'.join(parts)}。"
    rv = report.get("reviews")
    mine = next((u for u in rv["by_unit"] if u["id"] == row["id"]), None) if rv else None
    if mine:
        grades = "、".join(f"{g}{n}卷" for g, n in mine["grades"].items() if n)
        text += f"评查行政处罚案卷{mine['files']}卷（{grades}），平均{num(float(mine['average']))}分。"
    return text


def models_context(
    ws: Workspace, report: dict[str, Any], inspections: Sequence[Inspection], notices: Sequence[Notice],
    overdue: set[str], kind: str, today: dt.date, addressee: str,
) -> dict[str, Any] | None:
    """The context of templates/models.docx (先进典型报告), or None when no unit qualifies.

    The units are chosen as the circular chooses 表现较好 (reports.praised); `overdue` are the ids of
    units with an overdue item or a referral candidate as of the report."""
    year, as_of = report["year"], dt.date.fromisoformat(report["as_of"])
    top = ws.checklist.grades[0].name
    by_id = {i.id: i for i in inspections}
    groups: list[dict[str, Any]] = []
    for key, label in (("county", "县直单位"), ("township", "乡镇")):
        chosen = praised(report[key], top, overdue, PRAISED_BEST)
        if chosen:
            groups.append({"heading": label, "units": [{"name": r["name"], "id": r["id"], "total": r["total"],
                                                        "text": _unit_facts(ws, report, r, by_id, notices)} for r in chosen]})
    if not groups:
        return None
    names = "、".join(u["name"] for g in groups for u in g["units"])
    inspected = len(report["county"]) + len(report["township"])
    grades = "、".join(f"{k}{v}个" for k, v in report["grades"].items())
    period = period_label(year, kind)
    return {
        "title": f"关于报送{period}依法行政监督考核先进典型的报告",
        "addressee": addressee,
        "period": period,
        "as_of": cn_date(as_of),
        "summary": (f"截至{cn_date(as_of)}，共考核{inspected}个单位（县直单位{len(report['county'])}个、乡镇{len(report['township'])}个），"
                    f"其中{grades}。"),
        "rule": praise_rule(top, PRAISED_BEST) + "。",
        "count": sum(len(g["units"]) for g in groups),
        "names": names,
        "groups": groups,
        **_common(ws, today),
    }


def models_refusal(ws: Workspace, report: dict[str, Any], overdue: set[str]) -> str:
    """Why no unit qualifies as a model, in figures."""
    top = ws.checklist.grades[0].name
    rows = _rows(report)
    when = f"截至{cn_date(dt.date.fromisoformat(report['as_of']))}，{report['year']}年"
    tops = [r for r in rows if r["grade"] == top]
    if not rows:
        return f"{when}还没有考核记录，没有可上报的先进典型"
    if not tops:
        return f"{when}已考核的{len(rows)}个单位中没有{top}等次的单位，没有可上报的先进典型"
    names = "、".join(r["name"] for r in tops)
    return f"{when}{top}等次的{len(tops)}个单位（{names}）均有整改逾期事项或列为移交线索候选，没有可上报的先进典型"
