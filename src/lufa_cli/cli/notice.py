"""lufa notice: issue, void, render, list and show supervision documents."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lufa_cli.cli.common import (
    CTX,
    ForceOpt,
    ListFormatOpt,
    OutOpt,
    calendar_warnings,
    clean,
    console,
    echo,
    emit_rows,
    load,
    parse_date,
    parse_requirements,
    run_today,
    say,
)
from lufa_cli.errors import DataError, PartialError, RefusedError, TemplateError, UsageError
from lufa_cli.workspace.loader import display_path
from lufa_cli.workspace.workspace import Workspace

if TYPE_CHECKING:
    from lufa_cli.model.notices import Notice
    from lufa_cli.model.records import Inspection
    from lufa_cli.records.notices import Draft

notice_app = typer.Typer(help="监督文书：下达意见书、作废、重新生成文档、列出和查看。", no_args_is_help=True, **CTX)


OUT_HELP = "文档输出目录（默认工作区的 output/notices/年份/）。"


def notice_kind(ws: Workspace, kind_id: str | None):
    kid = kind_id or ws.settings.default_notice_kind
    k = ws.settings.kind(kid)
    if k is not None:
        return k
    raise UsageError(f"--kind 的值“{kid}”无效，可选：{'、'.join(k.id for k in ws.settings.notice_kinds)}")


def notice_ref(n, notices: list) -> str:
    """The short number `find_notice` takes for `n`, for the next command a message suggests:
    2026-3, or jueding-2026-3 when a notice of another kind has number 3 of 2026 too."""
    twin = any(m.year == n.year and m.number == n.number and m.kind != n.kind for m in notices)
    return f"{n.kind}-{n.year}-{n.number}" if twin else f"{n.year}-{n.number}"


def find_notice(notices: list, ref: str, default_year: int):
    """A notice from 3 / 2026-3 / jueding-2026-3 / 鲁政行监字〔2026〕3号 (also with (), （）, [] or 【】).

    A bare number means that number of `default_year` (the year of the run's today), and
    the clerk is told which notice it was taken to be; the same number of two kinds is refused."""
    text = ref.strip()
    for n in notices:
        if n.doc_number == text:
            return n
    year, number, kind = default_year, None, None
    m = re.fullmatch(r"(?:([a-z0-9][a-z0-9-]*?)-)?(\d{4})-(\d+)", text)  # a kind id as settings.yaml allows it
    if m:
        kind, year, number = m[1], int(m[2]), int(m[3])
    elif text.isdigit():
        number = int(text)
    else:
        # 〔〕 as printed; [] () （） ［］ 【】 as typed on a keyboard without 〔〕
        m = re.search(r"[〔\[(（［【]\s*(\d{4})\s*[〕\])）］】]\s*第?\s*(\d+)\s*号?$", text)
        if m:
            year, number = int(m[1]), int(m[2])
    if number is None:
        raise UsageError(f"无法识别文书编号“{ref}”；可写 3、2026-3、jueding-2026-3 或 鲁政行监字〔2026〕3号（括号也可写成 () 或 （））")
    found = [n for n in notices if n.year == year and n.number == number and (kind is None or n.kind == kind)]
    if len(found) > 1 and not text.isdigit() and m is not None and m.start() > 0:  # a typed number names its kind by its prefix
        prefix = text[: m.start()].strip()
        found = [n for n in found if n.doc_number.startswith(prefix)] or found
    if len(found) > 1:
        raise UsageError(f"{year} 年第 {number} 号有 {len(found)} 种文书：{'、'.join(n.doc_number for n in found)}；"
                         f"请写完整文号，或写成 {next(n.kind for n in found if n.key[0].isalpha())}-{year}-{number} 这样带种类的编号")
    for n in found:
        if text.isdigit():
            say(f"按 {year} 年理解：{text} 即 {n.doc_number}（{n.key}）；其他年度请写成 年份-{number}")
        return n
    others = sorted({n.year for n in notices if n.number == number})
    hint = f"；{'、'.join(map(str, others))} 年有第 {number} 号，请写成 {others[-1]}-{number}" if text.isdigit() and others else ""
    raise UsageError(f"没有 {year} 年第 {number} 号文书{hint}（lufa notice list 可列出全部文书）")


def deadline_warnings(ws: Workspace, notices: list) -> list[str]:
    """The guessed-calendar warning for running deadlines that fall in an uncovered year."""
    from lufa_cli.domain.workcal import WorkCalendar, guessed_warnings
    from lufa_cli.model.notices import open_deadlines

    return guessed_warnings(WorkCalendar(ws.calendar), open_deadlines(notices))


def docx_path(ws: Workspace, out_dir: Path | None, n, unit_short: str) -> Path:
    from lufa_cli.reading.fsio import path_inside

    folder = out_dir or ws.output_dir / "notices" / str(n.year)
    return path_inside(folder, f"{n.doc_number}-{unit_short}.docx")


RECEIPT_TEMPLATE = "receipt-songda.docx"


def receipt_path(notice_docx: Path) -> Path:
    """The 送达回证 written beside a notice: 鲁政行监字〔2026〕3号-司法局-送达回证.docx (a name too long for the
    file system loses characters of the unit's name, never the -送达回证 that tells it from the notice)."""
    from lufa_cli.reading.fsio import safe_filename

    tail = "-送达回证" + notice_docx.suffix
    stem = notice_docx.stem
    while safe_filename(stem + tail) != stem + tail and stem:
        stem = stem[:-1]
    return notice_docx.with_name(stem + tail)


def voided_path(path: Path) -> Path:
    return path.with_name(path.stem + "-已作废" + path.suffix)


def retire_docx(ws: Workspace, out_dir: Path | None, n, unit_short: str, notices: list) -> Path | None:
    """Rename a voided notice's document and its 送达回证 to …-已作废.docx so neither can be printed by
    mistake; the notice's new name (or the receipt's, when only it was left), or None when neither was there."""
    notice_doc = docx_path(ws, out_dir, n, unit_short)
    moved = [_retire(p, notice_ref(n, notices)) for p in (notice_doc, receipt_path(notice_doc)) if p.is_file()]
    return moved[0] if moved else None


def _retire(path: Path, ref: str) -> Path:
    import os

    target = voided_path(path)
    if target.exists():  # never overwrite: an earlier voided copy stays, this one goes beside it
        k = 2
        while (cand := target.with_name(f"{target.stem}{k}{target.suffix}")).exists():
            k += 1
        target = cand
    try:
        os.replace(path, target)
    except OSError as exc:
        raise RefusedError(f"无法把已作废文书的文档 {display_path(path)} 改名为 {target.name}：{exc.strerror}；请关闭正在打开它的程序（WPS/Word）后重试 lufa notice render {ref}") from exc
    return target


def followed(notices: list, n):
    """The notice `n` follows (by its document number), if any."""
    return next((m for m in notices if n.follows and m.doc_number == n.follows), None)


def inspection_of(rs, n):
    """The inspection record a notice was issued from (its date and methods go on paper), or None."""
    return next((i for i in rs.inspections if i.id == n.inspection), None) if n.inspection else None


def render_notice(ws: Workspace, n, out_dir: Path | None, force: bool, rs=None, *, notices: list | None = None) -> Path:
    """Write the notice's .docx; `rs` gives its inspection and the notice it follows (`notices` overrides the latter)."""
    from lufa_cli.records.notices import notice_context
    from lufa_cli.render.documents import render_docx

    unit = ws.units_by_id[n.unit]
    kind = ws.settings.kind(n.kind)
    template = ws.template(kind.template if kind else "notice-yijianshu.docx")
    if notices is None:
        notices = rs.notices if rs is not None else []
    ctx = notice_context(n, unit.name, ws.settings, followed(notices, n),
                         inspection_of(rs, n) if rs is not None else None)
    check_receipt_template(ws, n)  # both documents or neither
    out = render_docx(template, ctx, docx_path(ws, out_dir, n, unit.short), force=force, fonts=ws.settings.fonts)
    try:
        render_receipt(ws, n, out, force)
    except BaseException:  # e.g. the disk filled up: no notice goes out without its slip (render writes both again)
        out.unlink(missing_ok=True)
        raise
    return out


def check_receipt_template(ws: Workspace, n) -> None:
    """A missing or broken 送达回证 template fails here, before a number is taken or a document written."""
    from lufa_cli.records.notices import receipt_context
    from lufa_cli.render.documents import compile_docx

    compile_docx(ws.template(RECEIPT_TEMPLATE)).render(receipt_context(n, ws.units_by_id[n.unit].name, ws.settings),
                                                       fonts=ws.settings.fonts)


def render_receipt(ws: Workspace, n, notice_doc: Path, force: bool) -> Path:
    """Write the 送达回证 of `n` beside its document (templates/receipt-songda.docx)."""
    from lufa_cli.records.notices import receipt_context
    from lufa_cli.render.documents import render_docx

    ctx = receipt_context(n, ws.units_by_id[n.unit].name, ws.settings)
    return render_docx(ws.template(RECEIPT_TEMPLATE), ctx, receipt_path(notice_doc), force=force, fonts=ws.settings.fonts)


def preview_text(ws: Workspace, n, rs) -> str:
    """What the notice will say: the 意见书 as notice_text writes it, other kinds read back from their rendered template."""
    from lufa_cli.model.notices import LEGACY_KIND
    from lufa_cli.records.notices import notice_context, notice_text

    ctx = notice_context(n, ws.units_by_id[n.unit].name, ws.settings, followed(rs.notices, n), inspection_of(rs, n))
    if n.kind == LEGACY_KIND:
        return notice_text(ctx)
    import io

    from docx import Document

    from lufa_cli.render.documents import compile_docx

    kind = ws.settings.kind(n.kind)
    assert kind is not None  # a loaded notice's kind is in settings.yaml (else lufa check refuses it)
    data = compile_docx(ws.template(kind.template)).render(ctx, fonts=ws.settings.fonts)
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs) + "\n"


@notice_app.command(
    "issue",
    help="""下达监督意见书：分配本年度下一个文号，写入文书记录，并按模板生成 Word 文档和它的送达回证。

通常从一次检查的未整改问题下达（--inspection）；也可对某单位直接列出问题（单位 + --finding）。
--all --since 日期 为该日期以来所有有未整改问题、尚未下达意见书的检查逐一下达：先列出将下达的
意见书并询问“确认下达吗”，加 --yes 不询问。
--dry-run 只显示文书内容和将要使用的文号，不占用文号、不写任何文件。
整改期限：自下达次日起算 30 日（settings.yaml 可改，--days 可单独指定），最后一日遇法定节假日或休息日顺延。

检查记录中各条问题的整改要求（lufa inspect record/amend --requirement 或记录表的“整改要求”列）印在该条之后；
--requirement 序号=要求 对该条另写，优先于检查记录中的。

[bold]示例[/bold]

  lufa notice issue --inspection 2026-04-13-sifaju
  lufa notice issue --inspection 2026-04-13-sifaju --dry-run
  lufa notice issue --inspection 2026-04-13-sifaju \\
      --requirement 2=按立卷规范重新装订并编制卷内目录
  lufa notice issue 司法局 --finding 执法记录仪未全程开启 \\
      --finding 案卷未按规范立卷 \\
      --case-name 某某公司违法案 --case-number 鲁司罚决字〔2026〕第3号
  lufa notice issue --all --since 2026-04-01
  lufa notice issue --all --since 2026-04-01 --yes       不再确认（定时任务）
  lufa notice issue --kind jueding --follows 鲁政行监字〔2026〕3号

文书种类（--kind）见 settings.yaml 的 notice_kinds：yijianshu 意见书（默认）、tongzhishu 通知书、jueding 决定书，
各自编号。--follows 接在一份逾期未整改的文书之后下达（如决定书接意见书），沿用其单位和问题，并在原文书记录中注明。
""",
)
def notice_issue(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Argument(metavar="单位", help="直接下达时的单位（编号、全称或简称）。")] = None,
    inspection: Annotated[str | None, typer.Option("--inspection", metavar="检查编号", help="从这次检查的未整改问题下达。")] = None,
    findings: Annotated[list[str] | None, typer.Option("--finding", metavar="问题", help="问题描述，可重复（直接下达时用）。")] = None,
    case_name: Annotated[str | None, typer.Option("--case-name", metavar="案件", help="涉及的案件名称，如 某某公司违法案。")] = None,
    case_number: Annotated[str | None, typer.Option("--case-number", metavar="文号", help="涉及案件的决定书文号。")] = None,
    all_: Annotated[bool, typer.Option("--all", help="批量：为 --since 以来所有有未整改问题、尚未下达的检查逐一下达。")] = False,
    since: Annotated[str | None, typer.Option("--since", metavar="日期", help="批量下达时检查日期的起点。")] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="下达日期，默认今天。")] = None,
    days: Annotated[int | None, typer.Option("--days", metavar="天数", help="整改期限天数（默认见 settings.yaml）。", min=1, max=365)] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar="文书种类", help="settings.yaml 中 notice_kinds 的编号。")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只预览，不占用文号、不写文件。")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="--all 时不再逐份列出确认，直接下达（供定时任务等非交互运行）。")] = False,
    out_dir: Annotated[Path | None, typer.Option("--output-dir", "-o", metavar="目录", help=OUT_HELP)] = None,
    force: Annotated[bool, typer.Option("--force", help="文档已存在时覆盖。")] = False,
    provisional: Annotated[bool, typer.Option("--provisional", help="多人共用文号而连不上服务器时：先保存为临时文书（不定号、不生成文档），联网后 lufa sync 定号。")] = False,
    follows: Annotated[str | None, typer.Option("--follows", metavar="文号", help="接在这份文书之后下达（如决定书接逾期未整改的意见书），沿用其单位和问题。")] = None,
    requirement: Annotated[list[str] | None, typer.Option("--requirement", metavar="序号=要求", help="某条问题的具体整改要求，印在该条之后；序号为文书中“一是、二是……”的次序（--dry-run 可先看），可重复。"
                                                                 "从检查记录下达时，检查记录中已填的整改要求自动印上，此处写的优先。")] = None,
) -> None:
    from lufa_cli.domain.roster import resolve_unit
    from lufa_cli.domain.workcal import WorkCalendar
    from lufa_cli.model.notices import Case, Contact, NoticeFinding
    from lufa_cli.records.inspections import require_records
    from lufa_cli.records.notices import (
        citing,
        draft,
        issue_for_inspection,
        next_number,
        notice_context,
        open_findings,
        take_number,
        with_requirements,
    )

    findings = [clean(t, "--finding") for t in findings or []]
    requirements = parse_requirements(requirement or [])
    if requirements and all_:
        raise UsageError("--requirement 只能用于单份下达（--all 一次下达多份，序号无法对应）")
    case_name, case_number = clean(case_name, "--case-name") or None, clean(case_number, "--case-number") or None
    ws = load(ctx)
    issued = parse_date(date, "--date")
    if issued > run_today():
        raise UsageError(f"--date：下达日期 {issued} 晚于今天（{run_today()}）")
    k = notice_kind(ws, kind)
    rs = require_records(ws)
    cal = WorkCalendar(ws.calendar)
    modes = sum([inspection is not None, all_, unit is not None, follows is not None])
    if modes != 1:
        raise UsageError("请指定一种方式：--inspection 检查编号、单位 + --finding、--all --since 日期，或 --follows 文号")
    if follows is not None:
        if findings or case_name or case_number or provisional:
            raise UsageError("--follows 沿用原文书的单位、问题和案件，不能再写 --finding、--case-name、--case-number 或 --provisional")
        return issue_following(ws, rs, k, follows, issued, cal, days=days, dry_run=dry_run, out_dir=out_dir, force=force,
                               requirements=requirements)
    if (case_name or case_number) and unit is None and inspection is None and follows is None:
        raise UsageError("--case-name/--case-number 只能用于单份下达")
    if case_name and not case_number:
        raise UsageError("写了 --case-name 时也要写 --case-number（决定书文号），意见书原文为“你单位××案（文号）经审查后发现”")
    contact = Contact(name=ws.settings.contact.name, phone=ws.settings.contact.phone)
    case = Case(name=case_name or "", number=case_number or "") if (case_name or case_number) else None
    def from_inspection(insp, notices, *, case=None):  # the draft of its open findings, or None
        open_ = open_findings(insp, notices)
        if not open_:
            return None
        fs = [NoticeFinding(text=f.description, finding=f.id, item=f.item, case=f.case, case_name=f.case_name, requirement=f.requirement)
              for f in open_]
        fs = with_requirements(fs, requirements)
        return draft(k, insp.unit, issued, fs, cal, days=days, inspection=insp.id, case=case, contact=contact)

    def nothing_open(insp, notices) -> UsageError:
        cited = citing(insp, notices)
        by = "；已下达的：" + "、".join(n.doc_number for n in cited) if cited else ""
        return UsageError(f"检查记录 {insp.id} 没有需要下达意见书的问题（均已立行立改、已撤销或已下达）{by}")

    jobs: list[tuple[Inspection | None, Draft]] = []  # (inspection or None, draft built from what was loaded)
    if all_:
        if since is None:
            raise UsageError("--all 需要 --since 日期")
        start = parse_date(since, "--since")
        noticed = {n.inspection for n in rs.notices if not n.voided}
        for insp in rs.inspections:
            if insp.date < start or insp.id in noticed or insp.date > issued:
                continue
            d = from_inspection(insp, rs.notices)
            if d is not None:
                jobs.append((insp, d))
    elif inspection is not None:
        from lufa_cli.records.inspections import find_inspection

        insp = find_inspection(rs, inspection)
        if issued < insp.date:
            raise UsageError(f"--date：下达日期 {issued} 早于检查日期 {insp.date}")
        d = from_inspection(insp, rs.notices, case=case)
        if d is None:
            raise nothing_open(insp, rs.notices)
        jobs.append((insp, d))
    else:
        assert unit is not None  # exactly one mode was chosen above
        u = resolve_unit(ws.roster.units, unit)
        texts = [t for t in findings if t]
        if not texts:
            raise UsageError("直接下达需要至少一个 --finding 问题描述")
        fs = with_requirements([NoticeFinding(text=t) for t in texts], requirements)
        jobs.append((None, draft(k, u.id, issued, fs, cal, days=days, case=case, contact=contact)))
    drafts = [d for _, d in jobs]
    from lufa_cli.domain.workcal import guessed_warnings

    calendar_warnings(guessed_warnings(cal, [d.deadline for d in drafts]))
    from lufa_cli.workspace.checks import contact_named

    unnamed = list(contact_named(ws))  # no empty field on paper: the contact line needs a name
    if dry_run:  # load() has shown the warning of `check` (contact.name) already
        if not provisional:  # the 送达回证 the real issue would stop at before taking a number (a provisional one prints none)
            try:
                ws.template(RECEIPT_TEMPLATE)
            except TemplateError as exc:
                say(f"警告：{exc.message}；下面照常预览，实际下达时会因此拒绝（不占用文号）", style="yellow")
        n = next_number(rs.notices, issued.year, k.id)
        for i, d in enumerate(drafts):
            preview = d.with_number(issued.year, n + i)
            echo(f"（预览，未占用文号；实际下达时为下一个可用文号）\n{preview_text(ws, preview, rs)}")
        return
    if not drafts:
        say("没有需要下达意见书的检查。", style="yellow")
        return
    if unnamed:
        raise DataError("未下达，没有占用文号：请先在 settings.yaml 填写联系人 contact.name", diagnostics=[dataclasses.replace(d, severity="error") for d in unnamed])
    ws.require_writable()
    if provisional and ws.settings.sync is None:
        raise UsageError("--provisional 只用于多人共用文号（settings.yaml 设置了 sync）；单机使用时直接下达即可")
    if all_ and not yes:
        from lufa_cli.cli.common import ask_yes_no

        con = console(stderr=True)
        con.print(f"将下达 {len(drafts)} 份意见书（下达日期 {issued}）：", markup=False)
        for d in drafts:
            con.print(f"  {ws.units_by_id[d.unit].name}：检查记录 {d.inspection}，{len(d.findings)} 条问题", markup=False, soft_wrap=True)
        if not ask_yes_no("确认下达吗", default=False, con=con):
            say("未下达，没有占用文号、没有写入任何文件。", style="yellow")
            return
    repo = None if provisional or ws.settings.sync is None else sync_preflight(ws)
    if provisional:  # no number, no document: nothing else to check
        from lufa_cli.records.notices import write_provisional

        for d in drafts:
            path = write_provisional(ws.root, d)
            say(f"已保存临时文书（尚未定号，不能打印）：{ws.units_by_id[d.unit].name}，{len(d.findings)} 条问题（{display_path(path)}）；"
                "联网后运行 lufa sync 在服务器上确定文号并生成文档", style="yellow")
        return
    # a broken template must fail before a number is taken
    from lufa_cli.render.documents import compile_docx

    template = ws.template(k.template)
    # the output folder must take the documents before a number is taken
    from lufa_cli.reading.fsio import ensure_writable_dir

    for d in drafts:
        ensure_writable_dir(docx_path(ws, out_dir, d.with_number(issued.year, 1), ws.units_by_id[d.unit].short).parent)
    probe = drafts[0].with_number(issued.year, 1)
    compile_docx(template).render(notice_context(probe, ws.units_by_id[probe.unit].name, ws.settings, inspection=inspection_of(rs, probe)), fonts=ws.settings.fonts)
    check_receipt_template(ws, probe)
    if ws.settings.sync is not None:
        publish_drafts(ws, rs, drafts, out_dir, force, repo)
        if all_:
            console(stderr=True).print(f"共下达 {len(drafts)} 份意见书。")
        return
    issued_notices: list[tuple[Notice, Path, Path]] = []
    skipped = []
    from rich.progress import Progress

    con = console(stderr=True)

    def done(n, path, doc) -> None:
        con.print(f"已下达 {n.doc_number}：{ws.units_by_id[n.unit].name}，{len(n.findings)} 条问题，整改期限 {n.deadline}（记录 {display_path(path)}，文档 {display_path(doc)} 及送达回证）", style="green", soft_wrap=True, markup=False)

    with Progress(console=con, transient=True, disable=len(jobs) < 3) as bar:
        task = bar.add_task("下达意见书", total=len(jobs))
        known = {path: n for n in rs.notices if (path := rs.notice_paths.get(n.key)) is not None}
        for i, (insp, d) in enumerate(jobs):
            if insp is None:
                n, path = take_number(ws.root, d, list(known.values()))
                known[path] = n
            else:
                # choose the open findings and take the number holding the inspection's lock
                got = issue_for_inspection(
                    ws.root, rs.paths[insp.id], display_path(rs.paths[insp.id]), known,
                    lambda cur, notices: from_inspection(cur, notices, case=case if inspection is not None else None),
                )
                if got is None:
                    if not all_:
                        raise nothing_open(insp, list(known.values()))
                    skipped.append(insp.id)
                    bar.advance(task)
                    continue
                n, path = got
            try:
                doc = render_notice(ws, n, out_dir, force, rs)
            except Exception as exc:  # the record is the truth; the document can be regenerated
                bar.stop()
                for done_n in issued_notices:
                    done(*done_n)
                reason = getattr(exc, "message", None) or f"程序内部错误（{type(exc).__name__}）"
                rest = len(jobs) - i - 1
                raise PartialError(
                    f"已占用文号 {n.doc_number}，文书记录已写入 {display_path(path)}；"
                    f"但 Word 文档没有生成：{reason.removesuffix('；原有文件未改动')}。"
                    f"这份文书已经下达，不要重新下达：排除上述问题后运行 lufa notice render {notice_ref(n, [*rs.notices, *(d[0] for d in issued_notices)])}"
                    + (" --force" if isinstance(exc, RefusedError) else "") + " 生成文档"
                    + (f"。其余 {rest} 份尚未下达，之后重新运行本命令即可（已下达的不会重复）" if rest else "")
                ) from exc
            issued_notices.append((n, path, doc))
            bar.advance(task)
    for n, path, doc in issued_notices:
        done(n, path, doc)
    for insp_id in skipped:
        con.print(f"跳过检查记录 {insp_id}：其问题已由另一份意见书下达（可能是同时运行的另一个 lufa）", style="yellow", soft_wrap=True, markup=False)
    if all_:
        con.print(f"共下达 {len(issued_notices)} 份意见书。")


