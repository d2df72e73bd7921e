"""Province scale: lufa's `check`, `rectify overdue`, `score report` at 1k and 10k units,
next to beancount's `bean-check` on a 35,000-transaction ledger, in one run.

    uv run python benchmarks/bench_scale.py --bean-venv /tmp/beanvenv      # creates it when missing
    uv run python benchmarks/bench_scale.py --bean-check /tmp/beanvenv/bin/bean-check
    LUFA_BENCH_BEAN_CHECK=/tmp/beanvenv/bin/bean-check uv run python benchmarks/bench_scale.py
    uv run python benchmarks/bench_scale.py --runs 5 --sizes 1000,5000,10000 --rebuild

beancount is not a dependency of lufa: it lives in a throwaway environment. `--bean-venv DIR`
uses DIR's bean-check, first creating DIR when it has none: `uv venv --python <this Python>
DIR` and `uv pip install --python DIR beancount==3.2.3` (without uv: `python -m venv DIR` and
`DIR/bin/python -m pip install beancount==3.2.3`), the version of the README's figures, on
the same Python as lufa. Or pass any `bean-check` (--bean-check, LUFA_BENCH_BEAN_CHECK, or
on PATH). Without one the beancount column is skipped with a message and everything else is
measured. The 35,000-transaction ledger is written by beanledger.py (seed 1) on first use.

Workspaces: benchmarks/synth.py (seed 1), cached under benchmarks/results/ (git-ignored),
rebuilt when synth.py or the bundled templates change; the ledger: benchmarks/beanledger.py, likewise. Before any
timing, `lufa check --format json` must report 0 problems (errors and warnings) on every
workspace, and `bean-check` must pass the ledger: the benchmark measures clean data.

Every figure is a fresh process (stdout discarded), one unmeasured warm-up run first;
then --runs rounds over all figures in turn (so a burst of load on this shared machine
hits every figure alike); wall time is the median, peak memory the largest ru_maxrss
(benchlib.run).
lufa runs with cwd = the workspace folder (its output/ is the workspace's own).

Records cache. When lufa has a `--no-cache` option (issue 12, item 3), each lufa command
is measured three ways: `no cache` (--no-cache: today's path), `cold` (cache empty: a
emptied XDG_CACHE_HOME (results/lufa-cache-N) and no output/ before every run, so the run builds
it) and `warm` (cache filled by the previous run). Without the option there is one way,
`no cache`. bean-check: `cold` is `--no-cache` (on a byte-identical copy of the ledger:
`--no-cache` deletes the ledger's cache file), `warm` its pickle cache
(`.<ledger>.picklecache`, filled by the warm-up run).

Goals (issue 12): warm ≤ 1.0× warm bean-check at the largest size; cold ≤ 1.1× no cache;
growth from the smallest to the largest size ≤ linear (10× for 1k → 10k); peak memory
< 500 MB. The last lines are a Markdown table ready for the README; raw figures go to
benchmarks/results/bench_scale.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import beanledger
import synth
from benchlib import HERE, REPO, base_env, compile_bytecode, machine, run

RESULTS = HERE / "results"
PY = sys.executable
LUFA = str(Path(PY).parent / "lufa")
COMMANDS = {
    "check": ["check"],
    "rectify overdue": ["rectify", "overdue", "--as-of", "2026-12-31"],
    "score report (json)": ["score", "report", "--year", "2026", "--as-of", "2026-12-31", "--format", "json"],
}
FLOORS = {
    "floor: `import typer, pydantic, yaml`": [PY, "-c", "import typer, pydantic, yaml"],
    "floor: one-command Typer app": [PY, str(HERE / "floor_app.py"), "--date", "2021-04-12"],
}
TARGET_MB = 500


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def source_stamp() -> str:
    """What a synthetic workspace is made from: synth.py and the bundled templates it copies."""
    h = hashlib.sha256(digest(HERE / "synth.py").encode())
    for p in sorted((REPO / "templates").iterdir()):
        h.update(f"{p.name}:{digest(p) if p.is_file() else ''};".encode())
    return h.hexdigest()[:16]


def workspace(units: int, seed: int, rebuild: bool, notices: int | None = None) -> Path:
    """benchmarks/results/ws-<units>[-n<notices>]-s<seed>, rebuilt when synth.py or the bundled templates changed."""
    folder = RESULTS / (f"ws-{units}-s{seed}" if notices is None else f"ws-{units}-n{notices}-s{seed}")
    stamp = folder / "synth.json"
    if not rebuild and stamp.is_file():
        try:
            if json.loads(stamp.read_text())["synth"] == source_stamp():
                return folder
        except (ValueError, KeyError):
            pass
    print(f"building {folder.relative_to(REPO)} …", flush=True)
    counts = synth.build(folder, units, seed, notices, force=True)
    stamp.write_text(json.dumps({"synth": source_stamp(), **counts}, ensure_ascii=False, indent=2))
    return folder


def ledger(transactions: int, seed: int, rebuild: bool) -> Path:
    path = RESULTS / f"ledger-{transactions}-s{seed}.beancount"
    stamp = path.with_suffix(".json")
    want = digest(HERE / "beanledger.py")
    if rebuild or not stamp.is_file() or json.loads(stamp.read_text()).get("beanledger") != want:
        print(f"building {path.relative_to(REPO)} …", flush=True)
        counts = beanledger.build(path, transactions, seed)
        stamp.write_text(json.dumps({"beanledger": want, **counts}, indent=2))
    return path


def assert_clean(folder: Path, env: dict[str, str]) -> None:
    """`lufa check` on the workspace: 0 errors, 0 warnings, or no timing at all."""
    proc = subprocess.run([LUFA, "--data", str(folder / "data"), "check", "--format", "json"],
                          cwd=folder, env=env, capture_output=True, text=True)
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        raise SystemExit(f"lufa check on {folder} did not print JSON (exit {proc.returncode}):\n"
                         f"{proc.stderr[-2000:]}") from None
    problems = report.get("problems", [])
    if proc.returncode != 0 or not report.get("ok") or problems:
        kinds = {s: sum(p["severity"] == s for p in problems) for s in {p["severity"] for p in problems}}
        shown = "\n".join(f"  {p['path']}:{p['line']}:{p['col']}: {p['message']}" for p in problems[:5])
        raise SystemExit(f"{folder} is not clean (exit {proc.returncode}, {kinds}); fix synth.py:\n{shown}")


def lufa_cache_style(env: dict[str, str]) -> str | None:
    """'global' (lufa --no-cache CMD), 'command' (lufa CMD --no-cache) or None (no cache yet)."""
    def helps(*args: str) -> bool:
        return "--no-cache" in subprocess.run([LUFA, *args, "--help"], env=env, capture_output=True, text=True).stdout
    return "global" if helps() else "command" if helps("check") else None


class Job:
    """One figure: a command measured --runs times; `before` runs before each run (cache clearing)."""

    def __init__(self, cmd: list[str], env: dict[str, str], cwd: Path, before: Callable[[], None] | None = None):
        self.cmd, self.env, self.cwd, self.before = cmd, env, cwd, before
        self.walls: list[float] = []
        self.peaks: list[float] = []

    def once(self, keep: bool = True) -> None:
        if self.before:
            self.before()
        wall, mb = run(self.cmd, self.env, self.cwd)
        if keep:
            self.walls.append(wall)
            self.peaks.append(mb)

    def result(self) -> dict[str, float]:
        return {"seconds": statistics.median(self.walls), "min": min(self.walls), "max": max(self.walls),
                "mb": max(self.peaks)}


def measure_all(jobs: dict[str, Job], runs: int) -> dict[str, dict[str, float]]:
    """One unmeasured warm-up run per job (exit code, disk cache, caches filled), then `runs`
    rounds over all jobs in order: load on this shared machine hits every figure alike."""
    for job in jobs.values():
        job.once(keep=False)
    for r in range(runs):
        t0 = time.perf_counter()
        for job in jobs.values():
            job.once()
        print(f"  round {r + 1}/{runs}: {time.perf_counter() - t0:.0f} s", flush=True)
    return {name: job.result() for name, job in jobs.items()}


BEANCOUNT = "beancount==3.2.3"  # the version of the README's figures


def bean_venv(folder: Path) -> str:
    """DIR's bean-check; the throwaway environment is created first when it has none."""
    bindir = folder / ("Scripts" if os.name == "nt" else "bin")
    exe, py = bindir / ("bean-check.exe" if os.name == "nt" else "bean-check"), bindir / "python"
    if exe.is_file():
        return str(exe)
    uv = shutil.which("uv")
    steps = ([[uv, "venv", "--python", sys.executable, str(folder)], [uv, "pip", "install", "--python", str(py), BEANCOUNT]]
             if uv else [[sys.executable, "-m", "venv", str(folder)], [str(py), "-m", "pip", "install", BEANCOUNT]])
    for step in steps:
        print("  $ " + " ".join(step), flush=True)
        subprocess.run(step, check=True)
    return str(exe)


