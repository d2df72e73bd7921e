"""lufa review: case-file review (案卷评查) — record, list, show, summary."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any

import typer

from lufa_cli.cli.common import CTX, ListFormatOpt, clean, console, echo, emit_rows, fmt_cell, load, parse_date, say
from lufa_cli.errors import UsageError
from lufa_cli.workspace.loader import display_path

review_app = typer.Typer(help="案卷评查：按评查标准给案卷打分，汇总优秀、合格、不合格卷和常见问题。", no_args_is_help=True, **CTX)

FormatOpt = ListFormatOpt
# 2.1  2.1×3  3.2=8  3.4×2=2：决定书未载明救济途径   (× may be written x or *, ： may be :)
DEFECT = re.compile(r"^(?P<item>[^×xX*=:：]+?)\s*(?:[×xX*]\s*(?P<count>[^=:：]*?))?\s*(?:=\s*(?P<ded>[^:：]*?))?\s*(?:[:：](?P<desc>.*))?$")


def _parse_defect(spec: str, items: dict) -> tuple[dict[str, Any] | None, str | None]:
    """One --defect value as finding data, or the reason it is refused."""
    m = DEFECT.match(spec.strip())
    if not m:
        return None, "应写成 项目[×处数][=每处扣分][：说明]，如 2.1×3 或 3.2=8：询问笔录未签名"
    data: dict[str, Any] = {"item": m["item"].strip(), "description": (m["desc"] or "").strip()}
    if m["count"] is not None:
        try:
            data["count"] = int(m["count"])
        except ValueError:
            return None, f"处数“{m['count']}”不是整数"
        if data["count"] < 1:
            return None, f"处数应为正整数，实际是 {data['count']}"
    item = items.get(data["item"])
    if m["ded"] is not None:
        try:
            data["deduction"] = float(m["ded"])
        except ValueError:
            return None, f"扣分“{m['ded']}”不是数字"
        if data["deduction"] < 0 or not (data["deduction"] * 2).is_integer():
            return None, f"扣分 {m['ded']} 无效：应为非负数，且为 0.5 的整数倍"
    elif item is None:
        return data | {"deduction": 0.0}, None  # the unknown item is reported by review_problems
    elif item.per_occurrence is not None:
        data["deduction"] = item.per_occurrence
    elif item.veto:
        data["deduction"] = 0.0
    else:
        allowed = f"范围 {item.range.min:g}—{item.range.max:g} 分" if item.range else f"最多 {item.points} 分"
        return None, f"评查项目 {item.id} {item.name} 须写明每处扣分，如 {item.id}=…（{allowed}）"
    return data, None


@review_app.command(
    "record",
    help="""录入一卷案卷的评查结果：单位、案卷文号、案件名称、评查人、评查日期和发现的问题。

每个问题用一个 --defect 写成 项目[×处数][=每处扣分][：说明]：规定了“每处扣X分”的项目只写处数，
规定了扣分范围的项目要写明每处扣几分，一票否决项只写编号。写入前全部校验：案卷文号格式、
不在标准中的项目、处数为 0 或负数、扣分超出范围都会拒绝，不写任何文件。

[bold]示例[/bold]

  lufa review record 市场监督管理局 --case 鲁市监罚决字〔2026〕第12号 \\
      --case-name 某某超市销售过期食品案 --reviewer 张三 --reviewer 李四 \\
      --date 2026-11-20 --defect 2.3×4 --defect 3.2=8：询问笔录未签名
  lufa review record 司法局 --case 鲁司罚决字〔2026〕第3号 \\
      --case-name 某某案 --reviewer 张三 --defect 1.3
