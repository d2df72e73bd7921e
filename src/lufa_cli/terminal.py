"""Rich renderings of the plain-data views for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


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