def issue_following(ws: Workspace, rs, k, ref: str, issued: dt.date, cal, *, days: int | None, dry_run: bool,
                    out_dir: Path | None, force: bool, requirements: dict[int, str]) -> None:
    """`notice issue --follows`: a notice of kind `k` after `ref`, taken under the lock of `ref`'s record."""
    from lufa_cli.records.notices import (
        draft,
        follow_refusal,
        mark_followed,
        next_number,
        notice_context,
        take_number,
        with_requirements,
    )

    prev = find_notice(rs.notices, ref, issued.year)
    why = follow_refusal(prev, k, issued)
    if why:
        raise UsageError(why)

    def make(p):  # the draft from the followed notice as it is now
        # its findings stay cited by `p` alone; their cases and requirements go on paper again
        fs = with_requirements([f.model_copy(update={"finding": None}) for f in p.findings], requirements)
        return draft(k, p.unit, issued, fs, cal, days=days, inspection=p.inspection, case=p.case, contact=p.contact, follows=p.doc_number)

    if dry_run:
        preview = make(prev).with_number(issued.year, next_number(rs.notices, issued.year, k.id))
        echo(f"（预览，未占用文号；实际下达时为下一个可用文号）\n{preview_text(ws, preview, rs)}")
        return
    ws.require_writable()
    from lufa_cli.reading.fsio import ensure_writable_dir
    from lufa_cli.render.documents import compile_docx

    probe = make(prev).with_number(issued.year, 1)
    ensure_writable_dir(docx_path(ws, out_dir, probe, ws.units_by_id[prev.unit].short).parent)
    compile_docx(ws.template(k.template)).render(
        notice_context(probe, ws.units_by_id[prev.unit].name, ws.settings, prev, inspection_of(rs, probe)),
        fonts=ws.settings.fonts)
    check_receipt_template(ws, probe)
    repo = None if ws.settings.sync is None else sync_preflight(ws)
    taken: list = []

    def change(cur):  # under the lock of the followed notice: one follow-up only
        why = follow_refusal(cur, k, issued)
        if why:
            raise UsageError(why)
        if repo is not None:
            from lufa_cli.records.notices import publish_remote

            n, path, commit = publish_remote(repo, ws.root, make(cur))
            taken.append((n, path, commit))
        else:
            n, path = take_number(ws.root, make(cur), rs.notices)
            taken.append((n, path, None))
        return mark_followed(cur, issued, n.doc_number)

    prev_path = rs.notice_paths[prev.key]
    try:
        new_prev = save_notice(ws, prev_path, change)
    except Exception as exc:
        if not taken:
            raise
        n, path, _ = taken[0]
        reason = getattr(exc, "message", None) or f"程序内部错误（{type(exc).__name__}）"
        raise PartialError(f"已占用文号 {n.doc_number}，记录已写入 {display_path(path)}；但没能在 {prev.doc_number} 的记录中注明接续：{reason}") from exc
    n, path, commit = taken[0]
    if commit is not None:
        follow_server(repo, commit, f"文号 {n.doc_number}", f"请处理后运行 lufa sync，再运行 lufa notice render {n.key}")
    try:
        doc = render_notice(ws, n, out_dir, force, rs, notices=[new_prev])
    except Exception as exc:
        reason = getattr(exc, "message", None) or f"程序内部错误（{type(exc).__name__}）"
        raise PartialError(f"已占用文号 {n.doc_number}，文书记录已写入 {display_path(path)}；但 Word 文档没有生成：{reason}。"
                           f"不要重新下达：排除问题后运行 lufa notice render {n.key} 生成文档") from exc
    say(f"已下达 {n.doc_number}（接续 {prev.doc_number}）：{ws.units_by_id[n.unit].name}，{len(n.findings)} 条问题，整改期限 {n.deadline}"
        f"（记录 {display_path(path)}，文档 {display_path(doc)} 及送达回证）", style="green")