""",
)
def review_record(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(metavar="单位", help="编号、全称或简称。")],
    case: Annotated[str, typer.Option("--case", metavar="文号", help="处罚决定书文号，如 鲁市监罚决字〔2026〕第12号。")],
    case_name: Annotated[str, typer.Option("--case-name", metavar="名称", help="案件名称。")],
    reviewers: Annotated[list[str], typer.Option("--reviewer", metavar="姓名", help="评查人，可重复。")],
    defects: Annotated[list[str] | None, typer.Option("--defect", metavar="问题", help="项目[×处数][=每处扣分][：说明]，可重复。")] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="评查日期，默认今天。")] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="备注", help="备注。")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="以该日期为“今天”校验（默认今天）。")] = None,
) -> None:
    from pydantic import ValidationError

    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.model.reviews import Review
    from lufa_cli.records.reviews import require_reviews, require_standard, review_problems, write_new_review
    from lufa_cli.workspace.validation import translate

    case_text = clean(case, "--case", required=True)
    name = clean(case_name, "--case-name", required=True)
    people = [clean(x, "--reviewer", required=True) for x in reviewers]
    specs = [clean(x, "--defect", required=True) for x in defects or []]
    note = clean(note, "--note") or ""
    ws = load(ctx)
    ws.require_writable()
    standard = require_standard(ws)
    require_reviews(ws)  # the existing records must be readable before a number is taken
    today = parse_date(as_of, "--as-of")
    when = parse_date(date, "--date") if date is not None else today
    u = resolve_unit(ws.roster.units, unit)
    items = {i.id: i for i in standard.items()}
    errors: list[str] = []
    findings: list[Any] = []  # raw data: Review validates each into a ReviewFinding
    spec_of: list[str] = []  # the --defect value of each finding
    for spec in specs:
        data, problem = _parse_defect(spec, items)
        if data is None:  # then `problem` says why
            errors.append(f"--defect “{spec}”：{problem}")
        else:
            findings.append({"id": len(findings) + 1, **data})
            spec_of.append(spec)
    try:
        review = Review(id=f"{when.year}-R001", unit=u.id, date=when, case=case_text, case_name=name, reviewers=people,
                        findings=findings, note=note)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            where = "--case" if loc[:1] == ("case",) else (f"--defect “{spec_of[loc[1]]}”" if loc[:1] == ("findings",) and len(loc) > 1 and isinstance(loc[1], int) else "")
            message = translate(err, Review)[0]
            errors.append(f"{where}：{message}" if where else message)
        raise UsageError("；\n".join(errors)) from None
    for at, message in review_problems(ws, standard, review, as_of=today):
        where = f"--defect “{spec_of[at[1]]}”" if at[0] == "findings" else {"date": "--date", "unit": "单位"}.get(at[0], "")
        errors.append(f"{where}：{message}" if where else message)
    if errors:
        raise UsageError("；\n".join(errors))
    if ws.settings.sync is None:
        rec, path = write_new_review(ws, review)
    else:  # several clerks: the number is taken on the shared remote, as a notice's is
        from lufa_cli.cli.notice import follow_server
        from lufa_cli.records import gitsync
        from lufa_cli.records.reviews import publish_review, reviews_dir

        repo = gitsync.open_repo(ws.root, ws.settings.sync.remote, ws.settings.sync.branch)
        tip = gitsync.fetch(repo, offline="评查编号要在服务器上确定，现在不能登记；联网后重试，没有写入任何文件")
        gitsync.require_in_step(repo, tip, [reviews_dir(ws.root, when.year)], what="评查记录", then="登记评查")
        rec, path, commit = publish_review(repo, ws.root, review)
        follow_server(repo, commit, f"评查编号 {rec.id}", "请处理后运行 lufa sync 取回记录")
    from lufa_cli.domain.casereview import review_score

    s = review_score(standard, rec)
    veto = f"，一票否决：{'、'.join(s.vetoes)}" if s.vetoes else ""
    say(f"已写入评查记录 {rec.id}（{rec.case}，{fmt_cell(s.total)} 分，{s.grade}卷{veto}）：{display_path(path)}", style="green")


def _scores(ws, year: int | None, unit: str | None):
    from lufa_cli.domain.casereview import review_score
    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.records.reviews import require_reviews, require_standard

    standard = require_standard(ws)
    uid = resolve_unit(ws.roster.units, unit).id if unit else None
    return [review_score(standard, r) for r in require_reviews(ws).reviews
            if (year is None or r.date.year == year) and (uid is None or r.unit == uid)]


@review_app.command(
    "list",
    help="""列出案卷评查记录及每卷得分、等级。

[bold]示例[/bold]

  lufa review list --year 2026
  lufa review list --unit 市场监督管理局 --format csv > 评查.csv
""",
)
def review_list(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="只列该年。", min=2000, max=2100)] = None,
    unit: Annotated[str | None, typer.Option("--unit", metavar="单位", help="只列该单位。")] = None,
    fmt: FormatOpt = "table",
) -> None:
    from lufa_cli.render.reports import review_view

    ws = load(ctx)
    rows = [review_view(ws, s) for s in _scores(ws, year, unit)]
    emit_rows(rows, fmt, [("id", "编号"), ("date", "日期"), ("unit_short", "单位"), ("case", "案卷文号"), ("case_name", "案件名称"),
                          ("total", "得分"), ("grade", "等级"), ("veto_text", "一票否决")], title=f"案卷评查记录（{len(rows)} 份）")


@review_app.command(
    "show",
    help="""显示一份评查记录：各部分得分、等级、逐条问题。

[bold]示例[/bold]

  lufa review show 2026-R001
  lufa review show 鲁市监罚决字〔2026〕第12号 --format json
