"""Property tests (hypothesis): the strict YAML reader, the record writer, scoring, deadlines."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import REPO
from lufa_cli.domain.deadlines import calendar_deadline
from lufa_cli.domain.scoring import ReviewLoss, unit_score
from lufa_cli.domain.workcal import WorkCalendar
from lufa_cli.model.data import CalendarOverrides, CalendarYear, HolidayRange
from lufa_cli.model.records import Finding, Inspection
from lufa_cli.reading.yamlsrc import dump, read_yaml
from lufa_cli.workspace.loader import load_workspace

FAST = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=1)
def workspace():
    ws, diags = load_workspace(REPO / "data")
    assert ws is not None, [d.format() for d in diags]
    return ws


# --- the strict reader never raises and points inside the file ---------------------------------

TRICKY_CHARS = [*":'\"\t -#[]{}&*!|>%@`,?\n\r\\", "：", "\u3000", "\xa0", "\u200b", "\ufeff", "\u2028", "\x85", "\x00", "\x1b", "中", "a", "1", "."]
tricky_text = st.text(alphabet=st.sampled_from(TRICKY_CHARS), max_size=80)
yaml_words = st.sampled_from(["no", "yes", "on", "1:30", "010", "0x1F", "1_000", "2026-3-1", "2026-02-30", "2026-03-01",
                              "~", "null", "true", ".inf", ".nan", "<<", "&a", "*a", "!!str", "---", "...", "- ", ": ", "  ", "\n",
                              "b: [", "k: v", "\u2028", "\u2029", "\x85"])
mixed_text = st.lists(st.one_of(yaml_words, tricky_text, st.text(max_size=10)), max_size=12).map("".join)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(), st.text(max_size=20), yaml_words,
)
plain_data = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=15,
)
dumped_yaml = plain_data.flatmap(
    lambda d: st.sampled_from([
        yaml.safe_dump(d, allow_unicode=True),
        yaml.safe_dump(d, allow_unicode=False),
        yaml.safe_dump(d, allow_unicode=True, default_flow_style=True),
    ])
)


def _check_source(text: str) -> None:
    src = read_yaml(Path("gen.yaml"), raw=text.encode("utf-8"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for d in src.diagnostics:
        assert d.message and d.path == "gen.yaml"
        assert 1 <= d.line <= len(lines), (d.format(), len(lines))
        assert 1 <= d.col <= len(lines[d.line - 1]) + 1, (d.format(), lines[d.line - 1])
    if src.ok:
        assert not [d for d in src.diagnostics if d.severity == "error"]
    else:
        assert src.diagnostics


@FAST
@given(dumped_yaml)
def test_reader_never_raises_on_dumped_yaml(text: str) -> None:
    _check_source(text)


@FAST
@given(mixed_text)
def test_reader_never_raises_on_random_text_and_positions_are_in_the_file(text: str) -> None:
    _check_source(text)


LINES = st.sampled_from(["a: 1", "b: [", "- x", "k: v", "c: y", "d: 'x", "e: {f: 1", "  g: 2"])
SEPARATORS = st.sampled_from(["\n", "\n", "\u2028", "\u2029", "\x85"])
multi_line = st.lists(st.tuples(LINES, SEPARATORS), min_size=1, max_size=6).map(lambda parts: "".join(a + b for a, b in parts) + "\n")


@FAST
@given(multi_line)
def test_positions_count_lines_as_an_editor_does(text: str) -> None:
    """U+2028, U+2029 and U+0085 are line breaks to PyYAML but not to Notepad/VS Code or `lufa`'s own source lines."""
    _check_source(text)


@FAST
@given(st.binary(max_size=200) | mixed_text.map(lambda t: t.encode("utf-16")) | mixed_text.map(lambda t: t.encode("gb18030")))
def test_reader_never_raises_on_random_bytes(raw: bytes) -> None:
    src = read_yaml(Path("gen.yaml"), raw=raw)
    raw_lines = raw.split(b"\n")
    for d in src.diagnostics:
        assert 1 <= d.line <= len(raw_lines), d.format()
        assert d.col >= 1, d.format()
    assert src.ok or src.diagnostics


