"""How a run ends when its output cannot be delivered, in real processes: a reader that goes away
(`lufa check | head`) ends it quietly with exit code 141, not Python's English "Exception ignored …
BrokenPipeError" (120) nor Typer's or Rich's exit code 1 (lufa's code for wrong data); a full disk
says so in Chinese with exit code 6; a closed stdout or stderr keeps the command's status. A
province-scale run (which ends through `end_process`) ends exactly as a small one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


def _run_into_a_closed_pipe(args: list[str], *, unbuffered: bool) -> tuple[int, str]:
    """`lufa ARGS` in a real process whose stdout is a pipe nobody reads any more."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUNBUFFERED", "LUFA_DATA")}
    if unbuffered:  # every write reaches the pipe at once: the break happens inside the command
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before lufa writes anything
    try:
        r = subprocess.run([sys.executable, "-m", "lufa_cli", *args], cwd=REPO, env=env, stdout=write_end,
                           stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    return r.returncode, r.stderr


@pytest.mark.parametrize(("args", "unbuffered"), [
    (["units"], True),  # a Rich table, broken while it is drawn
    (["units"], False),  # … or at the end, when Python writes what is still buffered
    (["check", "--format", "json"], True),  # plain text output
    (["--help"], True),  # help, drawn by Typer's Rich console while the command line is parsed
    (["--version"], True),  # a callback of the command line
])
def test_a_reader_gone_away_ends_the_run_with_141_and_no_message(args, unbuffered) -> None:
    code, err = _run_into_a_closed_pipe(args, unbuffered=unbuffered)
    assert code == 141
    assert not any(word in err for word in ("Exception", "Error", "Traceback")), err


# The same command, ending once as a small run and once through the province-scale exit
# (`lifetime.PROVINCE_SCALE` lowered to 1 for this small workspace).
WRAPPER = (
    "import sys\n"
    "import lufa_cli.reading.lifetime as lifetime\n"
    "if sys.argv.pop(1) == 'province':\n"
    "    lifetime.PROVINCE_SCALE = 1\n"
    "from lufa_cli.__main__ import run\n"
    "run()\n"
)
SCALES = ["small", "province"]


@pytest.fixture
def overdue_ws(ws, run) -> Path:
    """A workspace with one notice overdue on 2026-11-28 (deadline 2026-10-08)."""
    r = run("notice", "issue", "张良镇", "--finding", "问题", "--date", "2026-09-03", cwd=ws)
    assert r.code == 0, r.text
    return ws


def _lufa(scale: str, ws: Path, *args: str, close_fd: int | None = None, stdout=subprocess.PIPE, buffered: bool = False):
    env = {k: v for k, v in os.environ.items() if not (buffered and k == "PYTHONUNBUFFERED") and k != "LUFA_DATA"}
    return subprocess.run(
        [sys.executable, "-c", WRAPPER, scale, *args], cwd=ws, env=env, stdout=stdout, text=True, timeout=120,
        stderr=subprocess.PIPE if close_fd != 2 else None, preexec_fn=(lambda: os.close(close_fd)) if close_fd is not None else None,
    )


@pytest.mark.skipif(os.name != "posix", reason="closes a standard file descriptor in the child")
@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("closed", [1, 2], ids=["stdout-closed", "stderr-closed"])
def test_a_closed_stdout_or_stderr_keeps_the_commands_status(overdue_ws, tmp_path, closed, scale) -> None:
    """`lufa rectify overdue --fail-if-any -o 清单.csv >&-` (a scheduled task without a stdout; on
    Windows, pythonw gives sys.stdout = None the same way): Python skips a None stream at exit, so does lufa."""
    r = _lufa(scale, overdue_ws, "rectify", "overdue", "--as-of", "2026-11-28", "--fail-if-any", "-o", str(tmp_path / "清单.csv"),
              close_fd=closed, stdout=None if closed == 1 else subprocess.PIPE)
    assert r.returncode == 5
    assert "Traceback" not in (r.stderr or "")
    assert (tmp_path / "清单.csv").read_text(encoding="utf-8-sig").count("\n") == 2  # the header and the overdue notice


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("fail_if_any", [False, True], ids=["plain", "fail-if-any"])
def test_output_that_cannot_be_written_is_said_in_chinese_with_exit_code_6(overdue_ws, fail_if_any, scale) -> None:
    """`lufa rectify overdue --format json > 清单.json` on a full disk: the output waits in stdout's
    buffer until the end, and the last flush fails. Python would print an English "Exception
    ignored … OSError" and exit 120; with --fail-if-any the province-scale exit once ended 5, as if
    the list had been written."""
    args = ["rectify", "overdue", "--as-of", "2026-11-28", "--format", "json"] + (["--fail-if-any"] if fail_if_any else [])
    with open("/dev/full", "w") as full:
        r = _lufa(scale, overdue_ws, *args, stdout=full, buffered=True)
    assert r.returncode == 6
    assert r.stderr.endswith("错误：输出未能全部写出：磁盘空间不足\n"), r.stderr
    assert not any(word in r.stderr for word in ("Exception", "Error", "Traceback")), r.stderr


def test_on_windows_einval_writing_stdout_is_a_reader_gone_away_elsewhere_it_is_not(monkeypatch) -> None:
    """CPython issue 79935: on Windows a write to a pipe whose reader has gone may fail with EINVAL
    instead of BrokenPipeError (`lufa inspect list | more`, quit early)."""
    import errno

    from lufa_cli.cli import common
    from lufa_cli.errors import ReaderGone

    class Gone:
        def isatty(self) -> bool:
            return False

        def write(self, text: str) -> int:
            raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(sys, "stdout", Gone())
    monkeypatch.setattr(common, "WINDOWS", True)
    with pytest.raises(ReaderGone):
        common.write_stdout("名单\n")
    monkeypatch.setattr(common, "WINDOWS", False)
    with pytest.raises(OSError) as exc:  # on POSIX, EINVAL is some other failure: reported as such
        common.write_stdout("名单\n")
    assert exc.value.errno == errno.EINVAL


def _without(fd: int, args: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess:
    """`lufa ARGS` in a real process started without file descriptor `fd` (`>&-`, `2>&-`, `<&-`;
    on Windows pythonw has no standard streams the same way)."""
    env = {k: v for k, v in os.environ.items() if k != "LUFA_DATA"}
    return subprocess.run([sys.executable, "-m", "lufa_cli", *args], cwd=cwd, env=env, text=True, timeout=120,
                          stdout=None if fd == 1 else subprocess.PIPE, stderr=None if fd == 2 else subprocess.PIPE,
                          stdin=None if fd == 0 else subprocess.DEVNULL, preexec_fn=lambda: os.close(fd))


@pytest.mark.skipif(os.name != "posix", reason="closes a standard file descriptor in the child")
@pytest.mark.parametrize("args", [["check", "--format", "json"], ["where"], ["units", "--format", "xlsx"], ["units"]])
def test_without_a_stdout_the_output_is_dropped_as_print_drops_it(args) -> None:
    """Python's print (and Rich) write nothing when there is no stdout; plain output and xlsx bytes
    once failed there with 程序内部错误 (exit code 70)."""
    r = _without(1, args)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "内部错误" not in r.stderr


@pytest.mark.skipif(os.name != "posix", reason="closes a standard file descriptor in the child")
def test_without_a_stderr_the_bundled_data_note_is_dropped() -> None:
    r = _without(2, ["check", "--format", "json"])
    assert r.returncode == 0 and '"ok": true' in r.stdout


@pytest.mark.skipif(os.name != "posix", reason="closes a standard file descriptor in the child")
def test_init_without_a_stdin_asks_nothing(tmp_path) -> None:
    r = _without(0, ["init", str(tmp_path / "工作区")])
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "工作区" / "data" / "settings.yaml").is_file()


def test_a_question_without_a_stdin_says_how_to_confirm(monkeypatch) -> None:
    """input() without any stdin raises RuntimeError (lost sys.stdin), not EOFError."""
    from lufa_cli.cli.common import ask_yes_no
    from lufa_cli.errors import UsageError

    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(UsageError, match="没有得到确认（没有可读的输入）；不在终端上运行时请加 --yes"):
        ask_yes_no("下达吗", default=False)


def test_on_windows_einval_under_a_rich_table_is_a_reader_gone_away_elsewhere_it_is_not(monkeypatch) -> None:
    """`lufa units | more` on Windows, quit early: Rich's write fails with EINVAL, which Rich does
    not take for a broken pipe (CPython issue 79935); lufa does, for a write of Rich's."""
    import errno

    from lufa_cli.cli import common, i18n
    from lufa_cli.errors import ReaderGone
    from lufa_cli.render.terminal import SafeConsole

    i18n.install()  # as main does: Rich's Console is patched when it is imported

    class Gone:
        def write(self, text: str) -> int:
            raise OSError(errno.EINVAL, "Invalid argument")

        def flush(self) -> None:
            pass

        def isatty(self) -> bool:
            return False

    con = SafeConsole(file=Gone(), highlight=False)
    monkeypatch.setattr(common, "WINDOWS", True)
    with pytest.raises(ReaderGone):
        con.print("单位名册")
    monkeypatch.setattr(common, "WINDOWS", False)
    con = SafeConsole(file=Gone(), highlight=False)
    with pytest.raises(OSError) as exc:
        con.print("单位名册")
    assert exc.value.errno == errno.EINVAL


@pytest.mark.skipif(os.name != "posix", reason="Windows does not let a process's current directory be deleted")
def test_a_deleted_current_directory_is_named(tmp_path) -> None:
    """Finding the workspace and showing paths start from the current directory: once it has been
    deleted, the run says so instead of 文件操作失败：文件或目录不存在 without a file name."""
    here = tmp_path / "已删除"
    here.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "LUFA_DATA"}
    r = subprocess.run([sys.executable, "-m", "lufa_cli", "check"], cwd=here, env=env, capture_output=True, text=True,
                       timeout=120, preexec_fn=lambda: os.rmdir(here))  # runs after the child's chdir
    assert (r.returncode, r.stderr) == (6, "错误：当前目录已不存在（被删除或移走了）：请先进入一个存在的目录再运行\n")