def follow_server(repo, commit: str, what: str, then: str, *, untracked: list[Path] | None = None) -> None:
    """Bring the clerk's branch up to the pushed `commit`; else a PartialError saying that `what` is final and `then`."""
    from lufa_cli.errors import PartialError
    from lufa_cli.records import gitsync

    assert repo is not None  # a commit is made only on the shared repository
    reason = gitsync.bring_local(repo, commit, untracked=untracked or [])
    if reason is not None:
        raise PartialError(f"{what} 已在服务器上确定（提交 {commit[:10]}），但本机工作区未能更新：{reason}；{then}")


def sync_preflight(ws: Workspace):
    """The shared repository, reachable, on its branch, with nothing in the way (else a refusal)."""
    from lufa_cli.records import gitsync
    from lufa_cli.records.notices import notices_dir

    sync = ws.settings.sync
    assert sync is not None  # callers run this only with a shared repository configured
    repo = gitsync.open_repo(ws.root, sync.remote, sync.branch)
    tip = gitsync.fetch(repo)
    gitsync.require_in_step(repo, tip, [notices_dir(ws.root)])
    return repo


def publish_drafts(ws: Workspace, rs, drafts: list, out_dir: Path | None, force: bool, repo) -> list:
    """Several clerks: take each number on the shared remote, then write the documents.

    Exits with UNFINISHED (after saying what is final) when the number is taken but the clerk's
    working tree could not follow or the document failed.
    """
    from lufa_cli.errors import ExitCode, LufaError, RefusedError
    from lufa_cli.records import gitsync
    from lufa_cli.records.notices import publish_remote

    extras: list[dict[Path, bytes]] = []
    for d in drafts:  # every check before the first number is taken
        extra: dict[Path, bytes] = {}
        if d.inspection is not None:
            ip = rs.paths[d.inspection]
            state_ = gitsync.file_state(repo, ip)
            if state_ == "modified":
                raise RefusedError(f"检查记录 {display_path(ip)} 有未提交的修改；请先 git commit 并 git push，再下达（服务器上的意见书要与检查记录一致）")
            if state_ == "untracked":
                extra[ip] = ip.read_bytes()  # a new inspection travels with its notice
        extras.append(extra)
    con = console(stderr=True)
    done = []
    for d, extra in zip(drafts, extras, strict=True):
        n, path, commit = publish_remote(repo, ws.root, d, extra=extra)
        follow_server(repo, commit, f"文号 {n.doc_number}",
                      f"请处理后运行 lufa sync 取回记录，再运行 lufa notice render {n.key} 生成文档", untracked=list(extra))
        try:
            doc = render_notice(ws, n, out_dir, force, rs)
        except LufaError as exc:
            raise LufaError(
                f"文号 {n.doc_number} 已在服务器上确定，记录已写入 {display_path(path)}，但生成文档失败：{exc.message}；"
                f"修正后运行 lufa notice render --year {n.year}",
                exit_code=ExitCode.PARTIAL,
            ) from exc
        done.append(n)
        con.print(f"已下达 {n.doc_number}（服务器已确认）：{ws.units_by_id[n.unit].name}，{len(n.findings)} 条问题，整改期限 {n.deadline}"
                  f"（记录 {display_path(path)}，文档 {display_path(doc)} 及送达回证）", style="green", soft_wrap=True, markup=False)
    return done