# --- what lufa writes, lufa reads back -----------------------------------------------------------

TRICKY_STRINGS = ["no", "No", "NO", "yes", "on", "off", "y", "n", "1:30", "010", "0x1F", "1_000", "2026-3-1", "2026-02-30",
                  "2026-03-01", "2026/03/01", "2026年3月1日", "null", "~", "", "true", "False", "1e3", ".inf", "-.nan", "+1", "-0",
                  "0.5", "- x", "#注释", "a: b", "'", '"', "鲁山县司法局", "  前后空格  ", "多行\n文本", "末尾换行\n", "\n开头换行",
                  "鲁政行监字〔{year}〕{n}号", "%TAG", "@x", "`x`", "!tag", "&a", "*a", "? x", "|", ">", "[", "{", "]", "}", ",",
                  "名称：值", "C:\\路径\\文件", "x #y", "---", "..."]
ORDINARY = st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"),
) | st.sampled_from([" ", "\n", "中", "〔", "〕", "：", "，"])
ordinary_text = st.text(alphabet=ORDINARY, max_size=30) | st.sampled_from(TRICKY_STRINGS)
halves = st.integers(-10**6, 10**6).map(lambda k: k + 0.5)
work_dates = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))  # the years lufa reads and writes
keys = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd")) | st.sampled_from("_- "), min_size=1, max_size=10).filter(
    lambda k: k.strip() == k)
plain_values = st.recursive(
    st.one_of(ordinary_text, st.integers(-10**12, 10**12), halves, work_dates, st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys | st.sampled_from(TRICKY_STRINGS[:20]), inner, max_size=4)),
    max_leaves=12,
)


def _round_trip(data: dict) -> None:
    text = dump(data, header="生成的记录\n第二行")
    src = read_yaml(Path("rec.yaml"), raw=text.encode("utf-8"))
    assert src.ok, ([d.format() for d in src.diagnostics], text)
    assert src.data == data, text


@FAST
@given(st.dictionaries(keys, plain_values, min_size=1, max_size=5))
def test_dump_then_read_round_trips(data: dict) -> None:
    _round_trip(data)


@FAST
@given(st.sampled_from(TRICKY_STRINGS), halves, work_dates)
def test_dump_round_trips_the_yaml11_traps(text: str, half: float, day: dt.date) -> None:
    other_day = dt.date(day.year, day.month, day.day)  # equal, but not the same object
    _round_trip({"text": text, "list": [text, half, day], "half": half, "date": other_day, text or "empty": 1})


@FAST
@given(work_dates, st.lists(st.integers(0, 9), max_size=3))
def test_dump_writes_no_anchors_for_shared_values(day: dt.date, items: list[int]) -> None:
    """The same date or list object twice in a record (e.g. issued == event date) must not become &id001/*id001."""
    _round_trip({"issued": day, "history": [{"date": day}], "a": items, "b": items})


# text a clerk pastes from Word/WPS/Excel: full-width paragraph indent, tabs, no-break and zero-width spaces
PASTED = st.sampled_from(["\u3000\u3000", "\t", "\u00a0", "\u200b", "\u2028", "\x85", "\ufeff"])
pasted_text = st.lists(st.one_of(PASTED, st.sampled_from(["执法记录仪未全程开启", "\n", " ", "。"])), min_size=1, max_size=6).map("".join)


@FAST
@given(pasted_text)
def test_dump_round_trips_pasted_finding_text(text: str) -> None:
    """A finding as typed or pasted by a clerk: once cleaned as every input path cleans it
    (lufa_cli.textclean), lufa must be able to read back the record it wrote."""
    from lufa_cli.reading.textclean import clean_text

    try:
        cleaned = clean_text(text)
    except ValueError:
        return  # refused at the input with a message naming the option or cell
    assert not any(ch in cleaned for ch in "\u200b\ufeff\u2028\x85\t\n\u00a0")
    _round_trip({"findings": [{"text": cleaned, "finding": 1}]})


