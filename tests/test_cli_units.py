from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import REPO
from lufa_cli.domain.roster import resolve_unit
from lufa_cli.errors import UsageError
from lufa_cli.workspace.loader import load_workspace


@pytest.fixture(scope="module")
def units():
    ws, _ = load_workspace(REPO / "data")
    return ws.roster.units


@pytest.mark.parametrize("query", ["sifaju", "鲁山县司法局", "司法局", " 司法局 "])
def test_resolve_by_id_name_or_short(units, query) -> None:
    assert resolve_unit(units, query).id == "sifaju"


def test_resolve_unique_substring(units) -> None:
    assert resolve_unit(units, "消防").id == "xiaofang-dadui"


def test_ambiguous_lists_candidates(units) -> None:
    with pytest.raises(UsageError) as e:
        resolve_unit(units, "尧山")
    assert "“尧山”可能指多个单位" in e.value.message
    assert "尧山镇（yaoshan-zhen）" in e.value.message and "yaoshan-fengjingqu" in e.value.message


def test_unknown_suggests(units) -> None:
    with pytest.raises(UsageError) as e:
        resolve_unit(units, "司法句")
    assert "名册中没有“司法句”这个单位" in e.value.message and "司法局" in e.value.message


def test_units_table_json_csv(run) -> None:
    r = run("units", cwd=REPO)
    assert r.code == 0 and "单位名册（55 个）" in r.out
    v = json.loads(run("units", "--format", "json", "--kind", "township", cwd=REPO).out)
    assert len(v) == 20 and all(u["kind"] == "township" for u in v)
    rows = list(csv.reader(io.StringIO(run("units", "--format", "csv", cwd=REPO).out)))
    assert rows[0][:3] == ["序号", "编号", "全称"] and len(rows) == 56


def test_units_query_errors(run) -> None:
    r = run("units", "尧山", cwd=REPO)
    assert r.code == 2 and "可能指多个单位" in r.err
    r = run("units", "--kind", "city", cwd=REPO)
    assert r.code == 2 and "--kind 的值“city”无效" in r.err
