from __future__ import annotations

import json

from conftest import REPO, snapshot


def test_check_bundled_data(run) -> None:
    r = run("check", cwd=REPO)
    assert r.code == 0, r.text
    assert r.out.startswith("数据无误：55 个单位（县直单位 35、乡镇 20），37 个检查周，每个单位均已安排；检查内容 9 类")
    assert "提示：未使用工作区，正在读取内置鲁山县数据（只读）；lufa where 可查看原因，lufa init 目录 可建立工作区。\n" in r.err
    # the bundled settings leave the contact for the clerk (lufa init --contact fills it)
    assert (
        'data/settings.yaml:22:9: 警告：contact.name（联系人）未填写：文书末尾会印出空的“联系人：”，填写前 lufa notice issue 拒绝下达\n'
        '    22 |   name: ""\n'
        "       |         ^\n"
    ) in r.err


def test_check_json(run) -> None:
    r = run("check", "--format", "json", cwd=REPO)
    v = json.loads(r.out)
    assert v["ok"] is True and [(p["line"], p["severity"]) for p in v["problems"]] == [(22, "warning")]
    assert (v["units"], v["county"], v["township"], v["points"]) == (55, 35, 20, 100)


def test_check_accepts_bom_and_crlf(ws, run) -> None:
    for name in ("units.yaml", "schedule.yaml"):
        p = ws / "data" / name
        p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes().replace(b"\n", b"\r\n"))
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 0, r.text
    assert snapshot(ws) == before


def test_exempt_unit_with_reason(ws, run) -> None:
    p = ws / "data" / "schedule.yaml"
    text = p.read_text(encoding="utf-8").replace("units: [sifaju, fagaiwei]", "units: [fagaiwei]")
    text = text.replace("exempt: []", "exempt:\n  - unit: sifaju\n    reason: 本单位为监督机关，不自查自评")
    p.write_text(text, encoding="utf-8")
    r = run("check", cwd=ws)
    assert r.code == 0, r.text
    assert "（免检 1 个）" in r.out
    r = run("units", "sifaju", cwd=ws)
    assert "免检：本单位为监督机关" in r.out


def test_missing_data_dir(tmp_path, run) -> None:
    r = run("--data", tmp_path / "nope", "check", cwd=tmp_path)
    assert r.code == 1
    assert "nope" in r.err and "数据目录不存在" in r.err


def test_missing_file(ws, run) -> None:
    (ws / "data" / "checklist.yaml").unlink()
    r = run("check", cwd=ws)
    assert r.code == 1 and "data/checklist.yaml: 错误：文件不存在" in r.err
