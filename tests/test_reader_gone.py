"""A reader that goes away (`lufa check | head`) ends a run quietly with exit code 141, not Python's
English "Exception ignored … BrokenPipeError" (120) nor Typer's or Rich's exit code 1 (lufa's
code for wrong data)."""

from __future__ import annotations

import os
import subprocess
import sys

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