@notice_app.command(
    "void",
    help="""作废一份文书。文号保留、不再使用，记录中注明作废日期和原因。
已生成的 Word 文档改名为“…-已作废.docx”，以免误印误发。

[bold]示例[/bold]

  lufa notice void 3 --reason 单位名称写错，已重新下达
  lufa notice void 鲁政行监字〔2026〕3号 --reason 重复下达
""",
)
def notice_void(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="文号", help="3、2026-3 或完整文号。")],
    reason: Annotated[str, typer.Option("--reason", metavar="原因", help="作废原因（必填）。")] = "",
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="作废日期，默认今天。")] = None,
    out_dir: Annotated[Path | None, typer.Option("--output-dir", "-o", metavar="目录", help="文档所在目录（默认 output/notices/年份/）。")] = None,
) -> None:
    from lufa_cli.records.notices import void

    reason = clean(reason, "--reason") or ""
    ws, _n, path, when, notices = notice_step(ctx, ref, date, voiding=True)
    new = save_notice(ws, path, lambda cur: void(cur, when, reason))
    say(f"已作废 {new.doc_number}（文号保留不再使用）：{reason.strip()}", style="green")
    prev = next((m for m in notices if new.follows and m.doc_number == new.follows and m.followed_by == new.doc_number), None)
    failed: Exception | None = None
    if prev is not None:  # the notice it carried on is the one to follow up again
        from lufa_cli.records.notices import mark_unfollowed, notice_path

        try:  # check has made sure a notice's file is where its kind, year and number say
            save_notice(ws, notice_path(ws.root, prev.year, prev.number, prev.kind), lambda cur: mark_unfollowed(cur, when, new.doc_number))
            say(f"{prev.doc_number} 重新由本机关督办（接续它的 {new.doc_number} 已作废）", style="green")
        except Exception as exc:  # the voided document is renamed all the same, then this is said
            failed = exc
    moved = retire_docx(ws, out_dir, new, ws.units_by_id[new.unit].short, notices)
    if moved is not None:
        say(f"原文档已改名为 {display_path(moved)}", style="green")
    if failed is not None and prev is not None:
        why = getattr(failed, "message", None) or f"程序内部错误（{type(failed).__name__}）"
        raise PartialError(f"{new.doc_number} 已作废；但没能在 {prev.doc_number} 的记录中注明（{why}）：请手工在其 history 末尾加上"
                           f" event: unfollowed、date: {when}、doc: {new.doc_number}（lufa check 也会提示）") from failed


