"""Registers written by several lufa at once (real processes started together): numbers are never
duplicated, a case number checked and written under the register's lock is never registered twice,
and no amendment is lost."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import snapshot
from test_concurrency import _together as together

D = ("--as-of", "2026-11-20")
PENALTY = Path("data/records/registers/penalty/2026")

# lufa with the step between "checked" and "written" made slow, so that processes started together
# really overlap there: without the register lock two of them register the same case number
SLOW_LUFA = """
import sys, time
import lufa_cli.records.registers as registers, lufa_cli.records.rewrite as rewrite
def slow(f, seconds):
    def g(*a, **k):
        time.sleep(seconds)
        return f(*a, **k)
    return g
registers.create_exclusive = slow(registers.create_exclusive, 1.5)  # longer than the spread of start-up times
rewrite.atomic_write = slow(rewrite.atomic_write, 0.3)
from lufa_cli.cli.app import main
main(sys.argv[1:])
"""


def _together(ws: Path, commands: list[tuple[str, ...]]) -> list[tuple[int, str]]:
    return together(ws, commands, SLOW_LUFA)


def _cases(ws: Path) -> dict[str, str]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["case"] for p in sorted((ws / PENALTY).glob("*.yaml"))}


def test_records_at_once_get_distinct_numbers(ws, run) -> None:
    sheet = "单位,案号,决定日期\n" + "".join(f"司法局,鲁司罚〔2026〕{n}号,2026-03-02\n" for n in (11, 12, 13))
    (ws / "表.csv").write_text(sheet, encoding="utf-8")
    results = _together(ws, [("register", "penalty", "record", "--unit", "司法局", "--case", f"鲁司罚〔2026〕{n}号", "--decided", "2026-03-02", *D)
                             for n in range(1, 6)] + [("register", "penalty", "record", "--from", "表.csv", *D)])
    assert [code for code, _ in results] == [0] * 6, results
    cases = _cases(ws)
    assert sorted(cases) == [f"sifaju-2026-{n:03d}" for n in range(1, 9)]
    assert sorted(cases.values()) == sorted(f"鲁司罚〔2026〕{n}号" for n in (1, 2, 3, 4, 5, 11, 12, 13))
    assert not list((ws / PENALTY.parent).rglob(".*.lock"))
    assert run("check", cwd=ws).code == 0


def test_the_same_case_at_once_is_registered_once(ws) -> None:
    results = _together(ws, [("register", "penalty", "record", "--unit", "司法局", "--case", "鲁司罚〔2026〕1号", "--decided", "2026-03-02", *D)] * 3)
    assert sorted(code for code, _ in results) == [0, 2, 2], results
    assert _cases(ws) == {"sifaju-2026-001": "鲁司罚〔2026〕1号"}
    for code, err in results:
        if code == 2:
            assert err.strip() == ("错误：案号“鲁司罚〔2026〕1号”已登记（sifaju-2026-001，data/records/registers/penalty/2026/sifaju-2026-001.yaml）；"
                                   "没有登记任何内容")


def test_amends_at_once_all_land(ws, run) -> None:
    r = run("register", "penalty", "record", "--unit", "司法局", "--case", "鲁司罚〔2026〕1号", "--decided", "2026-03-02", "--received", "2026-03-10", *D, cwd=ws)
    assert r.code == 0, r.text
    results = _together(ws, [
        ("register", "penalty", "amend", "sifaju-2026-001", "--review", "合法适当", "--reviewed", "2026-03-20", *D),
        ("register", "penalty", "amend", "sifaju-2026-001", "--reviewer", "张三", *D),
        ("register", "penalty", "amend", "sifaju-2026-001", "--note", "电话催报过", *D),
        ("register", "penalty", "amend", "sifaju-2026-001", "--materials", "备案报告、备案表", *D),
    ])
    assert [code for code, _ in results] == [0] * 4, results
    data = yaml.safe_load((ws / PENALTY / "sifaju-2026-001.yaml").read_text(encoding="utf-8"))
    assert (data["review"], str(data["reviewed"]), data["reviewer"], data["note"], data["materials"]) == (
        "合法适当", "2026-03-20", "张三", "电话催报过", ["备案报告", "备案表"])
    assert sorted(a["summary"] for a in data["amendments"]) == sorted([
        "审查结果改为合法适当；审查日期改为2026-03-20", "审查人改为张三", "备注改为电话催报过", "备案材料改为备案报告、备案表"])


def test_an_amend_and_a_record_of_the_same_case_at_once(ws, run) -> None:
    r = run("register", "penalty", "record", "--unit", "司法局", "--case", "鲁司罚〔2026〕1号", "--decided", "2026-03-02", *D, cwd=ws)
    assert r.code == 0, r.text
    results = _together(ws, [
        ("register", "penalty", "amend", "sifaju-2026-001", "--case", "鲁司罚〔2026〕7号", *D),
        ("register", "penalty", "record", "--unit", "司法局", "--case", "鲁司罚〔2026〕7号", "--decided", "2026-03-05", *D),
    ])
    assert sorted(code for code, _ in results) == [0, 2], results
    assert list(_cases(ws).values()).count("鲁司罚〔2026〕7号") == 1
    before = snapshot(ws / "data")
    assert run("check", cwd=ws).code == 0
    assert snapshot(ws / "data") == before


def test_prefill_into_one_record_at_once_proposes_each_finding_once(ws, run) -> None:
    r = run("register", "penalty", "record", "--unit", "司法局", "--case", "鲁司罚〔2026〕1号", "--decided", "2026-03-02", *D, cwd=ws)
    assert r.code == 0, r.text
    r = run("inspect", "record", "司法局", "--date", "2026-11-20", "--office", "jiandu", "--ack-out-of-plan", *D, cwd=ws)
    assert r.code == 0, r.text
    results = _together(ws, [("inspect", "prefill", "司法局", "--record", "2026-11-20-sifaju", *D)] * 3)
    assert [code for code, _ in results] == [0] * 3, results
    assert sum("已写入检查记录 2026-11-20-sifaju：写入登记簿拟定问题 1 条" in err for _, err in results) == 1
    assert sum("没有新的拟定问题；记录未改动" in err for _, err in results) == 2
    data = yaml.safe_load((ws / "data/records/inspections/2026/2026-11-20-sifaju.yaml").read_text(encoding="utf-8"))
    assert [p["id"] for p in data["proposed"]] == [1] and len(data["amendments"]) == 1