# --- scoring --------------------------------------------------------------------------------------


@st.composite
def inspections(draw):
    ws = workspace()
    items = ws.checklist.items()
    result = []
    for n in range(draw(st.integers(0, 3))):
        findings = []
        for fid in range(1, draw(st.integers(0, 8)) + 1):
            item = draw(st.sampled_from(items))
            findings.append(Finding(
                id=fid, item=item.id, deduction=draw(st.integers(0, 60)) / 2, description="问题",
                fixed_on_spot=draw(st.booleans()), withdrawn=draw(st.sampled_from([None, None, None, "经复核不属实"])),
            ))
        result.append(Inspection(id=f"2026-04-{13 + n:02d}-sifaju", unit="sifaju", date=dt.date(2026, 4, 13 + n), kind="日常监督", findings=findings))
    return result


@FAST
@given(inspections())
def test_unit_score_is_between_0_and_100_and_is_the_sum_of_item_scores(insps: list[Inspection]) -> None:
    ws = workspace()
    s = unit_score(ws.checklist, ws.unit("sifaju"), insps)
    assert 0 <= s.total <= 100
    lost: dict[str, float] = {}
    for insp in insps:
        for f in insp.findings:
            if f.withdrawn is None:
                lost[f.item] = lost.get(f.item, 0) + f.deduction
    expected = sum(max(0.0, item.points - lost.get(item.id, 0.0)) for item in ws.checklist.items())
    assert s.total == round(expected, 2)
    assert abs(sum(s.category_losses.values()) - (100 - s.total)) < 1e-9
    assert all(0 <= v <= item.points for item in ws.checklist.items() for v in [s.item_scores[item.id]])
    assert s.grade == ws.checklist.grade(s.total)
    assert s.findings == sum(1 for i in insps for f in i.findings if f.withdrawn is None)


# --- deadlines ---------------------------------------------------------------------------------------


@st.composite
def calendars(draw):
    """The official calendar, or one with local holiday ranges (each at most 20 days) for 2027."""
    if draw(st.booleans()):
        return WorkCalendar(CalendarOverrides())
    ranges = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.dates(dt.date(2027, 1, 1), dt.date(2027, 12, 10)))
        end = min(start + dt.timedelta(days=draw(st.integers(0, 19))), dt.date(2027, 12, 31))
        ranges.append(HolidayRange(start=start, end=end, name="假日"))
    workdays = draw(st.lists(st.dates(dt.date(2027, 1, 1), dt.date(2027, 12, 31)), max_size=3))
    return WorkCalendar(CalendarOverrides(years=[CalendarYear(year=2027, holidays=ranges, workdays=workdays)]))


@FAST
@given(calendars(), st.dates(dt.date(2020, 1, 1), dt.date(2027, 12, 31)), st.integers(1, 365))
def test_calendar_deadline_is_the_first_working_day_on_or_after_start_plus_days(cal: WorkCalendar, start: dt.date, days: int) -> None:
    due = calendar_deadline(start, days, cal)
    first = start + dt.timedelta(days=days)
    assert due >= first
    assert cal.is_workday(due)
    d = first
    while d < due:
        assert not cal.is_workday(d), d
        d += dt.timedelta(days=1)


# --- every writing command: what it wrote, `lufa check` accepts ----------------------------------

import contextlib  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

from conftest import snapshot  # noqa: E402
from lufa_cli.cli.app import main  # noqa: E402