def notice_step(ctx: typer.Context, ref: str, date: str | None, *, voiding: bool = False):
    """What every step of the loop starts with: a writable workspace, the date (not in the
    future), the notice with its file, and all notices (for `notice_ref`). Voiding is how a finding cited by two notices is
    fixed, so that error does not stop it."""
    from lufa_cli.records.inspections import require_records

    ws = load(ctx)
    ws.require_writable()
    when = parse_date(date, "--date")
    if when > run_today():
        raise UsageError(f"--date：日期 {when} 晚于今天（{run_today()}）")
    rs = require_records(ws, allow_double_citations=voiding)
    n = find_notice(rs.notices, ref, run_today().year)
    return ws, n, rs.notice_paths[n.key], when, rs.notices


def save_notice(ws: Workspace, path: Path, change):
    """Apply `change` to the notice in `path` as it is on disk now (under its lock)."""
    from lufa_cli.records.notices import update_notice

    ws.require_writable()
    return update_notice(path, display_path(path), change)


@notice_app.command(
    "render",
    help="""按文书记录重新生成 Word 文档（记录是依据，文档随时可重新生成）：某年度全部文书，或指定的一份。

已存在的文档默认跳过，--force 覆盖。已作废文书不再生成，其遗留的文档改名为“…-已作废.docx”。

[bold]示例[/bold]

  lufa notice render --year 2026
  lufa notice render 2026-3
  lufa notice render --year 2026 --force -o 打印/意见书
""",
)
def notice_render(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Argument(metavar="[文号]", help="只生成这一份：3、2026-3 或完整文号。")] = None,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="生成该年度全部文书。", min=2000, max=2099)] = None,
    out_dir: Annotated[Path | None, typer.Option("--output-dir", "-o", metavar="目录", help=OUT_HELP)] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文档。")] = False,
) -> None:
    from rich.progress import Progress

    from lufa_cli.records.inspections import require_records

    if (ref is None) == (year is None):
        raise UsageError("请指定 --year 年份（该年度全部文书）或一个文号（只生成这一份），二者选一")
    ws = load(ctx)
    rs = require_records(ws)
    if ref is not None:
        n = find_notice(rs.notices, ref, run_today().year)
        if n.voided:
            moved = retire_docx(ws, out_dir, n, ws.units_by_id[n.unit].short, rs.notices)
            if moved is None:
                raise UsageError(f"{n.doc_number} 已作废，不再生成文档")
            say(f"{n.doc_number} 已作废，不再生成文档；遗留的文档已改名为 {display_path(moved)}", style="yellow")
            return
        target = docx_path(ws, out_dir, n, ws.units_by_id[n.unit].short)
        if target.exists() and not force:
            say(f"{n.doc_number} 的文档已存在，跳过：{display_path(target)}（--force 可覆盖）", style="yellow")
            if not receipt_path(target).exists():  # written before lufa wrote receipts
                say(f"已补写 {n.doc_number} 的送达回证：{display_path(render_receipt(ws, n, target, False))}", style="green")
        else:
            say(f"已生成 {n.doc_number} 的文档及送达回证：{display_path(render_notice(ws, n, out_dir, force, rs))}", style="green")
        return
    todo = [n for n in rs.notices if n.year == year and not n.voided]
    voided = sum(1 for n in rs.notices if n.year == year and n.voided)
    retired = [m for n in rs.notices if n.year == year and n.voided and (m := retire_docx(ws, out_dir, n, ws.units_by_id[n.unit].short, rs.notices))]
    done = skipped = receipts = 0
    with Progress(console=console(stderr=True), transient=True, disable=len(todo) < 3) as bar:
        task = bar.add_task("生成文书", total=len(todo))
        for n in todo:
            target = docx_path(ws, out_dir, n, ws.units_by_id[n.unit].short)
            if target.exists() and not force:
                skipped += 1
                if not receipt_path(target).exists():  # written before lufa wrote receipts
                    render_receipt(ws, n, target, False)
                    receipts += 1
            else:
                render_notice(ws, n, out_dir, force, rs)
                done += 1
            bar.advance(task)
    skip_text = f"，已存在跳过 {skipped} 份（--force 可覆盖）" if skipped else ""
    skip_text += f"，为其中 {receipts} 份补写了送达回证" if receipts else ""
    say(f"{year} 年文书 {len(todo)} 份：生成 {done} 份{'（各附送达回证）' if done else ''}{skip_text}"
        + (f"；已作废的 {voided} 份不再生成" if voided else "")
        + (f"，其遗留的 {len(retired)} 份文档已改名为“…-已作废.docx”" if retired else "") + "。", style="green")


