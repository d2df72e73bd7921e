"""The CLI builds only the invoked command group; help and typos still see every command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO
from lufa_cli.cli.app import COMMANDS, app


def _modules_after(*args: str) -> dict:
    """Run `lufa ARGS` in a fresh interpreter; which of our (and Rich's) modules it imported."""
    code = (
        "import sys, json, contextlib, io\n"
        "from lufa_cli.cli.app import main\n"
        "out = io.StringIO()\n"
        "try:\n"
        "    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):\n"
        f"        main({list(args)!r})\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print(json.dumps({'code': code, 'modules': sorted(m for m in sys.modules if m.startswith(('lufa_cli', 'rich', 'pydantic')))}))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def test_plan_week_imports_only_its_group() -> None:
    seen = _modules_after("plan", "week", "--date", "2026-04-13")
    assert seen["code"] == 0
    assert "lufa_cli.cli.plan" in seen["modules"]
    for other in ("notice", "inspect", "rectify", "score", "report", "workspace", "template", "calendar", "selfcheck"):
        assert f"lufa_cli.cli.{other}" not in seen["modules"], other
    assert "lufa_cli.records.notices" not in seen["modules"]


def test_help_imports_no_group_and_no_model() -> None:
    seen = _modules_after("--help")
    assert seen["code"] == 0
    assert not [m for m in seen["modules"] if m.startswith("lufa_cli.cli.") and m not in ("lufa_cli.cli.app", "lufa_cli.cli.common", "lufa_cli.cli.i18n")]
    assert "lufa_cli.model.data" not in seen["modules"]


def test_a_quiet_check_draws_nothing_with_rich() -> None:
    seen = _modules_after("check", "--format", "json")
    assert seen["code"] == 0
    # (cli.i18n patches Rich's line wrapping when Rich is first imported, not before)
    assert not [m for m in seen["modules"] if m.startswith("rich")]


def test_help_lists_every_command_with_its_summary(run) -> None:
    r = run("--help", cwd=REPO)
    assert r.code == 0
    for name, (_, _, summary) in COMMANDS.items():
        assert any(line.split() [1:2] == [name] and summary in line for line in r.out.splitlines()), name


def test_table_summaries_are_the_commands_own_first_lines() -> None:
    import typer.main

    root = typer.main.get_command(app)
    for name, (_, _, summary) in COMMANDS.items():
        cmd = root.commands[name]
        assert cmd.name == name
        assert (cmd.short_help or cmd.help or "").split("\n\n")[0].strip() == summary, name


@pytest.mark.parametrize(("args", "message"), [
    (("plna",), "错误：没有这个命令：plna（是否想用：'plan'）\n用 'lufa --help' 查看帮助。"),
    (("notic", "list"), "错误：没有这个命令：notic（是否想用：'notice'）\n用 'lufa --help' 查看帮助。"),
    (("plan", "wek"), "错误：没有这个命令：wek（是否想用：'week'）\n用 'lufa plan --help' 查看帮助。"),
])
def test_a_mistyped_command_gets_a_suggestion(run, args, message) -> None:
    r = run(*args, cwd=REPO)
    assert r.code == 2
    assert r.err.strip() == message


def test_the_collector_is_off_for_start_up_only() -> None:
    """The console script starts with the garbage collector off (start-up makes no garbage worth
    collecting); by the time the command reads data it is on again, start-up's objects frozen."""
    code = (
        "import gc, sys\n"
        "import lufa_cli.workspace.loader as loader\n"
        "seen = []\n"
        "original = loader.load_workspace\n"
        "def load_workspace(*a, **k):\n"
        "    seen.append((gc.isenabled(), gc.get_freeze_count() > 0))\n"
        "    return original(*a, **k)\n"
        "loader.load_workspace = load_workspace\n"
        "from lufa_cli.__main__ import run\n"
        "sys.argv = ['lufa', 'check', '--format', 'json']\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as exc:\n"
        "    sys.stderr.write(f'{exc.code} {seen}')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert r.stderr.splitlines()[-1] == "0 [(True, True)]"