BASE_INSPECTION = ("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2", "--finding", "执法记录仪未全程开启", "--as-of", "2026-11-28")
BASE_NOTICE = ("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", "--date", "2026-11-02")
option_dates = st.one_of(
    st.dates(dt.date(2020, 1, 1), dt.date(2026, 11, 28)),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.sampled_from([dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2099, 12, 31), dt.date(2100, 1, 1), dt.date(999, 1, 1)]),
).map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}")
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-5, 200).map(lambda k: str(k / 2)),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "NaN", "0x10", "1_0", "２", "1.5", "0", "-0.0"]),
)
free_text = st.one_of(ordinary_text, pasted_text, st.text(max_size=20))
items = st.sampled_from(["3.3", "1.1", "5", "9", "9.9", "3.3.3", "", "x"])


def _writing_command(d: str, x: str, t: str, item: str, n: int) -> st.SearchStrategy:
    return st.sampled_from([
        ("inspect", "record", "司法局", "--date", d, "--item", item, "--deduction", x, "--finding", t, "--as-of", "2026-11-28"),
        ("inspect", "record", "司法局", "--date", "2026-04-14", "--item", "3.3", "--deduction", "1", "--finding", "y", "--note", t, "--as-of", d),
        ("inspect", "amend", "2026-04-13-sifaju", "--set-deduction", f"1={x}", "--as-of", "2026-11-28"),
        ("inspect", "amend", "2026-04-13-sifaju", "--item", item, "--deduction", x, "--finding", t, "--as-of", d),
        ("notice", "issue", "司法局", "--finding", t, "--date", d),
        ("notice", "issue", "司法局", "--finding", "z", "--case-name", t, "--date", "2026-11-02", "--days", str(n)),
        ("notice", "void", "1", "--reason", t, "--date", d),
        ("rectify", "feedback", "1", "--date", d, "--doc", t),
        ("rectify", "verify", "1", "--method", "实地查验", "--result", "未通过", "--date", d, "--days", str(n), "--note", t),
        ("selfcheck", "record", "司法局", "--date", d, "--doc", t, "--as-of", "2026-11-28"),
        ("plan", "spotcheck", "--year", d[:4], "--count", str(n), "--seed", t, "--save", "--as-of", d),
    ])


writing_commands = st.builds(lambda *a: a, option_dates, numbers, free_text, items, st.integers(-1, 400)).flatmap(lambda a: _writing_command(*a))


