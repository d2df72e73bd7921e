"""The shipped schedule equals Annex 1 of the seed document, slot by slot.

The expected table is parsed from the regulation's own text (a verbatim copy
in tests/fixtures), not typed in again, so a transcription slip in
data/schedule.yaml or data/units.yaml cannot hide behind a matching typo here.
"""

from __future__ import annotations

import re
from pathlib import Path

from lufa_cli.workspace.loader import load_workspace

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "fixtures" / "seed-lufazhengban-2021-4.txt"
MONTHS = {"三月": 3, "四月": 4, "五月": 5, "六月": 6, "七月": 7, "八月": 8, "九月": 9, "十月": 10, "十一月": 11, "十二月": 12}
WEEKS = {"第一周": 1, "第二周": 2, "第三周": 3, "第四周": 4}


def annex1() -> list[tuple[int, int, list[str]]]:
    text = SEED.read_text(encoding="utf-8")
    body = text.split("附件一：", 1)[1].split("依法行政日常监督分组计划表", 1)[1].split("注：")[0]
    slots: list[tuple[int, int, list[str]]] = []
    month = None
    for raw in body.splitlines():
        cell = raw.strip()
        if not cell or cell in ("时间", "受监督单位"):
            continue
        if cell in MONTHS:
            month = MONTHS[cell]
        elif cell in WEEKS:
            slots.append((month, WEEKS[cell], []))
        else:
            slots[-1][2].append(cell)
    return slots


def test_seed_parses_to_55_units_in_37_slots() -> None:
    slots = annex1()
    assert len(slots) == 37
    assert sum(len(u) for _, _, u in slots) == 55
    note = re.search(r"共计有县直单位(\d+)家、乡镇(\d+)家", SEED.read_text(encoding="utf-8"))
    assert note and (int(note[1]), int(note[2])) == (35, 20)


def test_schedule_equals_annex1_slot_by_slot() -> None:
    ws, diags = load_workspace(REPO / "data")
    assert ws is not None, [d.format() for d in diags]
    names = {u.id: u.name for u in ws.roster.units}
    shipped = [(s.month, s.week, [names[u] for u in s.units]) for s in ws.schedule.slots]
    assert shipped == annex1()


def test_real_gaps_are_kept() -> None:
    present = {(m, w) for m, w, _ in annex1()}
    assert (5, 1) not in present and (10, 1) not in present
    ws, _ = load_workspace(REPO / "data")
    shipped = {(s.month, s.week) for s in ws.schedule.slots}
    assert shipped == present


def test_roster_matches_annex1_kinds_and_totals() -> None:
    ws, _ = load_workspace(REPO / "data")
    townships = [u for u in ws.roster.units if u.kind == "township"]
    assert len(ws.roster.units) == 55 and len(townships) == 20
    assert all(u.name.endswith(("乡人民政府", "镇人民政府")) for u in townships)
    county = {u.name for u in ws.roster.units if u.kind == "county"}
    assert {"平顶山市尧山风景名胜区管理局", "鲁山县森林公安局", "鲁山县消防救援大队"} <= county
    # townships take weeks 1 and 4 (and all of December); county units weeks 2 and 3
    kinds = {u.id: u.kind for u in ws.roster.units}
    for s in ws.schedule.slots:
        expected = "township" if s.week in (1, 4) or s.month == 12 else "county"
        assert {kinds[u] for u in s.units} == {expected}, (s.month, s.week)


def test_checklist_is_the_seed_text() -> None:
    ws, _ = load_workspace(REPO / "data")
    text = SEED.read_text(encoding="utf-8")
    cats = ws.checklist.categories
    assert [c.no for c in cats] == list(range(1, 10))
    assert sum(i.points for i in ws.checklist.items()) == 100
    for item in ws.checklist.items():
        for cp in item.checkpoints:
            assert cp in text, f"{item.id}: checkpoint not verbatim: {cp}"
    assert ws.checklist.methods == ["听取汇报", "查阅资料", "调阅案卷", "现场询问", "公共法律知识考核"]
    phones = {o.name: o.phone for o in ws.checklist.offices}
    assert phones == {"法治调研督察室": "0375-7653020", "政策法规室": "0375-7653029", "行政执法协调监督室": "0375-7653158"}
