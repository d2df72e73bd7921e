from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, snapshot
from lufa_cli.cli.common import BUNDLED_NOTE


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


# --- lufa template add-missing: the bundled templates an older workspace lacks ---------------------

NOTHING_MISSING = "模板目录 templates 中内置模板齐全，没有需要添加的。\n"
READ_ONLY = ("错误：当前使用的是内置鲁山县数据（只读），不能写入记录。"
             "请先运行 lufa init 目录 建立自己的工作区，再在该目录下运行本命令或用 --data 指定\n")
TAKEN = "错误：有 {} 个模板名称被占用，什么也没有添加；请把它们移走或改名后重新运行\n"


def _bundled(name: str) -> bytes:
    return (REPO / "templates" / name).read_bytes()


def test_add_missing_restores_exactly_the_deleted_templates(ws, run) -> None:
    templates = ws / "templates"
    for name in ("receipt-songda.docx", "feedback.docx", "briefing.html.j2"):
        (templates / name).unlink()
    edited = templates / "plan-week.md.j2"
    edited.write_bytes(edited.read_bytes() + "\n本县自拟的落款\n".encode())
    mine = edited.read_bytes()
    (templates / "本县自拟.md.j2").write_text("{{ x }}", encoding="utf-8")  # not bundled: left alone
    before = snapshot(ws)

    r = run("template", "add-missing", "--dry-run", cwd=ws)
    assert (r.code, r.err) == (0, "")
    assert r.out == ("将添加 templates/briefing.html.j2\n将添加 templates/feedback.docx\n将添加 templates/receipt-songda.docx\n"
                     "共将添加 3 个内置模板（--dry-run：什么也没有写入）。\n")
    assert snapshot(ws) == before

    r = run("template", "add-missing", cwd=ws)
    assert (r.code, r.err) == (0, "")
    assert r.out == ("已添加 templates/briefing.html.j2\n已添加 templates/feedback.docx\n已添加 templates/receipt-songda.docx\n"
                     "共添加 3 个内置模板；已有的模板未改动。\n")
    for name in ("receipt-songda.docx", "feedback.docx", "briefing.html.j2"):
        assert (templates / name).read_bytes() == _bundled(name)
    assert edited.read_bytes() == mine
    after = snapshot(ws)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing else touched
    assert sorted(set(after) - set(before)) == ["templates/briefing.html.j2", "templates/feedback.docx", "templates/receipt-songda.docx"]

    r = run("template", "add-missing", cwd=ws)
    assert (r.code, r.out, r.err) == (0, NOTHING_MISSING, "")
    r = run("template", "add-missing", "--dry-run", cwd=ws)
    assert (r.code, r.out, r.err) == (0, NOTHING_MISSING, "")
    assert snapshot(ws) == after


def test_add_missing_makes_the_templates_folder_with_what_init_copies(tmp_path, ws, run) -> None:
    shutil.rmtree(ws / "templates")
    r = run("template", "add-missing", cwd=ws)
    assert (r.code, r.err) == (0, "")
    assert run("init", tmp_path / "new", cwd=tmp_path).code == 0
    names = sorted(p.name for p in (tmp_path / "new" / "templates").iterdir())
    assert len(names) > 15
    assert r.out == "".join(f"已添加 templates/{n}\n" for n in names) + f"共添加 {len(names)} 个内置模板；已有的模板未改动。\n"
    assert sorted(p.name for p in (ws / "templates").iterdir()) == names
    assert all((ws / "templates" / n).read_bytes() == _bundled(n) for n in names)


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["write", "dry-run"])
def test_add_missing_refuses_on_the_bundled_data(tmp_path, run, dry_run) -> None:
    before, bundled = snapshot(tmp_path), snapshot(REPO / "templates")
    r = run("template", "add-missing", *dry_run, cwd=tmp_path)
    assert (r.code, r.out) == (3, "")
    assert r.err.startswith(BUNDLED_NOTE + "\n") and r.err.endswith("\n" + READ_ONLY)  # between: the bundled data's own warnings
    assert snapshot(tmp_path) == before and snapshot(REPO / "templates") == bundled


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["write", "dry-run"])
def test_add_missing_reports_names_taken_and_writes_nothing(tmp_path, ws, run, dry_run) -> None:
    templates = ws / "templates"
    (templates / "receipt-songda.docx").unlink()  # missing: would be added, but the run is refused
    (templates / "models.docx").unlink()
    (templates / "models.docx").mkdir()
    (templates / "models.docx" / "mine.txt").write_text("我的", encoding="utf-8")
    outside = tmp_path / "outside.docx"
    outside.write_bytes(b"outside")
    (templates / "feedback.docx").unlink()
    (templates / "feedback.docx").symlink_to(outside)
    before = snapshot(ws)
    r = run("template", "add-missing", *dry_run, cwd=ws)
    assert (r.code, r.out) == (3, "")
    assert r.err == (f"templates/feedback.docx: 错误：是指向工作区之外（{outside}）的符号链接，不能在这里放入内置模板\n"
                     "templates/models.docx: 错误：这是一个目录，不是文件，不能在这里放入内置模板\n" + TAKEN.format(2))
    assert snapshot(ws) == before and not (templates / "receipt-songda.docx").exists()
    assert outside.read_bytes() == b"outside"


def test_add_missing_on_a_full_disk_adds_nothing(ws, run, monkeypatch) -> None:
    """The second of three copies hits a full disk: the first is taken back, exit 6, the folder as it was."""
    import errno
    import os
    import types

    from lufa_cli.reading import fsio

    for name in ("circular.docx", "models.docx", "overdue.md.j2"):
        (ws / "templates" / name).unlink()
    before = snapshot(ws)
    opened = []

    def fdopen(fd, *args, **kwargs):
        fh = os.fdopen(fd, *args, **kwargs)
        opened.append(fd)
        if len(opened) == 2:  # the second file written through fsio: the disk is full
            fh.close()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return fh

    monkeypatch.setattr(fsio, "os", types.SimpleNamespace(**{**{n: getattr(os, n) for n in dir(os) if not n.startswith("__")}, "fdopen": fdopen}))
    r = run("template", "add-missing", cwd=ws)
    assert (r.code, r.out) == (6, "")
    assert r.err == f"错误：无法写入 {ws / 'templates' / 'models.docx'}：磁盘空间不足；原有文件未改动；本次没有添加任何模板\n"
    assert len(opened) == 2
    assert snapshot(ws) == before
    assert not any(p.name.startswith(".") for p in (ws / "templates").iterdir())  # no temp file left


def test_add_missing_when_templates_is_a_file_or_a_link_dangles(tmp_path, ws, run) -> None:
    (ws / "templates" / "circular.docx").unlink()
    (ws / "templates" / "circular.docx").symlink_to(tmp_path / "gone.docx")
    before = snapshot(ws)
    r = run("template", "add-missing", cwd=ws)
    assert (r.code, r.out) == (3, "")
    assert r.err == f"templates/circular.docx: 错误：是指向不存在位置（{tmp_path / 'gone.docx'}）的符号链接，不能在这里放入内置模板\n" + TAKEN.format(1)
    assert snapshot(ws) == before and not (tmp_path / "gone.docx").exists()
    shutil.rmtree(ws / "templates")
    (ws / "templates").write_text("不是目录", encoding="utf-8")
    before = snapshot(ws)
    r = run("template", "add-missing", cwd=ws)
    assert (r.code, r.out, r.err) == (3, "", "templates: 错误：不是目录，不能在这里放入内置模板\n" + TAKEN.format(1))
    assert snapshot(ws) == before
