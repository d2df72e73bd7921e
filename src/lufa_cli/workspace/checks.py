"""Cross-file rules of a workspace.

Each check takes the loaded workspace and yields diagnostics; adding a rule is
adding one function to ``CHECKS``. Positions come from the sources kept by the
loader, so every message points at the line to fix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from lufa_cli.domain.planning import WEEK_LABELS
from lufa_cli.errors import Diagnostic

if TYPE_CHECKING:
    from lufa_cli.workspace.workspace import Workspace


def _diag(ws: Workspace, key: str, loc: tuple, message: str, *, at_key: bool = False, severity: str = "error") -> Diagnostic:
    src = ws.sources[key]
    line, col = src.pos(loc, key=at_key)
    text = src.lines[line - 1] if 0 < line <= len(src.lines) else None
    return Diagnostic(src.path, line, col, message, severity, text)


def unique_unit_ids(ws: Workspace) -> Iterator[Diagnostic]:
    first: dict[str, int] = {}
    first_short: dict[str, int] = {}
    first_name: dict[str, int] = {}
    for i, u in enumerate(ws.roster.units):
        for value, seen, what, field in (
            (u.id, first, "单位编号", "id"),
            (u.short, first_short, "单位简称", "short"),
            (u.name, first_name, "单位全称", "name"),
        ):
            if value in seen:
                line = ws.sources["roster"].pos(("units", seen[value], field))[0]
                yield _diag(ws, "roster", ("units", i, field), f"{what}“{value}”重复（第 {line} 行已有）")
            else:
                seen[value] = i


def totals_match(ws: Workspace) -> Iterator[Diagnostic]:
    counts: Counter[str] = Counter(u.kind for u in ws.roster.units)
    for kind, label in (("county", "县直单位"), ("township", "乡镇")):
        declared = getattr(ws.roster.totals, kind)
        if counts[kind] != declared:
            yield _diag(
                ws, "roster", ("totals", kind),
                f"{label}应有 {declared} 家，名册中实际有 {counts[kind]} 家",
            )


def _scheduled_units_exist(ws: Workspace, key: str, schedule) -> Iterator[Diagnostic]:
    import difflib

    ids = [u.id for u in ws.roster.units]
    for i, slot in enumerate(schedule.slots):
        for j, uid in enumerate(slot.units):
            if ws.unit(uid) is None:
                near = difflib.get_close_matches(uid, ids, n=1, cutoff=0.6)
                hint = f"，是否想写“{near[0]}”？" if near else ""
                yield _diag(ws, key, ("slots", i, "units", j), f"单位编号“{uid}”不在名册 units.yaml 中{hint}")
    for i, ex in enumerate(schedule.exempt):
        if ws.unit(ex.unit) is None:
            yield _diag(ws, key, ("exempt", i, "unit"), f"免检单位“{ex.unit}”不在名册 units.yaml 中")


def _every_unit_scheduled_once(ws: Workspace, key: str, schedule) -> Iterator[Diagnostic]:
    where: dict[str, list[tuple[int, int]]] = {}
    for i, slot in enumerate(schedule.slots):
        for j, uid in enumerate(slot.units):
            where.setdefault(uid, []).append((i, j))
    exempt = {}
    for i, ex in enumerate(schedule.exempt):
        if ex.unit in exempt:
            yield _diag(ws, key, ("exempt", i, "unit"), f"免检单位“{ex.unit}”重复列出")
        exempt[ex.unit] = i
    for uid, places in where.items():
        if len(places) > 1:
            first = ws.sources[key].pos(("slots", places[0][0], "units", places[0][1]))[0]
            for i, j in places[1:]:
                slot = schedule.slots[i]
                yield _diag(
                    ws, "schedule", ("slots", i, "units", j),
                    f"单位“{uid}”在 {slot.month}月{WEEK_LABELS[slot.week]}再次出现（第 {first} 行已安排），每个单位全年只安排一次",
                )
        if uid in exempt:
            yield _diag(ws, key, ("exempt", exempt[uid], "unit"), f"单位“{uid}”已列为免检，却又被安排了检查")
    for u in ws.roster.units:
        if u.id not in where and u.id not in exempt:
            yield _diag(
                ws, "schedule", ("slots",),
                f"单位“{u.name}”（{u.id}）没有安排检查；请加入某一周，或在 exempt 中写明免检原因",
                at_key=True,
            )


def _slots_valid(ws: Workspace, key: str, schedule) -> Iterator[Diagnostic]:
    first, last = schedule.months
    seen: dict[tuple[int, int], int] = {}
    for i, slot in enumerate(schedule.slots):
        cell = (slot.month, slot.week)
        if cell in seen:
            line = ws.sources[key].pos(("slots", seen[cell]))[0]
            yield _diag(ws, key, ("slots", i, "month"), f"{slot.month}月{WEEK_LABELS[slot.week]}重复（第 {line} 行已有），请合并为一条")
        seen[cell] = i
        if not first <= slot.month <= last:
            yield _diag(ws, key, ("slots", i, "month"), f"{slot.month}月不在日常监督月份 {first}—{last} 月之内")


def _each_schedule(check):
    def run(ws: Workspace) -> Iterator[Diagnostic]:
        yield from check(ws, "schedule", ws.schedule)
        for year, schedule in sorted(ws.year_schedules.items()):
            yield from check(ws, f"schedule-{year}", schedule)

    run.__name__ = check.__name__.lstrip("_")
    return run


scheduled_units_exist = _each_schedule(_scheduled_units_exist)
every_unit_scheduled_once = _each_schedule(_every_unit_scheduled_once)
slots_valid = _each_schedule(_slots_valid)


def checklist_consistent(ws: Workspace) -> Iterator[Diagnostic]:
    cl = ws.checklist
    total = sum(i.points for i in cl.items())  # bonus items are on top of the 100
    if total != 100:
        yield _diag(ws, "checklist", ("categories",), f"各检查项目分值合计应为 100，实际为 {total}", at_key=True)
    office_ids = [o.id for o in cl.offices]
    for i, o in enumerate(cl.offices):
        if office_ids.index(o.id) != i:
            yield _diag(ws, "checklist", ("offices", i, "id"), f"科室编号“{o.id}”重复")
    seen_no: set[int] = set()
    seen_item: set[str] = set()
    for i, c in enumerate(cl.categories):
        if c.no in seen_no:
            yield _diag(ws, "checklist", ("categories", i, "no"), f"大类序号 {c.no} 重复")
        seen_no.add(c.no)
        if cl.office(c.office) is None:
            yield _diag(
                ws, "checklist", ("categories", i, "office"),
                f"科室“{c.office}”不在 offices 中（可用：{'、'.join(office_ids)}）",
            )
        for j, item in enumerate(c.items):
            if item.id in seen_item:
                yield _diag(ws, "checklist", ("categories", i, "items", j, "id"), f"项目编号“{item.id}”重复")
            seen_item.add(item.id)
            head = item.id.split(".")[0]
            if head != str(c.no):
                yield _diag(
                    ws, "checklist", ("categories", i, "items", j, "id"),
                    f"项目编号“{item.id}”应以所属大类序号 {c.no} 开头",
                )
    yield from _grades_ordered(ws, "checklist", cl.grades, "考核等级")
    for i, c in enumerate(cl.categories):
        for j, item in enumerate(c.items):
            yield from _item_rules(ws, "checklist", ("categories", i, "items", j), item, bonus=c.bonus)
            if c.bonus and item.veto:
                yield _diag(ws, "checklist", ("categories", i, "items", j, "veto"), f"加分项 {item.id} 不能同时是一票否决项")
    if cl.bonus_cap is not None and not cl.bonus_items():
        yield _diag(ws, "checklist", ("bonus_cap",), "设了加分上限 bonus_cap，却没有加分项（bonus: true 的大类）", severity="warning")
    if cl.weights:
        total_weight = sum(w.weight for w in cl.weights)
        if total_weight != 100:
            yield _diag(ws, "checklist", ("weights",), f"各部分权重合计应为 100，实际为 {total_weight}", at_key=True)
        seen_kind: dict[str, str] = {}
        for i, w in enumerate(cl.weights):
            for j, kind in enumerate(w.kinds):
                if kind in seen_kind:
                    yield _diag(ws, "checklist", ("weights", i, "kinds", j), f"检查类别“{kind}”已计入“{seen_kind[kind]}”，每个类别只能计入一个部分")
                seen_kind.setdefault(kind, w.name)
        from lufa_cli.domain.scoring import SCORED_KINDS

        missing = [k for k in SCORED_KINDS if k not in seen_kind]
        if missing:
            yield _diag(ws, "checklist", ("weights",), f"检查类别 {'、'.join(missing)} 没有计入任何部分，其发现的问题将不计分；请加入某一部分的 kinds", at_key=True)


def _grades_ordered(ws: Workspace, key: str, grades, what: str) -> Iterator[Diagnostic]:
    mins = [g.min for g in grades]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        yield _diag(ws, key, ("grades",), f"{what}应按分数下限从高到低排列，且下限不能相同", at_key=True)
    elif mins[-1] != 0:
        yield _diag(ws, key, ("grades", len(mins) - 1, "min"), "最低一档等级的下限应为 0，否则低分" + ("单位" if key == "checklist" else "案卷") + "没有等级")


def _item_rules(ws: Workspace, key: str, loc: tuple, item, *, bonus: bool = False) -> Iterator[Diagnostic]:
    """The optional scoring rules of one item agree with each other and with its points."""
    word = "加分" if bonus else "扣分"
    if item.per_occurrence is not None and item.range is not None:
        yield _diag(ws, key, (*loc, "range"), f"项目 {item.id} 不能同时规定每处{word}（per_occurrence）和{word}范围（range），请只留一种", at_key=True)
    if item.per_occurrence is not None and item.per_occurrence > item.points:
        yield _diag(ws, key, (*loc, "per_occurrence"), f"项目 {item.id} 每处{word} {item.per_occurrence:g} 分超过其分值 {item.points} 分")
    if item.range is not None and item.range.max > item.points:
        yield _diag(ws, key, (*loc, "range", "max"), f"项目 {item.id} 的{word}范围上限 {item.range.max:g} 分超过其分值 {item.points} 分")


def settings_consistent(ws: Workspace) -> Iterator[Diagnostic]:
    st = ws.settings
    ids = [k.id for k in st.notice_kinds]
    if st.default_notice_kind not in ids:
        yield _diag(
            ws, "settings", ("default_notice_kind",),
            f"默认文书种类“{st.default_notice_kind}”不在 notice_kinds 中（可用：{'、'.join(ids)}）",
        )
    for i, kid in enumerate(ids):
        if ids.index(kid) != i:
            yield _diag(ws, "settings", ("notice_kinds", i, "id"), f"文书种类编号“{kid}”重复")
    for i, k in enumerate(st.notice_kinds):
        for j, f in enumerate(k.follows):
            if f not in ids:
                yield _diag(ws, "settings", ("notice_kinds", i, "follows", j), f"follows 中的文书种类“{f}”不在 notice_kinds 中（可用：{'、'.join(ids)}）")
    yield from _escalation_consistent(ws)
    for loc, name, what in _named_templates(ws):
        # a bundled template the workspace lacks is a warning of `lufa check` (template_warnings):
        # failing every load would stop `lufa template add-missing`, the command that adds it
        if _absent(ws, name) is not None and name not in _bundled_templates():
            yield _diag(ws, "settings", loc, f"找不到{what}的模板“{name}”（templates/ 目录下）")


def _named_templates(ws: Workspace) -> Iterator[tuple[tuple, str, str]]:
    """(position in settings.yaml, template file name, the document it makes) of each notice kind and letter."""
    for i, k in enumerate(ws.settings.notice_kinds):
        yield ("notice_kinds", i, "template"), k.template, k.name
    for i, s in enumerate(ws.settings.escalation):
        if s.letter is not None:
            yield ("escalation", i, "letter", "template"), s.letter.template, s.letter.name


def _absent(ws: Workspace, name: str) -> Exception | None:
    """The TemplateError `ws.template(name)` raises, or None when the template is there."""
    from lufa_cli.errors import TemplateError

    try:
        ws.template(name)
    except TemplateError as exc:
        return exc
    return None


def _bundled_templates() -> set[str]:
    from lufa_cli.workspace.workspace import bundled_files

    return {f.name for f in bundled_files("templates")}


def _escalation_consistent(ws: Workspace) -> Iterator[Diagnostic]:
    from lufa_cli.model.data import ESCALATION_ACTIONS

    steps = ws.settings.escalation
    order = [ESCALATION_ACTIONS.index(s.action) for s in steps]
    letters: dict[str, int] = {}
    for i, s in enumerate(steps):
        if order.index(order[i]) != i:
            yield _diag(ws, "settings", ("escalation", i, "action"), f"督办步骤“{s.action}”重复")
        elif i and order[i] < order[i - 1]:
            yield _diag(ws, "settings", ("escalation", i, "action"),
                        "督办步骤的顺序固定为 remind（催办）→ interview（约谈）→ circular（通报）→ refer（移交线索），可删去某步但不能调换")
        needs = s.action in ("remind", "refer")
        if needs and s.letter is None:
            yield _diag(ws, "settings", ("escalation", i, "action"), f"督办步骤“{s.name}”要出函，需要 letter（id、name、number_format、template）")
        elif not needs and s.letter is not None:
            yield _diag(ws, "settings", ("escalation", i, "letter"), f"督办步骤“{s.name}”不出函，不应有 letter")
        if s.letter is not None:
            if s.letter.id in letters:
                yield _diag(ws, "settings", ("escalation", i, "letter", "id"), f"函件编号“{s.letter.id}”重复（各函件各自编号，id 不能相同）")
            letters[s.letter.id] = i


def calendar_consistent(ws: Workspace) -> Iterator[Diagnostic]:
    if "calendar" not in ws.sources:
        return
    seen: set[int] = set()
    for i, y in enumerate(ws.calendar.years):
        if y.year in seen:
            yield _diag(ws, "calendar", ("years", i, "year"), f"{y.year} 年重复")
        seen.add(y.year)
        for j, h in enumerate(y.holidays):
            for field, d in (("start", h.start), ("end", h.end)):
                if d.year != y.year:
                    yield _diag(ws, "calendar", ("years", i, "holidays", j, field), f"日期 {d} 不在 {y.year} 年内")
        for j, h in enumerate(y.holidays):
            for k in range(j):
                o = y.holidays[k]
                if h.start <= o.end and o.start <= h.end:
                    yield _diag(ws, "calendar", ("years", i, "holidays", j, "start"),
                                f"放假区间“{h.name}”（{h.start} 至 {h.end}）与“{o.name}”（{o.start} 至 {o.end}）重叠；每天只能属于一个放假区间")
                    break
        for j, d in enumerate(y.workdays):
            if d.year != y.year:
                yield _diag(ws, "calendar", ("years", i, "workdays", j), f"日期 {d} 不在 {y.year} 年内")
            elif d.weekday() < 5:
                yield _diag(ws, "calendar", ("years", i, "workdays", j), f"{d} 本来就是工作日；workdays 只写调休上班的周末", severity="warning")
            for h in y.holidays:  # a day cannot be both: which one the plan would take is not for lufa to guess
                if h.start <= d <= h.end:
                    yield _diag(ws, "calendar", ("years", i, "workdays", j),
                                f"调休上班日 {d} 落在放假区间“{h.name}”（{h.start} 至 {h.end}）之内；一天不能既放假又上班，请改正其中之一")
                    break


def case_standard_consistent(ws: Workspace) -> Iterator[Diagnostic]:
    cs = ws.case_standard
    if cs is None:
        return
    key = "case_standard"
    total = sum(i.points for i in cs.items())
    if total != 100:
        yield _diag(ws, key, ("parts",), f"各评查项目分值合计应为 100，实际为 {total}", at_key=True)
    seen_no: set[int] = set()
    seen_item: set[str] = set()
    for i, part in enumerate(cs.parts):
        if part.no in seen_no:
            yield _diag(ws, key, ("parts", i, "no"), f"部分序号 {part.no} 重复")
        seen_no.add(part.no)
        for j, item in enumerate(part.items):
            loc = ("parts", i, "items", j)
            if item.id in seen_item:
                yield _diag(ws, key, (*loc, "id"), f"评查项目编号“{item.id}”重复")
            seen_item.add(item.id)
            if item.id.split(".")[0] != str(part.no):
                yield _diag(ws, key, (*loc, "id"), f"评查项目编号“{item.id}”应以所属部分序号 {part.no} 开头")
            yield from _item_rules(ws, key, loc, item)
    yield from _grades_ordered(ws, key, cs.grades, "案卷等级")
    rule = cs.assessment
    if rule is not None:
        items = {i.id: i for i in ws.checklist.items()}
        if rule.item not in items:
            yield _diag(ws, key, ("assessment", "item"), f"考核项目“{rule.item}”不在 checklist.yaml 中（可用：{'、'.join(items)}）")
        names = [g.name for g in cs.grades]
        for grade in rule.deductions:
            if grade not in names:
                yield _diag(ws, key, ("assessment", "deductions", grade), f"案卷等级“{grade}”不在本标准的 grades 中（可用：{'、'.join(names)}）", at_key=True)


CONTACT_MISSING = "contact.name（联系人）未填写：文书的附注只印联系方式、不印联系人；填写前 lufa notice issue 拒绝下达"


def contact_named(ws: Workspace) -> Iterator[Diagnostic]:
    """A document never carries an empty field: the contact printed under every notice needs a name."""
    if not ws.settings.contact.name.strip():
        yield _diag(ws, "settings", ("contact", "name"), CONTACT_MISSING, severity="warning")


#: templates a command needs whatever settings.yaml says: file name → (the command, what it makes).
#: A workspace made before the command existed lacks its template, which `lufa check` says (a
#: warning: every other command still works).
COMMAND_TEMPLATES = {
    "receipt-songda.docx": ("lufa notice issue", "每份文书的送达回证"),
    "circular.docx": ("lufa report circular", "考核情况通报"),
    "feedback.docx": ("lufa report feedback", "考核结果反馈函"),
    "models.docx": ("lufa report models", "先进典型报告"),
    "briefing.html.j2": ("lufa report briefing", "工作推进会材料的网页"),
    "briefing.docx": ("lufa report briefing", "工作推进会材料的 Word 文档"),
}


def template_warnings(ws: Workspace) -> Iterator[Diagnostic]:
    """A warning for each template that the workspace's templates/ lacks and that a notice kind,
    a letter or a command needs (run by `lufa check`; the message names `lufa template add-missing`)."""
    from lufa_cli.reading.fsio import display_path

    if not ws.templates_dir.is_dir():  # one line, not one per template
        yield Diagnostic(display_path(ws.templates_dir), 0, 0, str(_absent(ws, "receipt-songda.docx")), "warning")
        return
    for loc, name, what in _named_templates(ws):
        exc = _absent(ws, name)
        if exc is not None and name in _bundled_templates():
            yield _diag(ws, "settings", loc, f"{exc}（{what}要用它）", severity="warning")
    for name, (command, what) in COMMAND_TEMPLATES.items():
        exc = _absent(ws, name)
        if exc is not None:
            yield Diagnostic(display_path(ws.templates_dir), 0, 0, f"{exc}（{command} 生成{what}要用它）", "warning")


CHECKS: list[Callable[[Workspace], Iterator[Diagnostic]]] = [
    unique_unit_ids,
    totals_match,
    scheduled_units_exist,
    every_unit_scheduled_once,
    slots_valid,
    checklist_consistent,
    case_standard_consistent,
    contact_named,
    settings_consistent,
    calendar_consistent,
]


def run_checks(ws: Workspace) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for check in CHECKS:
        out.extend(check(ws))
    return out