@notice_app.command(
    "list",
    help="""列出文书及其整改状态（待反馈、待核查、已接续、已办结、已作废）。

[bold]示例[/bold]

  lufa notice list --year 2026
  lufa notice list --status 待反馈 --format csv
  lufa notice list --year 2026 -o 文书台账.xlsx
""",
)
def notice_list(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", metavar="年份", help="只列该年。", min=2000, max=2099)] = None,
    status: Annotated[str | None, typer.Option("--status", metavar="状态", help="只列某状态。")] = None,
    fmt: ListFormatOpt = "table",
    out: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    from lufa_cli.model.notices import STATUS_ORDER
    from lufa_cli.records.inspections import require_records

    ws = load(ctx)
    if status is not None and status not in STATUS_ORDER:
        raise UsageError(f"--status 的值“{status}”无效，可选：{'、'.join(STATUS_ORDER)}")
    rs = require_records(ws)
    rows = []
    for n in rs.notices:
        st, _ = n.state()
        if (year and n.year != year) or (status and st != status):
            continue
        rows.append({"key": n.key, "doc_number": n.doc_number, "unit": n.unit, "unit_short": ws.units_by_id[n.unit].short,
                     "issued": n.issued.isoformat(), "deadline": n.current_deadline.isoformat(), "status": st, "findings": len(n.findings)})
    listed = {r["key"] for r in rows}
    calendar_warnings(deadline_warnings(ws, [n for n in rs.notices if n.key in listed]))
    emit_rows(rows, fmt, [("doc_number", "文号"), ("unit_short", "单位"), ("issued", "下达"), ("deadline", "期限"), ("status", "状态")],
              title=f"文书（{len(rows)} 份）", out=out, force=force)


def show_notice(ws: Workspace, n) -> None:
    from rich.markup import escape

    con = console()
    st, _ = n.state()
    con.print(f"[bold]{escape(n.doc_number)}[/bold]  {escape(n.kind_name)}  {escape(ws.units_by_id[n.unit].name)}  状态：{st}", soft_wrap=True)
    limit = f"整改期限 {n.deadline}（{n.rectify_days} 日）"
    if n.current_deadline != n.deadline:
        limit = f"当前整改期限 {n.current_deadline}（核查未通过后重新给出；原期限 {n.deadline}，{n.rectify_days} 日）"
    con.print(f"下达 {n.issued}，{limit}" + (f"；检查记录 {n.inspection}" if n.inspection else ""), soft_wrap=True)
    for i, f in enumerate(n.findings, start=1):
        con.print(f"  {i}. {escape(f.text)}", soft_wrap=True)
    labels = {"feedback": "收到整改情况报告", "verify": "回头看核查", "void": "作废", "sent": "送达", "renumber": "改号",
              "remind": "催办", "interview": "约谈", "circular": "通报", "refer": "移交线索", "followed": "接续下达",
              "unfollowed": "接续的文书已作废，重新督办本文书"}
    if n.follows:
        con.print(f"接续 {escape(n.follows)}", soft_wrap=True)
    for e in n.history:
        extra = []
        if e.who:
            extra.append(f"约谈对象：{e.who}")
        if e.promised:
            extra.append(f"承诺：{e.promised}")
        if e.method:
            extra.append(e.method)
        if e.result:
            extra.append(e.result)
        if e.new_deadline:
            extra.append(f"新期限 {e.new_deadline}")
        if e.doc:
            extra.append(f"材料：{e.doc}" if e.event == "feedback" else e.doc)
        if e.note:
            extra.append(e.note)
        con.print(f"  {e.date} {labels[e.event]}" + (f"（{escape('，'.join(extra))}）" if extra else ""), soft_wrap=True)


@notice_app.command("show", help="""显示一份文书及其整改经过。

[bold]示例[/bold]

  lufa notice show 2026-3
""")
def notice_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="文号", help="3、2026-3 或完整文号。")],
    fmt: Annotated[str, typer.Option("--format", metavar="格式", help="text 或 json。")] = "text",
) -> None:
    from lufa_cli.records.inspections import require_records

    ws = load(ctx)
    rs = require_records(ws)
    n = find_notice(rs.notices, ref, run_today().year)
    warnings = deadline_warnings(ws, [n])
    calendar_warnings(warnings)
    if fmt == "json":
        st, _ = n.state()
        echo(json.dumps({**n.model_dump(mode="json"), "status": st, "warnings": warnings}, ensure_ascii=False, indent=2))
    else:
        show_notice(ws, n)