def _lufa(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return code, out.getvalue() + err.getvalue()


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(writing_commands)
@example(("inspect", "amend", "2026-04-13-sifaju", "--set-deduction", "1=nan", "--as-of", "2026-11-28"))
@example(("inspect", "record", "司法局", "--date", "0999-04-13", "--item", "3.3", "--deduction", "1", "--finding", "x", "--as-of", "2026-11-28"))
@example(("notice", "issue", "司法局", "--finding", "问题\u202e描述", "--date", "2026-11-02"))
def test_what_a_writing_command_writes_lufa_check_accepts(args: tuple[str, ...]) -> None:
    """Any value a writing command accepts is one it can read back: `lufa check` passes after
    every successful write; a refused write is a documented exit code and changes nothing."""
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(REPO / "data", ws / "data")
        shutil.copytree(REPO / "templates", ws / "templates")
        _settings = ws / "data" / "settings.yaml"  # a contact, as lufa init --contact writes it
        _settings.write_text(_settings.read_text(encoding="utf-8").replace('  name: ""', "  name: 张三", 1), encoding="utf-8")
        os.chdir(ws)
        try:
            assert _lufa(*BASE_INSPECTION)[0] == 0
            assert _lufa(*BASE_NOTICE)[0] == 0
            before = snapshot(ws / "data")
            code, text = _lufa(*args)
            assert "Traceback" not in text
            assert code in (0, 1, 2, 3), (code, text)
            if code == 0:
                check, report = _lufa("check")
                assert check == 0, f"{args} wrote what lufa check rejects:\n{report}"
            else:
                assert snapshot(ws / "data") == before, text
        finally:
            os.chdir(here)


# --- richer scoring rules (issue 11) ----------------------------------------------------------------


def _reference_unit_score(checklist, inspections):
    """The scoring rule as it was before issue 11 (flat deductions, floor 0), kept verbatim as the oracle."""
    points = {i.id: float(i.points) for c in checklist.categories for i in c.items}
    lost: dict[str, float] = {}
    count = 0
    for insp in inspections:
        for f in insp.active_findings():
            lost[f.item] = lost.get(f.item, 0.0) + f.deduction
            count += 1
    item_scores = {iid: max(0.0, p - lost.get(iid, 0.0)) for iid, p in points.items()}
    category_losses = {cat.no: sum(points[i.id] - item_scores[i.id] for i in cat.items) for cat in checklist.categories}
    total = round(sum(item_scores.values()), 2)
    return total, checklist.grade(total), item_scores, category_losses, count


@lru_cache(maxsize=2)
def rich_checklist(weighted: bool = False):
    """The shipped checklist plus every optional rule: per occurrence, range, veto, bonus with a cap, weights."""
    from lufa_cli.model.data import Checklist

    data = workspace().checklist.model_dump()
    for cat in data["categories"]:
        for item in cat["items"]:
            if item["id"] == "1.1":
                item["per_occurrence"] = 1.0
            if item["id"] == "3.2":
                item["range"] = {"min": 2.0, "max": 6.0}
    data["categories"].append({"no": 10, "name": "一票否决事项", "office": "jiandu", "items": [{"id": "10", "name": "拒不配合", "points": 0, "veto": True}]})
    data["categories"].append({"no": 11, "name": "加分项", "office": "jiandu", "bonus": True,
                               "items": [{"id": "11.1", "name": "创新", "points": 3}, {"id": "11.2", "name": "表彰", "points": 4}]})
    data["bonus_cap"] = 5.0
    if weighted:
        data["weights"] = [{"name": "日常", "kinds": ["日常监督", "年中抽查"], "weight": 20}, {"name": "年终", "kinds": ["年终总结"], "weight": 80}]
    return Checklist.model_validate(data)


@st.composite
def rich_inspections(draw, checklist, with_counts: bool = True):
    items = [i.id for c in checklist.categories for i in c.items]
    result = []
    for n in range(draw(st.integers(0, 3))):
        findings = []
        for fid in range(1, draw(st.integers(0, 8)) + 1):
            findings.append(Finding(
                id=fid, item=draw(st.sampled_from(items)), deduction=draw(st.integers(0, 40)) / 2, description="问题",
                count=draw(st.integers(1, 5)) if with_counts else 1,
                withdrawn=draw(st.sampled_from([None, None, None, "经复核不属实"])),
            ))
        kind = draw(st.sampled_from(["日常监督", "年中抽查", "年终总结"]))
        result.append(Inspection(id=f"2026-04-{13 + n:02d}-sifaju", unit="sifaju", date=dt.date(2026, 4, 13 + n), kind=kind, findings=findings))
    return result


review_losses = st.one_of(st.none(), st.builds(
    lambda item, pts: ReviewLoss(item, pts, ("2026-R001",)), st.sampled_from(["5", "3.3"]), st.integers(0, 40).map(lambda x: x / 2),
))


@FAST
@given(rich_inspections(workspace().checklist, with_counts=False))
def test_default_rule_reproduces_the_scores_before_issue_11(insps: list[Inspection]) -> None:
    ws = workspace()
    s = unit_score(ws.checklist, ws.unit("sifaju"), insps)
    total, grade, item_scores, category_losses, count = _reference_unit_score(ws.checklist, insps)
    assert (s.total, s.grade, s.item_scores, s.category_losses, s.findings) == (total, grade, item_scores, category_losses, count)
    assert s.bonus == 0 and s.vetoes == () and s.parts == ()


@FAST
@given(st.booleans().flatmap(lambda w: st.tuples(st.just(w), rich_inspections(rich_checklist(w)), review_losses)))
def test_rich_scores_stay_within_bounds_and_bonus_within_its_cap(case) -> None:
    weighted, insps, loss = case
    cl = rich_checklist(weighted)
    s = unit_score(cl, workspace().unit("sifaju"), insps, loss)
    assert 0 <= s.bonus <= cl.bonus_limit == 5
    assert s.bonus <= s.bonus_claimed
    claimed = {i.id: 0.0 for i in cl.bonus_items()}
    for insp in insps:
        for f in insp.active_findings():
            if f.item in claimed:
                claimed[f.item] += f.deduction * f.count
    caps = {i.id: i.points for i in cl.bonus_items()}
    assert s.bonus == min(5, sum(min(v, caps[k]) for k, v in claimed.items()))  # each item at most its cap, all at most bonus_cap
    assert 0 <= s.total - s.bonus <= 100 + 1e-9
    assert 0 <= s.total <= 100 + cl.bonus_limit
    assert all(0 <= s.item_scores[i.id] <= i.points + 1e-9 for i in cl.items())


@FAST
@given(st.booleans().flatmap(lambda w: st.tuples(st.just(w), rich_inspections(rich_checklist(w)), review_losses)))
def test_vetoes_dominate(case) -> None:
    weighted, insps, loss = case
    cl = rich_checklist(weighted)
    unit = workspace().unit("sifaju")
    s = unit_score(cl, unit, insps, loss)
    vetoed = any(f.item == "10" for i in insps for f in i.active_findings())
    assert (s.grade == cl.grades[-1].name) if vetoed else (s.grade == cl.grade(s.total))
    assert bool(s.vetoes) == vetoed
    # one more veto finding, anywhere: the lowest grade whatever the points
    extra = Inspection(id="2026-12-01-sifaju", unit="sifaju", date=dt.date(2026, 12, 1), kind="年终总结",
                       findings=[Finding(id=1, item="10", deduction=0, description="拒不配合")])
    assert unit_score(cl, unit, [*insps, extra], loss).grade == cl.grades[-1].name


@FAST
@given(rich_inspections(rich_checklist(False)), review_losses)
def test_one_part_of_weight_100_is_the_unweighted_rule(insps: list[Inspection], loss) -> None:
    from lufa_cli.model.data import Checklist

    cl = rich_checklist(False)
    one = Checklist.model_validate({**cl.model_dump(), "weights": [{"name": "全年", "kinds": ["日常监督", "年中抽查", "年终总结"], "weight": 100}]})
    a = unit_score(cl, workspace().unit("sifaju"), insps, loss)
    b = unit_score(one, workspace().unit("sifaju"), insps, loss)
    assert a.total == b.total and a.grade == b.grade


@FAST
@given(st.lists(st.tuples(st.sampled_from(["1.1", "1.3", "2.1", "2.3", "3.2", "3.4", "3.6"]), st.integers(1, 20), st.integers(0, 30)), max_size=8))
def test_a_case_file_scores_within_0_and_100_and_a_veto_fails_it(findings) -> None:
    from lufa_cli.domain.casereview import review_score
    from lufa_cli.model.reviews import Review

    std = workspace().case_standard
    r = Review(id="2026-R001", unit="sifaju", date=dt.date(2026, 11, 20), case="鲁司罚决字〔2026〕第3号", case_name="某某案", reviewers=["张三"],
               findings=[{"id": n, "item": i, "count": c, "deduction": d / 2} for n, (i, c, d) in enumerate(findings, start=1)])
    s = review_score(std, r)
    assert 0 <= s.total <= 100
    assert sum(s.part_scores.values()) == s.total
    veto = {"1.1": "执法主体不合法或超越法定职权", "1.3": "主要事实不清、证据不足"}  # the shipped standard's veto items drawn here
    if any(i in veto for i, _, _ in findings):
        assert s.grade == "不合格" and s.vetoes == tuple(n for k, n in veto.items() if k in {i for i, _, _ in findings})
    else:
        assert s.grade == std.grade(s.total) and not s.vetoes
