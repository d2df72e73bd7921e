"""Help is Chinese, with examples, for the root and every subcommand."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from lufa_cli.cli.app import app


def _commands() -> list[tuple[str, ...]]:
    import typer.main

    root = typer.main.get_command(app)
    out: list[tuple[str, ...]] = [()]

    def walk(cmd, path):
        for name, sub in getattr(cmd, "commands", {}).items():
            out.append((*path, name))
            if getattr(sub, "commands", None):
                GROUPS.add((*path, name))
            walk(sub, (*path, name))

    walk(root, ())
    return out


GROUPS: set[tuple[str, ...]] = set()
ENGLISH = re.compile(r"\b(Usage|Options|Arguments|Commands|Show this message|TEXT|INTEGER|PATH|default)\b|<(str|path|int|float|bool)>")


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "lufa")
def test_help_is_chinese_with_examples(path, run) -> None:
    r = run(*path, "--help", cwd=REPO)
    assert r.code == 0, r.text
    assert "用法：" in r.out
    assert not ENGLISH.search(r.out), ENGLISH.search(r.out)
    if path not in GROUPS:
        assert "示例" in r.out


def test_no_arguments_shows_help(run) -> None:
    r = run(cwd=REPO)
    assert r.code == 0 and "用法：" in r.out


def test_version(run) -> None:
    r = run("--version", cwd=REPO)
    assert r.code == 0 and r.out.startswith("lufa ")


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in _commands():
        if path and path not in GROUPS:
            assert f"lufa {' '.join(path)}" in readme, f"README 没有介绍 lufa {' '.join(path)}"


@pytest.mark.parametrize("args", [
    ("plan", "week", "--date", "2026-04-13", "--date", "2026-04-20"),
    ("--today", "2026-11-28", "--today", "2026-11-29", "status"),
    ("plan", "week", "--format", "md", "--format", "json"),
])
def test_an_option_given_twice_is_refused_not_silently_overridden(run, args) -> None:
    r = run(*args)
    assert r.code == 2
    name = args[args.index(next(a for a in args if args.count(a) > 1 and a.startswith("--")))]
    assert f"错误：选项 {name} 只能给一次（给了多次；不会悄悄只取最后一个）" in r.err
    assert r.out == ""


def test_ctrl_c_while_the_cli_is_still_importing_prints_aborted(monkeypatch, capsys) -> None:
    import builtins
    import sys as _sys

    from lufa_cli.__main__ import run

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "lufa_cli.cli.app":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(_sys.modules, "lufa_cli.cli.app", raising=False)
    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as exc:
        run()
    assert exc.value.code == 130
    assert capsys.readouterr().err == "已中止。\n"