@notice_app.command(
    "sent",
    help="""登记文书已送达单位（送达回证、签收）。登记后文号不能再改（lufa notice renumber 会拒绝）。

[bold]示例[/bold]

  lufa notice sent 3 --date 2026-05-08 --note 张某某签收
""",
)
def notice_sent(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="文号", help="3、2026-3 或完整文号。")],
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="送达日期，默认今天。")] = None,
    note: Annotated[str, typer.Option("--note", metavar="说明", help="签收人、送达方式等。")] = "",
) -> None:
    from lufa_cli.records.notices import mark_sent

    note = clean(note, "--note") or ""
    ws, n, path, when, _notices = notice_step(ctx, ref, date)
    save_notice(ws, path, lambda cur: mark_sent(cur, when, note))
    say(f"已登记 {n.doc_number} 于 {when} 送达{('：' + note) if note else ''}（文号从此不再改动）", style="green")


@notice_app.command(
    "renumber",
    help="""为合并 git 后重号的文书改用下一个空闲文号（只限尚未送达的一份）。

git 合并时两台电脑下达了同一文号（add/add 冲突，或 lufa check 报“文号重复”）：
- 文件处于合并冲突中时，写文号：保留已送达的一份（都未送达时保留服务器上的一份）原号，另一份改号；
- 两个文件重号时，写要改号的那个文件的路径。
改号后记录中留有“原文号”一条，重新生成它的 Word 文档并删除旧文档；已登记送达的文书拒绝改号。

[bold]示例[/bold]

  lufa notice renumber 2026-3
  lufa notice renumber data/records/notices/2026/2026-0003-副本.yaml
""",
)
def notice_renumber(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="文号或文件", help="冲突中的文号（如 2026-3），或重号的记录文件。")],
    date: Annotated[str | None, typer.Option("--date", metavar="日期", help="改号日期，默认今天。")] = None,
    out_dir: Annotated[Path | None, typer.Option("--output-dir", "-o", metavar="目录", help=OUT_HELP)] = None,
) -> None:
    from lufa_cli.records.renumber import renumber

    ws = load(ctx)
    ws.require_writable()
    when = parse_date(date, "--date")
    if when > run_today():
        raise UsageError(f"--date：日期 {when} 晚于今天（{run_today()}）")
    result = renumber(ws, ref, when)
    stale = docx_path(ws, out_dir, result.old, ws.units_by_id[result.old.unit].short)  # the old number's documents
    stale.unlink(missing_ok=True)
    receipt_path(stale).unlink(missing_ok=True)
    from lufa_cli.records.inspections import require_records

    rs = require_records(ws)
    new_doc = render_notice(ws, result.moved, out_dir, True, rs)
    kept_doc = render_notice(ws, result.kept, out_dir, True, rs) if result.kept is not None else None
    say(f"已改号：{result.old_doc_number} → {result.moved.doc_number}（{ws.units_by_id[result.moved.unit].name}；记录 {display_path(result.moved_path)}，"
        f"文档 {display_path(new_doc)}）", style="green")
    if kept_doc is not None and result.kept is not None:
        say(f"保留原号：{result.kept.doc_number}（{ws.units_by_id[result.kept.unit].name}，文档 {display_path(kept_doc)}）")
    say(f"请通知{ws.units_by_id[result.moved.unit].name}：文号改为 {result.moved.doc_number}。" + (result.next_step or ""))


