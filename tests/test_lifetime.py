"""A province-scale run keeps what it built to the end and ends without freeing it (lufa_cli.reading.lifetime)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO


def test_what_a_province_scale_run_built_is_frozen_and_held_small_ones_are_not(monkeypatch) -> None:
    """keep_to_the_end (load_records, rectify overdue, score report) freezes and holds only at province
    scale (≥ 5,000 records), so the test suite's many in-process runs freeze and hold nothing."""
    import gc

    from lufa_cli.reading import lifetime

    calls: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(1))
    monkeypatch.setattr(lifetime, "_kept", [])
    big = object()
    lifetime.keep_to_the_end(4_999, big)
    assert calls == [] and not lifetime.holding()
    lifetime.keep_to_the_end(5_000, big)
    assert calls == [1] and lifetime.holding() and lifetime._kept == [(big,)]


def _script(records: int, exit_with: str) -> str:
    """The console script's `run` with a stand-in `main` that keeps an object whose finalizer
    says when it is freed, registers an atexit handler, waits for its stdin to close, leaves
    output buffered and exits with `exit_with`."""
    return (
        "import atexit, sys\n"
        "import lufa_cli.cli.app as app\n"
        "from lufa_cli.reading.lifetime import keep_to_the_end\n"
        "class Big:\n"
        "    def __del__(self):\n"
        "        sys.stderr.write('freed\\n')\n"
        "def main(resume_gc=False):\n"
        f"    keep_to_the_end({records}, Big())\n"
        "    atexit.register(lambda: sys.stderr.write('atexit\\n'))\n"
        "    sys.stdin.read()\n"
        "    sys.stdout.write('output')\n"
        f"    sys.exit({exit_with})\n"
        "app.main = main\n"
        "from lufa_cli.__main__ import run\n"
        "run()\n"
    )


def _run(records: int, exit_with: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _script(records, exit_with)], cwd=REPO, capture_output=True, text=True, input="")


@pytest.mark.parametrize(("exit_with", "status", "err"), [("5", 5, ""), ("None", 0, ""), ("'文书未生成'", 1, "文书未生成\n")])
def test_a_province_scale_run_ends_without_freeing_what_it_held_as_exit_would_otherwise(exit_with, status, err) -> None:
    r = _run(5_000, exit_with)
    assert (r.returncode, r.stdout, r.stderr) == (status, "output", err + "atexit\n")  # never "freed"


def test_a_small_run_ends_as_python_ends_it() -> None:
    r = _run(4_999, "5")
    assert (r.returncode, r.stdout, r.stderr) == (5, "output", "freed\natexit\n")


def test_a_reader_gone_away_at_a_province_scale_exit_ends_with_141_and_no_message() -> None:
    """`lufa check | head`: the output still buffered cannot be written; no message, exit code 141."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # the output stays buffered to the end
    child = subprocess.Popen([sys.executable, "-c", _script(5_000, "3")], cwd=REPO, env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.close()  # the reader goes away before the run writes anything
    _, err = child.communicate(b"go")
    assert (child.returncode, err.decode()) == (141, "atexit\n")
