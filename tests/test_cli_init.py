from __future__ import annotations

import json

from conftest import snapshot


def test_init_creates_a_checked_workspace(tmp_path, run) -> None:
    target = tmp_path / "监督考核2026"
    r = run("init", target, cwd=tmp_path)
    assert r.code == 0, r.text
    assert (target / "data" / "units.yaml").is_file()
    assert (target / "templates").is_dir() and any((target / "templates").iterdir())
    assert "output/" in (target / ".gitignore").read_text(encoding="utf-8")
    r = run("check", "--format", "json", cwd=target)
    v = json.loads(r.out)
    assert v["ok"] and v["origin"] == "found" and v["units"] == 55


def test_init_refuses_a_non_empty_folder(tmp_path, run) -> None:
    target = tmp_path / "ws"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(tmp_path)
    r = run("init", target, cwd=tmp_path)
    assert r.code == 3 and "已存在且不为空" in r.err
    assert snapshot(tmp_path) == before


def test_data_folder_lookup_order(tmp_path, ws, run, monkeypatch) -> None:
    # the workspace holding the current folder, then LUFA_DATA, then --data: each wins over the one before
    r = run("check", "--format", "json", cwd=ws)
    assert json.loads(r.out)["origin"] == "found"
    monkeypatch.setenv("LUFA_DATA", str(ws / "data"))
    r = run("check", "--format", "json", cwd=tmp_path)
    assert json.loads(r.out)["origin"] == "env"
    r = run("--data", ws / "data", "check", "--format", "json", cwd=tmp_path)
    assert json.loads(r.out)["origin"] == "option"


def test_bundled_data_when_nothing_else(tmp_path, run) -> None:
    r = run("check", "--format", "json", cwd=tmp_path)
    v = json.loads(r.out)
    assert v["ok"] and v["origin"] == "bundled"


def test_bundled_workspace_is_read_only(tmp_path) -> None:
    import pytest

    from lufa_cli.errors import RefusedError
    from lufa_cli.workspace.loader import load_workspace
    from lufa_cli.workspace.workspace import bundled_root

    ws, _ = load_workspace(bundled_root() / "data", "bundled")
    with pytest.raises(RefusedError) as e:
        ws.require_writable()
    assert "lufa init" in e.value.message


def test_init_where_a_file_blocks_the_path(tmp_path, run) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    before = snapshot(tmp_path)
    r = run("init", tmp_path / "afile" / "sub", cwd=tmp_path)
    assert r.code == 6 and "无法写入" in r.err
    assert snapshot(tmp_path) == before


def test_init_contact_fills_settings_and_check_is_quiet(tmp_path, run) -> None:
    target = tmp_path / "ws"
    r = run("init", target, "--contact", "李四", cwd=tmp_path)
    assert r.code == 0, r.text
    assert "contact.name" not in r.text
    settings = (target / "data" / "settings.yaml").read_text(encoding="utf-8")
    assert 'contact:\n  name: "李四"\n  phone: "0375-7653158"\n' in settings
    assert "# contact：意见书末尾的" in settings  # the comments are kept
    r = run("check", cwd=target)
    assert r.code == 0 and r.err == ""


def test_init_without_contact_says_it_is_missing(tmp_path, run) -> None:
    r = run("init", tmp_path / "ws", cwd=tmp_path)  # stdin is not a terminal: no question asked
    assert r.code == 0
    assert "注意：data/settings.yaml 的 contact.name（联系人）还没有填写，填写前不能下达文书。\n" in r.out