def find_bean_check(given: str | None) -> tuple[str | None, str]:
    cand = given or os.environ.get("LUFA_BENCH_BEAN_CHECK") or shutil.which("bean-check")
    if not cand:
        return None, ("beancount column skipped: no bean-check given (--bean-venv DIR, --bean-check PATH "
                      "or LUFA_BENCH_BEAN_CHECK)")
    if not Path(cand).is_file() or not os.access(cand, os.X_OK):
        return None, f"beancount column skipped: {cand} is not an executable file"
    proc = subprocess.run([cand, "--version"], capture_output=True, text=True)
    if proc.returncode != 0:
        return None, f"beancount column skipped: `{cand} --version` failed: {proc.stderr.strip()[-300:]}"
    return cand, f"bean-check: {cand} ({proc.stdout.strip() or proc.stderr.strip()})"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="lufa at province scale next to bean-check (see the module docstring)")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated unit counts (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=3, help="measured runs per figure (median; default 3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rebuild", action="store_true", help="regenerate the cached workspaces and ledger")
    ap.add_argument("--bean-check", help="path of beancount's bean-check (else LUFA_BENCH_BEAN_CHECK, else PATH)")
    ap.add_argument("--bean-venv", type=Path, metavar="DIR",
                    help=f"use DIR/bin/bean-check, creating the environment with {BEANCOUNT} when missing")
    ap.add_argument("--transactions", type=int, default=35000, help="ledger size (default 35000)")
    args = ap.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    small, big = sizes[0], sizes[-1]
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = base_env()
    print(f"machine: {machine()}")
    print(compile_bytecode())
    print(f"runs: median of {args.runs} fresh processes after one warm-up run")
    if args.bean_venv is not None and args.bean_check is None:
        args.bean_check = bean_venv(args.bean_venv)
    bean, bean_note = find_bean_check(args.bean_check)
    print(bean_note)

    spaces = {n: workspace(n, args.seed, args.rebuild) for n in sizes}
    for n, folder in spaces.items():
        assert_clean(folder, env)
        info = json.loads((folder / "synth.json").read_text())
        files = sum(1 for _ in (folder / "data" / "records").rglob("*.yaml"))
        print(f"  {n:>6} units: {info['inspections']} inspections, {info['notices']} notices, "
              f"{info['selfchecks']} self-checks, {files} record files; lufa check: 0 problems, 0 warnings")

    jobs: dict[str, Job] = {name: Job(cmd, env, REPO) for name, cmd in FLOORS.items()}
    path: Path | None = None
    if bean:
        path = ledger(args.transactions, args.seed, args.rebuild)
        # `bean-check --no-cache` deletes the ledger's cache file: the cold runs read a byte-identical
        # copy, so they never empty the cache of the warm runs
        cold_copy = path.with_name(f"{path.stem}-nocache{path.suffix}")
        shutil.copyfile(path, cold_copy)
        jobs["bean-check [cold]"] = Job([bean, "--no-cache", str(cold_copy)], env, RESULTS)
        jobs["bean-check [warm]"] = Job([bean, str(path)], env, RESULTS)

    style = lufa_cache_style(env)
    modes = ["no cache", "cold", "warm"] if style else ["no cache"]
    print(f"lufa records cache: {f'--no-cache found ({style} option)' if style else 'none yet (no --no-cache option)'}")
    for name, argv_ in COMMANDS.items():
        for n, folder in spaces.items():
            cache_dir = RESULTS / f"lufa-cache-{n}"
            menv = {**env, "XDG_CACHE_HOME": str(cache_dir)}  # lufa's per-user cache folder: $XDG_CACHE_HOME/lufa

            def clear(folder: Path = folder, cache_dir: Path = cache_dir) -> None:
                shutil.rmtree(cache_dir, ignore_errors=True)
                shutil.rmtree(folder / "output", ignore_errors=True)

            for mode in modes:  # in this order: a warm run always follows the cold run that filled the cache
                flag = ["--no-cache"] if mode == "no cache" and style else []
                cmd = [LUFA, *(flag if style == "global" else []), "--data", str(folder / "data"), *argv_,
                       *(flag if style == "command" else [])]
                jobs[f"{name} [{mode}] {n}"] = Job(cmd, menv, folder, clear if mode == "cold" else None)

    print(f"{len(jobs)} figures, {args.runs} rounds …", flush=True)
    measured = measure_all(jobs, args.runs)
    results: dict[str, dict] = {name: {"": measured[name]} for name in FLOORS}
    bean_rows = {mode: measured[f"bean-check [{mode}]"] for mode in ("cold", "warm")} if bean else {}
    if path is not None and not path.with_name(f".{path.name}.picklecache").is_file():
        print("  note: bean-check wrote no pickle cache (it caches only loads over 1 s): warm = cold")
    for name in COMMANDS:
        for mode in modes:
            results[f"{name} [{mode}]"] = {n: measured[f"{name} [{mode}] {n}"] for n in sizes}
    for mode, r in bean_rows.items():
        results[f"bean-check {args.transactions} transactions [{mode}]"] = {"": r}

    # --- the table ---------------------------------------------------------------------
    k = lambda n: f"{n // 1000}k" if n % 1000 == 0 else str(n)  # noqa: E731
    bean_warm = bean_rows.get("warm", {}).get("seconds")
    bean_cold = bean_rows.get("cold", {}).get("seconds")
    head = ["", *(f"{k(n)} {u}" for n in sizes for u in ("s", "MB"))]
    if len(sizes) > 1:
        head += [f"{k(big)}/{k(small)} time", f"{k(big)}/{k(small)} MB"]
    head += [f"{k(big)} × bean-check warm", f"{k(big)} × bean-check cold", "goals"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 2) + "---|"]

    def cells(r: dict[str, float] | None) -> list[str]:
        return [f"{r['seconds']:.2f}", f"{r['mb']:.0f}"] if r else ["", ""]

    pad = (len(sizes) - 1) * 2 + (2 if len(sizes) > 1 else 0)
    for name in FLOORS:
        r = results[name][""]
        lines.append(f"| {name} | " + " | ".join(cells(r) + [""] * pad
                     + [f"{r['seconds'] / bean_warm:.2f}" if bean_warm else "",
                        f"{r['seconds'] / bean_cold:.2f}" if bean_cold else "", ""]) + " |")
    for mode, r in bean_rows.items():
        how = "its pickle cache" if mode == "warm" else "--no-cache"
        label = f"`bean-check` {args.transactions:,} transactions, {how}"
        lines.append(f"| {label} | " + " | ".join(cells(r) + [""] * pad
                     + [f"{r['seconds'] / bean_warm:.2f}", f"{r['seconds'] / bean_cold:.2f}", ""]) + " |")
    for name in COMMANDS:
        for mode in modes:
            rs = results[f"{name} [{mode}]"]
            row = [f"`{name}` {mode}", *(c for n in sizes for c in cells(rs[n]))]
            goals = []
            if len(sizes) > 1:
                t_ratio = rs[big]["seconds"] / rs[small]["seconds"]
                row += [f"{t_ratio:.2f}×", f"{rs[big]['mb'] / rs[small]['mb']:.2f}×"]
                goals.append(f"growth ≤ {big / small:g}×: {'met' if t_ratio <= big / small else 'MISSED'}")
            row += [f"{rs[big]['seconds'] / bean_warm:.2f}" if bean_warm else "—",
                    f"{rs[big]['seconds'] / bean_cold:.2f}" if bean_cold else "—"]
            goals.append(f"< {TARGET_MB} MB: {'met' if rs[big]['mb'] < TARGET_MB else 'MISSED'}")
            if mode == "warm" and bean_warm:
                goals.append(f"≤ 1.0× bean-check warm: {'met' if rs[big]['seconds'] <= bean_warm else 'MISSED'}")
            if mode == "cold":
                ratio = rs[big]["seconds"] / results[f"{name} [no cache]"][big]["seconds"]
                goals.append(f"cold {ratio:.2f}× no cache (≤ 1.1×): {'met' if ratio <= 1.1 else 'MISSED'}")
            lines.append("| " + " | ".join([*row, "; ".join(goals)]) + " |")
    print()
    if not bean:
        print(f"({bean_note})")
    print("\n".join(lines))

    out = RESULTS / "bench_scale.json"
    out.write_text(json.dumps({
        "machine": machine(), "runs": args.runs, "date": time.strftime("%Y-%m-%d %H:%M"), "bean_check": bean,
        "lufa_cache": style, "results": {key: {str(n): v for n, v in r.items()} for key, r in results.items()},
    }, ensure_ascii=False, indent=2))
    print(f"\nraw figures: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
