"""Rich renderings of the plain-data views for the terminal."""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

# C0/C1 controls (ESC starts terminal escape sequences), DEL, direction controls and line/paragraph
# separators: shown as \x1b, \u202e … so a file name, an option value or a source line echoed in a
# message can neither move the cursor, recolour the screen nor reorder what the clerk reads.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def terminal_safe(text: str) -> str:
    """`text` with every control, escape and direction character made visible (\x1b, \u202e)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


class SafeConsole(Console):
    """The console every line lufa prints goes through: each string is made `terminal_safe`
    before Rich renders it (Rich's own colour codes are added afterwards and are kept)."""

    def render_str(self, text: str, **kwargs: Any):  # Rich's signature
        return super().render_str(terminal_safe(text), **kwargs)


def show_week(console: Console, v: dict[str, Any]) -> None:
    console.print(f"[bold]{escape(v['label'])}[/bold]  {escape(v['period'])}")
    days = Table(show_header=True, box=None, pad_edge=False)
    for d in v["days"]:
        days.add_column(f"{d['date']}\n{d['weekday']}", justify="center")
    styles = {True: "green", False: "dim"}
    days.add_row(
        *[
            f"[red]{escape(d['holiday'])}[/]" if d["holiday"] and not d["workday"] else f"[{styles[d['workday']]}]{escape(d['status'])}[/]"
            for d in v["days"]
        ]
    )
    console.print(days)
    console.print(f"工作日：{escape(v['workdays_text'])}（日历来源：{escape(v['calendar_source_label'])}）", soft_wrap=True)
    if not v["units"]:
        console.print(f"[yellow]{escape(v['note'])}[/yellow]", soft_wrap=True)
        return
    t = Table(title="受监督单位", title_justify="left")
    t.add_column("序号", justify="right")
    t.add_column("单位")
    t.add_column("类别")
    for u in v["units"]:
        t.add_row(str(u["no"]), escape(u["name"]), u["kind_label"])
    console.print(t)
    g = Table(title="工作小组（县司法局）", title_justify="left")
    g.add_column("科室", no_wrap=True)
    g.add_column("电话", no_wrap=True)
    g.add_column("负责检查内容", overflow="fold")
    for o in v["offices"]:
        g.add_row(escape(o["name"]), escape(o["phone"]), escape(o["categories"]))
    console.print(g)
    c = Table(title="检查内容", title_justify="left")
    c.add_column("类", justify="right")
    c.add_column("名称", no_wrap=True)
    c.add_column("分值", justify="right")
    c.add_column("检查项目")
    for cat in v["categories"]:
        items = "、".join(f"{i['id']} {i['name']}（{i['points']}分）" for i in cat["items"]) if len(cat["items"]) > 1 else ""
        c.add_row(str(cat["no"]), escape(cat["name"]), str(cat["points"]), escape(items))
    console.print(c)
    console.print(f"检查方式：{escape(v['methods'])}")


def _span(r: dict[str, Any]) -> str:
    start, end = r["start"], r["end"]
    sm, sd, em, ed = int(start[5:7]), int(start[8:]), int(end[5:7]), int(end[8:])
    return f"{sm}月{sd}日—{ed}日" if sm == em else f"{sm}月{sd}日—{em}月{ed}日"


def show_year(console: Console, v: dict[str, Any]) -> None:
    from rich import box

    t = Table(title=v["title"], title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("月份", no_wrap=True)
    t.add_column("周次", no_wrap=True)
    t.add_column("日期", no_wrap=True)
    t.add_column("工作日", no_wrap=True)
    t.add_column("受监督单位", no_wrap=True)
    last_month = None
    for r in v["rows"]:
        if r["month"] != last_month and last_month is not None:
            t.add_section()
        month = r["month_label"] if r["month"] != last_month else ""
        last_month = r["month"]
        days = f"{r['workdays']}天" + (f"\n[red]{escape('、'.join(r['holidays']))}[/red]" if r["holidays"] else "")
        t.add_row(month, r["week_label"], _span(r), days, escape("\n".join(r["units"])))
    console.print(t)
    console.print(escape(v["note"]))
    for e in v["exempt"]:
        console.print(f"免检：{escape(e['unit'])}（{escape(e['reason'])}）")


def _bar(total: float, width: int = 20) -> str:
    full = round(total / 100 * width)
    return "█" * full + "·" * (width - full)


def show_scores(console: Console, r: dict[str, Any]) -> None:
    console.print(f"[bold]{r['year']}年依法行政监督考核得分[/bold]（截至 {r['as_of']}，计入：{'、'.join(r['kinds'])}）", soft_wrap=True)
    cats = r["categories"]
    for group, title in (("county", "县直单位"), ("township", "乡镇")):
        rows = r[group]
        t = Table(title=f"{title}（已检查 {len(rows)} 个）", title_justify="left")
        t.add_column("名次", justify="right")
        t.add_column("单位", no_wrap=True)
        t.add_column("总分", justify="right")
        t.add_column("", no_wrap=True)
        t.add_column("等级", no_wrap=True)
        t.add_column("失分（大类）", overflow="fold")
        for row in rows:
            losses = "、".join(f"{c['no']}类-{row['category_losses'][str(c['no'])]}" for c in cats if row["category_losses"][str(c["no"])])
            style = "red" if row["grade"] == "不合格" else ""
            t.add_row(str(row["rank"]), escape(row["short"]), str(row["total"]), f"[{style or 'green'}]{_bar(row['total'])}[/]", row["grade"], losses or "—")
        if rows:
            console.print(t)
        else:
            console.print(f"{title}：尚无检查记录。")
    if r["frequent_problems"]:
        p = Table(title="常见问题（按发现次数）", title_justify="left")
        for h in ("项目", "名称", "次数", "涉及单位", "失分"):
            p.add_column(h)
        for fp in r["frequent_problems"]:
            p.add_row(fp["item"], escape(fp["name"]), str(fp["findings"]), str(fp["units"]), str(fp["points_lost"]))
        console.print(p)
    _show_rules(console, r)
    grades = "、".join(f"{k} {v} 个" for k, v in r["grades"].items())
    console.print(f"等级分布：{grades}")
    if r["not_inspected"]:
        names = [u["name"] for u in r["not_inspected"]]
        more = "等（--format json 可列出全部）" if len(names) > 10 else ""
        console.print(f"尚未检查（{len(names)} 个）：" + escape("、".join(names[:10])) + more, soft_wrap=True)


def _show_rules(console: Console, r: dict[str, Any]) -> None:
    """Weighted parts, bonus, veto and case-review results, for the units where they apply."""
    rows = r["county"] + r["township"]
    if r["show"]["parts"]:
        console.print("计分权重：" + "、".join(f"{w['name']} {w['weight']}%（{'、'.join(w['kinds'])}）" for w in r["weights"])
                      + "；尚无某部分检查的单位按已检查部分的权重折算", soft_wrap=True)
        for row in rows:
            parts = "、".join(f"{p['name']} {'未检查' if p['score'] is None else p['score']}" for p in row["parts"])
            console.print(f"  {escape(row['short'])}：{escape(parts)}", soft_wrap=True)
    for row in rows:
        notes = []
        if row["bonus_claimed"]:
            capped = f"（记录 {row['bonus_claimed']} 分，按上限计）" if row["bonus_claimed"] != row["bonus"] else ""
            notes.append(f"加分 {row['bonus']} 分{capped}")
        if row["review_text"]:
            notes.append(row["review_text"])
        if row["veto_text"]:
            notes.append(f"{row['veto_text']}，等级为{row['grade']}")
        if notes:
            style = "red" if row["vetoes"] else ""
            console.print(f"[{style or 'default'}]{escape(row['short'])}：{escape('；'.join(notes))}[/]", soft_wrap=True)
    rv = r.get("reviews")
    if rv:
        counts = "、".join(f"{k} {v} 卷" for k, v in rv["grades"].items())
        console.print(f"案卷评查：{rv['units_reviewed']} 个单位 {rv['files']} 卷，{counts}（lufa review summary 查看明细）", soft_wrap=True)
    for u in r.get("review_pending", []):
        console.print(f"[yellow]{escape(u['name'])}：案卷评查应扣 {u['points']} 分（{escape('、'.join(u['reviews']))}），"
                      "该单位尚无检查记录，检查后计入[/yellow]", soft_wrap=True)


def show_overdue(console: Console, r: dict[str, Any]) -> None:
    parts: list[tuple[str, str]] = []  # (text, style)
    add = parts.append
    if not r["overdue"]:
        add((f"截至 {r['as_of']}，没有逾期事项。\n", "green"))
    for g in r["by_unit"]:
        add((g["unit_name"], "bold"))
        add((f"（最长逾期 {g['max_days']} 天）", ""))
        if g["referral"]:
            add(("  移交线索候选", "red"))
        add(("\n", ""))
        for it in g["items"]:
            add((
                f"  {it['doc_number']}  {it['what']}，期限 {it['due']}，逾期 {it['days_overdue']} 天；"
                f"催办：{it['office']['name']} {it['office']['phone']}"
                + (f"；已办：{it['steps_taken']}" if it["steps_taken"] else "")
                + (f"；下一步：{it['next_text']}" if it["next_text"] else "") + "\n", ""
            ))
    if r["overdue"]:
        add((f"共 {len(r['overdue'])} 项逾期，涉及 {len(r['by_unit'])} 个单位（截至 {r['as_of']}）。\n", "red"))
    if r["due_within"] is not None:
        if r["due_soon"]:
            add((f"{r['due_within']} 天内到期\n", "bold"))
            for it in r["due_soon"]:
                add((f"  {it['doc_number']}  {it['unit_name']}  {it['what']}，期限 {it['due']}（还有 {it['days_left']} 天）\n", ""))
        else:
            add((f"{r['due_within']} 天内没有到期事项。\n", ""))
    print_styled(console, parts)


def print_styled(console: Console, parts: list[tuple[str, str]]) -> None:
    """`console.print` of the styled pieces as one Text (soft-wrapped, trailing blanks stripped).

    A province-scale list has ten thousand lines: a console.print per line (markup parsed
    each time) cost seconds, and so does Rich's rendering of one big Text. Where Rich would
    print nothing but the characters (not a terminal, no colours, no tabs to expand), they
    are written straight to the console's file: the same bytes, tested against Rich's."""
    from rich.control import STRIP_CONTROL_CODES, strip_control_codes

    plain = "".join(text for text, _ in parts)
    if any(chr(c) in plain for c in STRIP_CONTROL_CODES):  # str.translate of a megabyte costs 0.1 s: only when there is one
        plain = strip_control_codes(plain)
    plain = plain.rstrip()
    # (not inside `with console:` or a capture, where Rich buffers: `_buffer_index`, read defensively)
    if not (console.is_terminal or console.color_system or console.record or console.is_jupyter or console.quiet
            or getattr(console, "_buffer_index", None) or "\t" in plain):
        console.file.write(plain + "\n")
        console.file.flush()  # as Rich does after each print
        return
    from rich.text import Text

    out = Text()
    for text, style in parts:
        out.append(text, style=style or None)
    out.rstrip()
    console.print(out, soft_wrap=True)


def show_status(console: Console, v: dict[str, Any]) -> None:
    def names(w: dict[str, Any]) -> str:
        return "、".join(u["name"] for u in w["units"]) or "（无安排）"

    console.print(f"[bold]依法行政监督考核 · 截至 {v['as_of']}[/bold]")
    console.print(f"本周 {v['this_week']['label']}（{v['this_week']['period']}）：{escape(names(v['this_week']))}", soft_wrap=True)
    console.print(f"下周 {v['next_week']['label']}（{v['next_week']['period']}）：{escape(names(v['next_week']))}", soft_wrap=True)
    if v["next_scheduled"]:
        n = v["next_scheduled"]
        console.print(f"下一安排周：{n['label']}（{n['period']}）：{escape(names(n))}", soft_wrap=True)
    i = v["inspections"]
    console.print(f"日常监督：已过计划周的 {i['planned_so_far']} 个单位中已检查 {i['done']} 个；本年共有检查记录 {i['recorded_this_year']} 份")
    if i["missed"]:
        more = f" 等 {len(i['missed'])} 个" if len(i["missed"]) > 8 else ""
        console.print(f"  [yellow]尚未检查：{escape('、'.join(i['missed'][:8]))}{more}[/yellow]", soft_wrap=True)
    console.print("按监督类型：" + "、".join(f"{t} {c} 次" for t, c in i["by_type"].items()))
    sc = v["spotcheck"]
    if sc is not None:
        console.print(f"年中抽查：抽中 {sc['drawn']} 个单位，已抽查 {sc['done']} 个")
        if sc["waiting"]:
            console.print(f"  [yellow]尚待抽查：{escape('、'.join(sc['waiting']))}[/yellow]", soft_wrap=True)
    n = v["notices"]
    console.print(
        f"文书：待反馈 {n['待反馈']}、待核查 {n['待核查']}、" + (f"已接续 {n['已接续']}、" if n["已接续"] else "") + f"已办结 {n['已办结']}、已作废 {n['已作废']}；"
        f"[red]逾期 {n['overdue']}[/red]，7 天内到期 {n['due_soon']}；未下达意见书的检查 {n['inspections_without_notice']} 次",
        soft_wrap=True,
    )
    if n["referrals"]:
        console.print(f"  [red]移交线索候选：{escape('、'.join(n['referrals']))}[/red]", soft_wrap=True)
    s = v["selfchecks"]
    console.print(f"自查材料（期限 {s['deadline']}）：已报送 {s['filed']}，未报送 {s['missing']}")
    for line in v.get("registers", {}).get("lines", []):
        console.print(escape(line), soft_wrap=True)
    if v["next_steps"]:
        console.print("[bold]接下来[/bold]")
        for step in v["next_steps"]:
            console.print(f"  {escape(step)}", soft_wrap=True)
