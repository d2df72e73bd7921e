"""Schedule generation: Annex 1 reproduced, the rule's invariants, pins, exemptions, YAML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lufa_cli.domain.generate import (
    MIN_WEEKDAY_WORKDAYS,
    generate_schedule,
    schedule_yaml,
    yaml_scalar,
)
from lufa_cli.domain.planning import week_bounds
from lufa_cli.domain.workcal import WorkCalendar
from lufa_cli.errors import UsageError
from lufa_cli.model import data as models
from lufa_cli.reading.yamlsrc import read_yaml
from lufa_cli.workspace.loader import load_workspace
from lufa_cli.workspace.validation import validate

REPO = Path(__file__).resolve().parent.parent
YEARS = [2021, 2022, 2023, 2024, 2025, 2026, 2027]


@pytest.fixture(scope="module")
def lushan():
    ws, diags = load_workspace(REPO / "data")
    assert ws is not None, [d.format() for d in diags]
    return ws.roster, ws.schedule, WorkCalendar(ws.calendar)


def where(schedule: models.Schedule) -> dict[str, tuple[int, int]]:
    return {u: (s.month, s.week) for s in schedule.slots for u in s.units}


def weekday_workdays(cal: WorkCalendar, year: int, month: int, week: int) -> int:
    start, _ = week_bounds(year, month, week, "monday")
    return sum(cal.is_workday(start + dt.timedelta(days=i)) for i in range(5))


# --- Annex 1 -------------------------------------------------------------------


def test_2021_reproduces_annex1_exactly(lushan) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(roster, annex1, cal, 2021)
    assert g.schedule == annex1
    assert g.schedule.slots == annex1.slots
    assert g.changes == []
    assert g.warnings == []
    assert [(m, w) for m, w, _ in g.skipped] == [(5, 1), (10, 1), (12, 4)]
    reasons = {(m, w): r for m, w, r in g.skipped}
    assert reasons[(5, 1)].startswith("劳动节") and "只有 2 个工作日" in reasons[(5, 1)]
    assert reasons[(10, 1)].startswith("国庆节") and "只有 1 个工作日" in reasons[(10, 1)]
    assert reasons[(12, 4)] == "留作年终总结式集中监督"


def test_2021_from_scratch_is_annex1_too(lushan) -> None:
    """With no previous slots the roster order (Annex 1's order) fills the same shape."""
    roster, annex1, cal = lushan
    empty = annex1.model_copy(update={"slots": []})
    g = generate_schedule(roster, empty, cal, 2021)
    assert g.schedule.slots == annex1.slots
    assert len(g.changes) == 37 + 55  # every week and every unit is new
    assert sum("新启用" in line for line in g.changes) == 37
    assert sum("新增单位" in line for line in g.changes) == 55


def test_weekday_threshold_is_what_annex1_needs(lushan) -> None:
    _, _, cal = lushan
    assert MIN_WEEKDAY_WORKDAYS == 3
    # 3 working days in all (incl. the 调休 Saturday 8 May) but only 2 on weekdays
    assert [cal.is_workday(dt.date(2021, 5, d)) for d in range(3, 10)] == [False, False, False, True, True, True, False]
    assert weekday_workdays(cal, 2021, 5, 1) == 2
    assert weekday_workdays(cal, 2021, 10, 1) == 1
    assert weekday_workdays(cal, 2021, 9, 3) == 3  # Mid-autumn week: kept, as in Annex 1


# --- invariants over several years -----------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_invariants(lushan, year) -> None:
    roster, annex1, cal = lushan
    s = generate_schedule(roster, annex1, cal, year).schedule
    placed = [u for slot in s.slots for u in slot.units]
    assert sorted(placed) == sorted(u.id for u in roster.units)  # every unit exactly once
    kinds = {u.id: u.kind for u in roster.units}
    last_county = max((x.month, x.week) for x in s.slots if kinds[x.units[0]] == "county")
    for slot in s.slots:
        ks = {kinds[u] for u in slot.units}
        assert len(ks) == 1, (slot.month, slot.week)
        if ks == {"county"}:
            assert slot.week in (2, 3) and len(slot.units) <= 2
        elif slot.week in (1, 4):
            assert len(slot.units) == 1
        else:  # townships in county weeks only once the county units are done
            assert (slot.month, slot.week) > last_county
        assert weekday_workdays(cal, year, slot.month, slot.week) >= 3
        assert 1 <= slot.week <= 4 and 3 <= slot.month <= 12
    assert (12, 4) not in where(s).values()
    assert len([x for x in s.slots if len(x.units) == 1 and kinds[x.units[0]] == "county"]) == 1  # 35 is odd


def test_deterministic(lushan) -> None:
    roster, annex1, cal = lushan
    pins = {"sifaju": (6, 3), "zhangliang-zhen": (5, 4)}
    exempt = {"xiaofang-dadui": "已划转上级垂直管理", "qixiangju": "垂直管理"}
    a = generate_schedule(roster, annex1, cal, 2026, pins=pins, exempt=exempt)
    b = generate_schedule(
        roster, annex1, cal, 2026,
        pins=dict(reversed(list(pins.items()))), exempt=dict(reversed(list(exempt.items()))),
    )
    assert a == b
    assert schedule_yaml(a.schedule, year=2026) == schedule_yaml(b.schedule, year=2026)


# --- other years' holidays ---------------------------------------------------------


def test_2026_uses_may_week1_and_skips_october_week1(lushan) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(roster, annex1, cal, 2026)
    assert weekday_workdays(cal, 2026, 5, 1) == 3 and weekday_workdays(cal, 2026, 10, 1) == 2
    assert [(m, w) for m, w, _ in g.skipped] == [(10, 1), (12, 4)]
    assert g.skipped[0][2].startswith("国庆节：10月5日至10月11日")
    at = where(g.schedule)
    assert (5, 1) in at.values() and (10, 1) not in at.values()
    # one township more fits in a township week: only one unit moves, the rest keep last year's week
    assert at["xiongbei-xiang"] == (5, 1)
    assert g.changes == ["5月第一周：2026年新启用", "鲁山县熊背乡人民政府：由12月第三周调整到5月第一周"]
    assert {u: w for u, w in at.items() if u != "xiongbei-xiang"} == {
        u: w for u, w in where(annex1).items() if u != "xiongbei-xiang"
    }


def test_2024_has_no_holiday_week(lushan) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(roster, annex1, cal, 2024)
    assert [(m, w) for m, w, _ in g.skipped] == [(12, 4)]
    at = where(g.schedule)
    assert at["ranghe-xiang"] == (5, 1) and at["xiongbei-xiang"] == (10, 1)
    assert "12月第三周：2024年不安排（不再需要）" in g.changes


def test_local_holiday_week_is_skipped() -> None:
    """A year covered by calendar.yaml overrides: a declared holiday week is not used."""
    overrides = models.CalendarOverrides(
        years=[
            models.CalendarYear(
                year=2027,
                holidays=[
                    models.HolidayRange(start=dt.date(2027, 5, 1), end=dt.date(2027, 5, 4), name="劳动节"),
                    models.HolidayRange(start=dt.date(2027, 6, 14), end=dt.date(2027, 6, 16), name="端午节"),
                ],
            )
        ]
    )
    ws, _ = load_workspace(REPO / "data")
    cal = WorkCalendar(overrides)
    g = generate_schedule(ws.roster, ws.schedule, cal, 2027)
    skipped = {(m, w): r for m, w, r in g.skipped}
    assert skipped[(6, 2)] == "端午节：6月14日至6月20日周一至周五只有 2 个工作日"  # Monday week 2
    assert (5, 1) not in skipped  # 3–9 May 2027: only 3 and 4 May off, 3 weekdays left
    assert list(skipped) == [(6, 2), (12, 4)]
    assert (6, 2) not in where(g.schedule).values() and (5, 1) in where(g.schedule).values()
    assert g.warnings == []


def test_guessed_year_warns(lushan) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(roster, annex1, cal, 2030)
    assert g.warnings and "2030" in g.warnings[0] and "推测" in g.warnings[0]
    assert [(m, w) for m, w, _ in g.skipped] == [(12, 4)]  # a guess knows no holidays


# --- pins and exemptions ---------------------------------------------------------------


def test_pin_moves_unit_and_keeps_everyone_once(lushan) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(roster, annex1, cal, 2021, pins={"sifaju": (6, 3)})
    names = {u.id: u.name for u in roster.units}
    at = where(g.schedule)
    assert at["sifaju"] == (6, 3)
    assert len(at) == 55
    # the unit displaced from June week 3 takes the place the pinned unit left
    assert at["minzongju"] == (4, 2)
    assert g.changes == [
        f"{names['minzongju']}：由6月第三周调整到4月第二周",
        "鲁山县司法局：由4月第二周调整到6月第三周（按固定安排）",
    ]


def test_two_pins_fill_the_odd_week(lushan) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(roster, annex1, cal, 2021, pins={"sifaju": (11, 3), "fagaiwei": (11, 3)})
    slots = {(s.month, s.week): s.units for s in g.schedule.slots}
    assert set(slots[(11, 3)]) == {"sifaju", "fagaiwei"}
    assert len(slots[(4, 2)]) == 1  # the week they left gives up a place
    assert sorted(u for s in g.schedule.slots for u in s.units) == sorted(u.id for u in roster.units)


def test_pin_township_into_december_spill_week(lushan) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(roster, annex1, cal, 2021, pins={"zhangliang-zhen": (12, 2)})
    assert where(g.schedule)["zhangliang-zhen"] == (12, 2)
    assert len(where(g.schedule)) == 55


def test_exemption(lushan) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(roster, annex1, cal, 2021, exempt={"xiaofang-dadui": "已划转上级垂直管理"})
    assert "xiaofang-dadui" not in where(g.schedule)
    assert g.schedule.exempt == [models.Exemption(unit="xiaofang-dadui", reason="已划转上级垂直管理")]
    # 34 county units need 17 pairs, up to November week 2; the freed November week 3 lets
    # a township that shared December week 3 be visited alone
    assert where(g.schedule)["xiongbei-xiang"] == (11, 3)
    assert g.changes == [
        "鲁山县熊背乡人民政府：由12月第三周调整到11月第三周",
        "鲁山县消防救援大队：列为免检（已划转上级垂直管理），原安排在11月第三周",
    ]


def test_exempt_units_come_back_at_the_end(lushan) -> None:
    roster, annex1, cal = lushan
    last = generate_schedule(roster, annex1, cal, 2021, exempt={"renfangban": "机构改革"}).schedule
    g = generate_schedule(roster, last, cal, 2022)
    assert where(g.schedule)["renfangban"] == (11, 3)
    assert "鲁山县人民防空办公室：不再免检，安排在11月第三周" in g.changes


def test_roster_changes(lushan) -> None:
    roster, annex1, cal = lushan
    units = [u for u in roster.units if u.id != "jinrongju"]
    units.append(models.Unit(id="shujuju", name="鲁山县大数据管理局", short="大数据管理局", kind="county"))
    new_roster = models.Roster(totals=roster.totals, units=units)
    g = generate_schedule(new_roster, annex1, cal, 2021)
    at = where(g.schedule)
    assert "jinrongju" not in at
    assert at["shujuju"] == (3, 3)  # the earliest free place, the one jinrongju left
    assert "jinrongju：已不在名册中，从计划表删除（原安排在3月第三周）" in g.changes
    assert "鲁山县大数据管理局：新增单位，安排在3月第三周" in g.changes
    assert len(at) == 55


IMPOSSIBLE = [
    ({"sifaju": (5, 1)}, {}, "鲁山县司法局”固定在2021年5月第一周，但该周不能安排（劳动节"),
    ({"sifaju": (10, 1)}, {}, "国庆节"),
    ({"sifaju": (12, 4)}, {}, "留作年终总结式集中监督"),
    ({"sifaju": (3, 5)}, {}, "日常监督不使用第五周"),
    ({"sifaju": (4, 5)}, {}, "2021年4月没有第五周"),
    ({"sifaju": (2, 2)}, {}, "2 月不在日常监督月份 3—12 月之内"),
    ({"sifaju": (4, 1)}, {}, "但它是县直单位，该周安排的是乡镇（县直单位排在第二、三周）"),
    ({"zhangliang-zhen": (4, 2)}, {}, "但它是乡镇，该周安排的是县直单位（乡镇排在第一、四周）"),
    ({"sifaju": (12, 2)}, {}, "但它是县直单位，该周安排的是乡镇"),
    ({"zhangliang-zhen": (4, 1), "xiatang-zhen": (4, 1)}, {}, "该周最多安排 1 家乡镇"),
    ({"sifaju": (6, 2), "fagaiwei": (6, 2), "caizhengju": (6, 2)}, {}, "该周最多安排 2 家县直单位"),
    ({"sifa-ju": (4, 2)}, {}, "固定安排中的单位“sifa-ju”不在名册中，是否想写“sifaju”？"),
    ({}, {"xiaofang": "划转"}, "免检名单中的单位“xiaofang”不在名册中"),
    ({"sifaju": (4, 2)}, {"sifaju": "整顿"}, "既被列为免检，又被固定安排在4月第二周"),
    ({}, {"sifaju": "  "}, "没有写明免检原因"),
]


@pytest.mark.parametrize(("pins", "exempt", "message"), IMPOSSIBLE)
def test_impossible_constraints(lushan, pins, exempt, message) -> None:
    roster, annex1, cal = lushan
    with pytest.raises(UsageError) as exc:
        generate_schedule(roster, annex1, cal, 2021, pins=pins, exempt=exempt)
    assert exc.value.message.startswith("无法生成 2021 年分组计划表：")
    assert message in exc.value.message


def test_every_problem_is_listed(lushan) -> None:
    roster, annex1, cal = lushan
    with pytest.raises(UsageError) as exc:
        generate_schedule(
            roster, annex1, cal, 2021,
            pins={"sifaju": (5, 1), "zhangliang-zhen": (4, 2), "nosuch": (3, 1)},
            exempt={"other": "x"},
        )
    lines = exc.value.message.splitlines()[1:]
    assert len(lines) == 4 and all(line.startswith("  - ") for line in lines)


def test_not_enough_weeks(lushan) -> None:
    roster, annex1, cal = lushan
    short = annex1.model_copy(update={"months": [9, 12]})
    with pytest.raises(UsageError) as exc:
        generate_schedule(roster, short, cal, 2021)
    assert "2021年可用的周不够：还有" in exc.value.message
    assert "家县直单位排不下" in exc.value.message and "家乡镇排不下" in exc.value.message


def test_without_year_end_week_december_week4_is_used(lushan) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(roster, annex1, cal, 2021, year_end_weeks=0)
    at = where(g.schedule)
    assert at["ranghe-xiang"] == (12, 3) and at["xiongbei-xiang"] == (12, 4)
    assert [(m, w) for m, w, _ in g.skipped] == [(5, 1), (10, 1)]


# --- YAML ------------------------------------------------------------------------------


def reload(text: str, tmp_path: Path) -> models.Schedule:
    path = tmp_path / "schedule.yaml"
    path.write_text(text, encoding="utf-8")
    src = read_yaml(path)
    assert src.diagnostics == [], [d.format() for d in src.diagnostics]
    schedule = validate(models.Schedule, src)
    assert src.diagnostics == [], [d.format() for d in src.diagnostics]
    return schedule


@pytest.mark.parametrize("year", [2021, 2024, 2026])
def test_yaml_round_trip(lushan, tmp_path, year) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(roster, annex1, cal, year, exempt={"qixiangju": '垂直管理: 由上级"统一"检查 # 见文件'})
    text = schedule_yaml(g.schedule, year=year, header="第一行说明\n第二行说明")
    assert reload(text, tmp_path) == g.schedule
    assert f"# 由 lufa plan generate --year {year} 生成" in text
    assert "# 第一行说明\n# 第二行说明\n" in text
    assert "    units: [xianzhengfuban, renfangban]\n" in text
    assert "  # ---------- 十二月 ----------\n" in text
    assert "week_rule: monday\n" in text and "months: [3, 12]\n" in text


def test_yaml_round_trip_of_awkward_values(tmp_path) -> None:
    s = models.Schedule(
        week_rule="thursday",
        months=[4, 11],
        slots=[models.Slot(month=4, week=1, units=["no", "2021", "1-2", "on"]), models.Slot(month=5, week=2, units=["a-b"])],
        exempt=[
            models.Exemption(unit="null", reason="2021-05-01"),
            models.Exemption(unit="y", reason="  前后空格  "),
            models.Exemption(unit="x1", reason="多行\n原因\t含\\反斜杠\u00a0和“引号”"),
            models.Exemption(unit="x2", reason="- 像列表, [像] {流式}: 写法"),
        ],
    )
    assert reload(schedule_yaml(s, year=2027), tmp_path) == s


def test_yaml_of_shipped_schedule_round_trips(lushan, tmp_path) -> None:
    _, annex1, _ = lushan
    text = schedule_yaml(annex1, year=2021)
    assert reload(text, tmp_path) == annex1
    assert "exempt: []\n" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("sifaju", "sifaju"),
        ("jiyao-baomiju", "jiyao-baomiju"),
        ("已划转上级垂直管理", "已划转上级垂直管理"),
        ("no", '"no"'),
        ("123", '"123"'),
        ("a: b", '"a: b"'),
        ('说"明', '"说\\"明"'),
        ("", '""'),
    ],
)
def test_yaml_scalar(value, expected) -> None:
    assert yaml_scalar(value) == expected


@pytest.mark.parametrize("year", [2021, 2026])
def test_generated_schedule_passes_workspace_checks(lushan, ws, year) -> None:
    roster, annex1, cal = lushan
    g = generate_schedule(
        roster, annex1, cal, year, pins={"sifaju": (6, 3)}, exempt={"xiaofang-dadui": "已划转上级垂直管理"}
    )
    (ws / "data" / "schedule.yaml").write_text(schedule_yaml(g.schedule, year=year), encoding="utf-8")
    loaded, diags = load_workspace(ws / "data")
    assert diags == [], [d.format() for d in diags]
    assert loaded is not None and loaded.schedule == g.schedule
