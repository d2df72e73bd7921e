"""What the benchmarks share: compiled bytecode, one measured fresh process, the machine line.

Bytecode. An installed tool runs from compiled `.pyc` files (`uv tool install
--compile-bytecode`). `uv sync` compiles site-packages ([tool.uv] compile-bytecode), but
the editable src/lufa_cli is not in site-packages and this sandbox sets
PYTHONDONTWRITEBYTECODE=1, so lufa's own modules would be compiled from source in every
process (with nothing compiled, issue 12 measured about +0.45 s a start).
`compile_bytecode()` therefore runs `compileall` once over the environment's
site-packages and src/lufa_cli (in place, the normal `__pycache__` folders, skipped when
up to date); the children keep PYTHONDONTWRITEBYTECODE (it only stops writing; existing
`.pyc` files are read), so every process measured, floors included, runs what an
installed tool runs. `source_only_env()` is the opposite case: an empty
PYTHONPYCACHEPREFIX hides every `.pyc` (stdlib included).

Peak memory. `run()` starts a small launcher (`python -S`, ~9 MB) that forks and execs
the command and reads `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` after it exits.
The launcher is needed because on Linux a child's ru_maxrss starts from its parent's
resident size at fork: measured straight from the benchmark process (which may hold a
whole synthetic workspace) small commands would report the benchmark's size.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

_LAUNCHER = r"""
import os, resource, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status = os.waitpid(pid, 0)
wall = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(out, "w") as f:
    f.write(f"{wall} {rss} {os.waitstatus_to_exitcode(status)}")
"""


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), {platform.machine()}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def compile_bytecode() -> str:
    """Compile site-packages and lufa's sources in place; returns a line for the report."""
    paths = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], str(REPO / "src" / "lufa_cli")})
    proc = subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *paths],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # compileall exits 1 when some file in site-packages does not compile (test data of
    # third-party packages); only lufa's own sources must all compile
    own = subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "lufa_cli")],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if own.returncode != 0:
        raise SystemExit(f"compileall failed on src/lufa_cli:\n{own.stdout}")
    note = "" if proc.returncode == 0 else " (some third-party files did not compile; they are never imported)"
    return f"bytecode: compiled with compileall into site-packages and src/lufa_cli{note}"


def base_env() -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("LUFA_DATA", None)
    env.pop("LUFA_NO_CACHE", None)  # the cache modes are chosen per figure (bench_scale.py)
    env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def source_only_env(env: dict[str, str]) -> dict[str, str]:
    """No .pyc is found (an empty prefix folder) and none is written."""
    prefix = Path(tempfile.mkdtemp(prefix="lufa-bench-nopyc-"))
    return {**env, "PYTHONPYCACHEPREFIX": str(prefix), "PYTHONDONTWRITEBYTECODE": "1"}


def run(cmd: list[str], env: dict[str, str], cwd: Path, *, ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one fresh process; stdout discarded, stderr kept for errors."""
    with tempfile.TemporaryDirectory() as tmp:
        result, err_path = Path(tmp) / "result", Path(tmp) / "stderr"
        with err_path.open("wb") as err:  # a file, not a pipe: a chatty child cannot block
            subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, str(result), *cmd],
                           cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err, check=True)
        wall, rss, code = result.read_text().split()
        if int(code) not in ok_codes:
            text = err_path.read_bytes().decode("utf-8", "replace")
            raise SystemExit(f"{' '.join(cmd)} exited with {code}:\n{text[-2000:]}")
    return float(wall), int(rss) / 1024