""",
)
def review_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="编号", help="评查编号或案卷文号。")],
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="text 或 json。")] = "text",
) -> None:
    from rich.markup import escape

    from lufa_cli.domain.casereview import review_score
    from lufa_cli.records.reviews import find_review, require_reviews, require_standard
    from lufa_cli.render.reports import review_view

    if fmt not in ("text", "json"):
        raise UsageError(f"--format 的值“{fmt}”无效，可选：text、json")
    ws = load(ctx)
    standard = require_standard(ws)
    v = review_view(ws, review_score(standard, find_review(require_reviews(ws), ref)))
    if fmt == "json":
        echo(json.dumps(v, ensure_ascii=False, indent=2))
        return
    con = console()
    con.print(f"[bold]{escape(v['id'])}[/bold]  {escape(v['unit_name'])}  {v['date']}  评查人：{escape('、'.join(v['reviewers']))}", soft_wrap=True)
    con.print(f"案卷：{escape(v['case_name'])}（{escape(v['case'])}）", soft_wrap=True)
    parts = "、".join(f"{p.name} {fmt_cell(float(v['part_scores'][str(p.no)]))}/{p.points}" for p in standard.parts if p.points)
    con.print(f"得分：{v['total']} 分（{escape(parts)}），等级：{v['grade']}卷")
    if v["vetoes"]:
        con.print(f"[red]一票否决：{escape(v['veto_text'])}，不论得分评为{standard.grades[-1].name}卷[/red]", soft_wrap=True)
    if not v["findings"]:
        con.print("未发现问题。")
    for f in v["findings"]:
        cost = "一票否决" if f["veto"] else (f"{f['count']} 处×{f['deduction']} 分＝扣 {f['points']} 分" if f["count"] > 1 else f"扣 {f['points']} 分")
        desc = f"：{f['description']}" if f["description"] else ""
        con.print(f"  {f['id']}. [{f['item']} {escape(f['name'])}] {cost}{escape(desc)}", soft_wrap=True)
    if v["note"]:
        con.print(f"备注：{escape(v['note'])}")


@review_app.command(
    "summary",
    help="""案卷评查汇总：每个单位评查卷数、优秀/合格/不合格卷数、平均分、计入考核的扣分，全县合计和常见问题。

[bold]示例[/bold]

  lufa review summary --year 2026
  lufa review summary --year 2026 --unit 市场监督管理局
  lufa review summary --year 2026 --format json
""",
)
def review_summary(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="评查年度，默认今年。", min=2000, max=2100)] = None,
    unit: Annotated[str | None, typer.Option("--unit", metavar="单位", help="只汇总该单位。")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="日期", help="只计入该日期及以前的评查（默认今天）。")] = None,
    fmt: FormatOpt = "table",
) -> None:
    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.records.reviews import require_reviews, require_standard
    from lufa_cli.render.reports import review_report

    if fmt not in ("table", "json", "csv", "xlsx"):
        raise UsageError(f"--format 的值“{fmt}”无效，可选：table、json、csv、xlsx")
    ws = load(ctx)
    standard = require_standard(ws)
    today = parse_date(as_of, "--as-of")
    y = year or today.year
    uid = resolve_unit(ws.roster.units, unit).id if unit else None
    block, _ = review_report(ws, require_reviews(ws).reviews, y, min(today, dt.date(y, 12, 31)), unit=uid)
    block = {"year": y, "as_of": min(today, dt.date(y, 12, 31)).isoformat(), **block}
    grades = [g.name for g in standard.grades]
    if fmt == "json":
        echo(json.dumps(block, ensure_ascii=False, indent=2))
        return
    rows = [{**r, **{f"g_{g}": r["grades"][g] for g in grades}} for r in block["by_unit"]]
    cols = [("short", "单位"), ("files", "评查卷数"), *[(f"g_{g}", f"{g}卷") for g in grades], ("average", "平均分"), ("deduction", "计入考核扣分")]
    if fmt in ("csv", "xlsx"):
        emit_rows(rows, fmt, [("id", "编号"), *cols], title=f"{y}年案卷评查汇总（截至 {block['as_of']}）")
        return
    con = console()
    if not block["files"]:
        con.print(f"{y}年（截至 {block['as_of']}）尚无案卷评查记录。")
        return
    emit_rows(rows, "table", cols, title=f"{y}年案卷评查汇总（截至 {block['as_of']}）")
    counts = "、".join(f"{g} {block['grades'][g]} 卷" for g in grades)
    con.print(f"合计：{block['units_reviewed']} 个单位、{block['files']} 卷；{counts}")
    if block["defects"]:
        emit_rows(block["defects"], "table", [("item", "项目"), ("name", "问题"), ("part", "部分"), ("occurrences", "处数"), ("files", "涉及卷数"), ("units", "涉及单位")],
                  title="常见问题（按出现处数）")
