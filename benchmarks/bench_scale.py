"""Province-scale timing: `lufa check`, `rectify overdue`, `score report` on 1k and 10k units.

    uv run python benchmarks/bench_scale.py                  # sizes 1000,10000; median of 3
    uv run python benchmarks/bench_scale.py --runs 5 --sizes 1000,5000,10000
    uv run python benchmarks/bench_scale.py --rebuild        # regenerate the workspaces

The workspaces come from benchmarks/synth.py (seed 1) and are cached under
benchmarks/results/ (git-ignored); they are rebuilt when synth.py changes. Every
measurement is a fresh interpreter (`python -m lufa_cli --data WS/data …`, stdout
discarded), as a clerk's terminal would run it: wall time is the median of --runs,
peak RSS is the child's maximum resident set size (/usr/bin/time %M, else os.wait4),
the largest over the runs. One
unmeasured warm-up run per command checks the exit code and fills the disk cache.

Bytecode: this sandbox sets PYTHONDONTWRITEBYTECODE=1 and nothing is precompiled, so
every process would compile lufa, typer, rich and pydantic from source (~0.1–0.2 s).
An installed tool has its .pyc files, so by default the children write and reuse them
under benchmarks/results/pycache (PYTHONPYCACHEPREFIX); --no-pyc-cache keeps the
environment as it is. The floor `python -c "import typer, pydantic, yaml"` is measured
the same way in the same run.

Targets (issue): growth 10k/1k linear or better (≤ 10×), 10k units under 3 s per
command, peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

COMMANDS = {
    "check": ["check"],
    "rectify overdue": ["rectify", "overdue", "--as-of", "2026-12-31"],
    "score report (json)": ["score", "report", "--year", "2026", "--as-of", "2026-12-31", "--format", "json"],
}
FLOOR = "floor: import typer, pydantic, yaml"
TIME = "/usr/bin/time" if Path("/usr/bin/time").is_file() else None  # GNU time, for peak RSS
TARGET_SECONDS = 3.0
TARGET_MB = 500


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {platform.machine()}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def workspace(units: int, seed: int, rebuild: bool, notices: int | None = None) -> Path:
    """benchmarks/results/ws-<units>[-n<notices>]-s<seed>, rebuilt when synth.py changed."""
    folder = RESULTS / (f"ws-{units}-s{seed}" if notices is None else f"ws-{units}-n{notices}-s{seed}")
    stamp = folder / "synth.json"
    digest = hashlib.sha256((HERE / "synth.py").read_bytes()).hexdigest()[:16]
    if not rebuild and stamp.is_file():
        try:
            if json.loads(stamp.read_text())["synth"] == digest:
                return folder
        except (ValueError, KeyError):
            pass
    print(f"building {folder.relative_to(REPO)} …", flush=True)
    counts = synth.build(folder, units, seed, notices, force=True)
    stamp.write_text(json.dumps({"synth": digest, **counts}, ensure_ascii=False, indent=2))
    return folder


def child_env(pyc_cache: bool) -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("LUFA_DATA", None)
    if pyc_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(RESULTS / "pycache")
    return env


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in KB) of one fresh process.

    Peak RSS comes from /usr/bin/time (`%M`) when it exists: on Linux a child's
    ru_maxrss starts from its parent's high-water mark at fork, so os.wait4 on a child
    of this (larger) process would report this process's size for small commands.
    """
    with tempfile.TemporaryDirectory() as tmp:
        err_path, rss_path = Path(tmp) / "stderr", Path(tmp) / "rss"
        full = [TIME, "-f", "%M", "-o", str(rss_path), *cmd] if TIME else cmd
        with err_path.open("wb") as stderr:  # a file, not a pipe: a chatty child cannot block
            t0 = time.perf_counter()
            proc = subprocess.Popen(full, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err = err_path.read_bytes().decode("utf-8", "replace")
            raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}:\n{err[-2000:]}")
        rss = int(rss_path.read_text().split()[-1]) if TIME else usage.ru_maxrss
    return wall, rss


