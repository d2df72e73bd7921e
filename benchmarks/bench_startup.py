"""Cold-start wall time of small lufa commands next to two floors, on compiled bytecode.

    uv run python benchmarks/bench_startup.py               # 15 runs each, median
    uv run python benchmarks/bench_startup.py --runs 31
    uv run python benchmarks/bench_startup.py --source-only  # also: every .pyc hidden

Each command is a fresh process (as a clerk's terminal runs it), output discarded, on the
bundled 55-unit data (cwd = the repository, so `data/` is found); lufa is started through
its console script (`.venv/bin/lufa`), as installed. Two floors, measured in the same run:

* `python -c "import typer, pydantic, yaml"` — the libraries every command needs;
* a one-command Typer app importing pydantic and yaml with one model
  (`benchmarks/floor_app.py`) — what any Typer + Pydantic tool pays (Typer 0.29 builds
  Pydantic adapters for its parameters).

Goals (issue 12): `plan week`, `check`, `status` ≤ 1.3× the Typer-app floor, `--help`
≤ 1.6×. The runs of all commands are interleaved (round-robin), so a burst of load on
this shared machine hits every figure alike. Bytecode: see benchlib.py (compileall into
the environment before measuring; --source-only adds the figures with every .pyc hidden).
The last lines are a Markdown table ready for the README.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

from benchlib import HERE, REPO, base_env, compile_bytecode, machine, run, source_only_env

PY = sys.executable
LUFA = str(Path(PY).parent / "lufa")  # the console script, as installed
FLOOR_IMPORT = "floor: `import typer, pydantic, yaml`"
FLOOR_APP = "floor: one-command Typer app (`floor_app.py`)"
COMMANDS: dict[str, tuple[list[str], float | None]] = {
    FLOOR_IMPORT: ([PY, "-c", "import typer, pydantic, yaml"], None),
    FLOOR_APP: ([PY, str(HERE / "floor_app.py"), "--date", "2021-04-12"], None),
    "`lufa --help`": ([LUFA, "--help"], 1.6),
    "`lufa plan week --date 2021-04-12`": ([LUFA, "plan", "week", "--date", "2021-04-12"], 1.3),
    "`lufa check`": ([LUFA, "check"], 1.3),
    "`lufa status --as-of 2021-04-12`": ([LUFA, "status", "--as-of", "2021-04-12"], 1.3),
}


def measure(env: dict[str, str], runs: int) -> dict[str, float]:
    for cmd, _ in COMMANDS.values():  # warm-up: exit code, disk cache
        run(cmd, env, REPO)
    walls: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, (cmd, _) in COMMANDS.items():
            walls[name].append(run(cmd, env, REPO)[0])
    return {name: statistics.median(w) * 1000 for name, w in walls.items()}


def table(ms: dict[str, float], title: str) -> list[str]:
    imp, app = ms[FLOOR_IMPORT], ms[FLOOR_APP]
    rows = [f"| {title} | ms | × import floor | × Typer-app floor | goal |", "|---|---:|---:|---:|---|"]
    for name, (_, goal) in COMMANDS.items():
        verdict = "" if goal is None else f"≤ {goal}×: {'met' if ms[name] / app <= goal else '**missed**'}"
        rows.append(f"| {name} | {ms[name]:.0f} | {ms[name] / imp:.2f} | {ms[name] / app:.2f} | {verdict} |")
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="lufa start-up next to two floors (see the module docstring)")
    ap.add_argument("--runs", type=int, default=15, help="measured runs per command (median; default 15)")
    ap.add_argument("--source-only", action="store_true", help="also measure with every .pyc hidden")
    args = ap.parse_args(argv)
    if not Path(LUFA).is_file():
        raise SystemExit(f"{LUFA} not found: run `uv sync` first")
    print(f"machine: {machine()}")
    print(compile_bytecode())
    print(f"median of {args.runs} interleaved runs per command, after one warm-up run each\n")
    env = base_env()
    lines = table(measure(env, args.runs), "start-up (bytecode compiled)")
    if args.source_only:
        hidden = source_only_env(env)
        try:
            lines += ["", *table(measure(hidden, args.runs), "start-up (no .pyc: all compiled from source)")]
        finally:
            shutil.rmtree(hidden["PYTHONPYCACHEPREFIX"], ignore_errors=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
