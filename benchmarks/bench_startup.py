"""Cold-start wall time of lufa commands next to the import floor.

Usage:  uv run python benchmarks/bench_startup.py [--runs 15]

Each command runs in a fresh interpreter (as a clerk's terminal would), output
discarded; the figure is the median wall time. The floor is
`python -c "import typer, pydantic, yaml"`, the libraries every command needs.

Bytecode: this sandbox sets PYTHONDONTWRITEBYTECODE=1, so by default every process
would recompile lufa's own modules (an installed tool has them compiled once). The
children therefore cache bytecode under benchmarks/results/pycache, for the floor and
for lufa alike; --no-pyc-cache measures the uncached case.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

COMMANDS = {
    "floor: import typer, pydantic, yaml": [sys.executable, "-c", "import typer, pydantic, yaml"],
    "lufa --help": [sys.executable, "-m", "lufa_cli", "--help"],
    "lufa plan week --date 2021-04-12": [sys.executable, "-m", "lufa_cli", "plan", "week", "--date", "2021-04-12"],
    "lufa check": [sys.executable, "-m", "lufa_cli", "check"],
}


CACHE = REPO / "benchmarks" / "results" / "pycache"


def timed(cmd: list[str], runs: int, pyc_cache: bool = True) -> list[float]:
    env = {**os.environ, "COLUMNS": "100"}
    if pyc_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(CACHE)
    subprocess.run(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, check=True)  # warm the disk cache
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--no-pyc-cache", action="store_true", help="recompile every module in every run")
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {args.runs} runs each")
    floor = None
    for name, cmd in COMMANDS.items():
        t = statistics.median(timed(cmd, args.runs, not args.no_pyc_cache)) * 1000
        floor = floor or t
        print(f"{name:<40} {t:7.0f} ms   {t / floor:4.2f}x floor")


if __name__ == "__main__":
    main()