def measure(cmd: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    run_once(cmd, env)  # warm-up: exit code, disk cache, bytecode cache
    walls, peaks = [], []
    for _ in range(runs):
        wall, rss = run_once(cmd, env)
        walls.append(wall)
        peaks.append(rss)
    return {"seconds": statistics.median(walls), "min": min(walls), "max": max(walls), "rss_mb": max(peaks) / 1024}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="lufa at province scale (see the module docstring)")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated unit counts (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=3, help="measured runs per command (median; default 3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rebuild", action="store_true", help="regenerate the cached workspaces")
    ap.add_argument("--no-pyc-cache", action="store_true", help="do not let the children cache bytecode")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = child_env(not args.no_pyc_cache)
    print(f"machine: {machine()}")
    print(f"runs: median of {args.runs} fresh processes after one warm-up; bytecode cache: {'off' if args.no_pyc_cache else 'on'}")

    spaces = {n: workspace(n, args.seed, args.rebuild) for n in sizes}
    for n, folder in spaces.items():
        info = json.loads((folder / "synth.json").read_text())
        print(f"  {n:>6} units: {info['inspections']} inspections, {info['notices']} notices, "
              f"{info['selfchecks']} self-checks, {sum(1 for _ in (folder / 'data' / 'records').rglob('*.yaml'))} record files")

    results: dict[str, dict[int, dict[str, float]]] = {}
    floor = measure([sys.executable, "-c", "import typer, pydantic, yaml"], env, max(args.runs, 5))
    results[FLOOR] = {0: floor}
    for name, argv_ in COMMANDS.items():
        results[name] = {}
        for n, folder in spaces.items():
            cmd = [sys.executable, "-m", "lufa_cli", "--data", str(folder / "data"), *argv_]
            results[name][n] = measure(cmd, env, args.runs)
            print(f"  {name:<22} {n:>6} units  {results[name][n]['seconds']:6.2f} s  {results[name][n]['rss_mb']:6.0f} MB", flush=True)

    small, big = min(sizes), max(sizes)
    print()
    head = f"{'command':<38}" + "".join(f"{f'{n // 1000}k s':>9}{f'{n // 1000}k MB':>9}" for n in sizes)
    if len(sizes) > 1:
        head += f"{f'{big // small}x data: time':>18}{'memory':>8}"
    print(head + f"{'targets':>10}")
    print(f"{FLOOR:<38}{floor['seconds']:9.2f}{floor['rss_mb']:9.0f}")
    for name in COMMANDS:
        row = f"{name:<38}" + "".join(f"{results[name][n]['seconds']:9.2f}{results[name][n]['rss_mb']:9.0f}" for n in sizes)
        ok = []
        if len(sizes) > 1:
            t_ratio = results[name][big]["seconds"] / results[name][small]["seconds"]
            m_ratio = results[name][big]["rss_mb"] / results[name][small]["rss_mb"]
            row += f"{t_ratio:17.2f}x{m_ratio:7.2f}x"
            ok.append("lin" if t_ratio <= big / small else "LIN!")
        ok.append("3s" if results[name][big]["seconds"] < TARGET_SECONDS else "3s!")
        ok.append("mem" if results[name][big]["rss_mb"] < TARGET_MB else "MEM!")
        print(row + f"{' '.join(ok):>14}")
    print("targets: lin = growth no worse than linear; 3s = largest size under 3 s; mem = under 500 MB (! = missed)")

    out = RESULTS / "bench_scale.json"
    out.write_text(json.dumps({
        "machine": machine(), "runs": args.runs, "pyc_cache": not args.no_pyc_cache, "date": time.strftime("%Y-%m-%d %H:%M"),
        "results": {k: {str(n): v for n, v in r.items()} for k, r in results.items()},
    }, ensure_ascii=False, indent=2))
    print(f"raw figures: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
