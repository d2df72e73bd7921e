"""Per-document render time of CompiledDocx against the floor of copying the template zip.

    uv run python benchmarks/bench_documents.py            # N = 200
    uv run python benchmarks/bench_documents.py --n 1000 --docxtpl
    uv run python benchmarks/bench_documents.py --notices 1000   # a year of 1,000 notices

--notices N renders the N notices of one year of a synthetic workspace (benchmarks/
synth.py: 500 units, 5 × N notices over 2022–2026, cached under benchmarks/results/)
three ways, each next to the floor of writing the template zip unchanged N times:
the real CLI path `lufa notice render --year 2026 --force` in a fresh process (also
shown less its start-up and record loading, measured as `lufa check` on the same
workspace), `CompiledDocx.render` in memory, and `render_docx` to files (render +
atomic write with fsync, as the CLI does). Totals in seconds, per document in ms.

floor  = open the template .docx, read every entry, write them unchanged into a new zip
render = CompiledDocx.render(example context) -> bytes (compiled once, outside the timing)
disk   = render_docx(...) to a file: render + atomic write (fsync, rename)
docxtpl (optional) = DocxTemplate(template).render(context, our sandbox) + save, for comparison
All figures are medians over N documents in one run, in milliseconds.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lufa_cli.render import documents  # noqa: E402

CASES = ["notice-yijianshu", "plan-week", "plan-year"]


def median_ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def floor(template: Path) -> None:
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(io.BytesIO(), "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))


def floor_to_file(template: Path, out: Path) -> None:
    """The floor on disk: the unchanged template zip, written like render_docx writes."""
    from lufa_cli.reading.fsio import atomic_write

    buf = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
    atomic_write(out, buf.getvalue(), overwrite=True)


def total_s(fn, items) -> float:
    t0 = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - t0


def notices_mode(n: int, year: int = 2026, seed: int = 1) -> None:
    import os
    import shutil

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_scale
    import benchlib
    from lufa_cli.records.inspections import require_records
    from lufa_cli.records.notices import notice_context
    from lufa_cli.workspace.loader import load_workspace

    folder = bench_scale.workspace(500, seed, False, notices=5 * n)
    data = folder / "data"
    ws, diags = load_workspace(data)
    assert ws is not None, diags
    rs = require_records(ws)
    todo = [x for x in rs.notices if x.year == year and not x.voided]  # notice render leaves voided notices out
    kinds = {k.id: k for k in ws.settings.notice_kinds}
    template = ws.template(kinds[todo[0].kind].template)
    contexts = [notice_context(x, ws.unit(x.unit).name, ws.settings) for x in todo]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; {len(todo)} notices of {year} "
          f"from {folder.relative_to(ROOT)}; template {template.name}")

    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        rows.append(("floor: template zip rewritten, memory", total_s(lambda _: floor(template), range(len(todo)))))
        rows.append(("floor: template zip rewritten, to files", total_s(lambda i: floor_to_file(template, tmpd / "floor" / f"{i}.docx"), range(len(todo)))))
        documents._CACHE.clear()
        t0 = time.perf_counter()
        compiled = documents.compile_docx(template)
        compile_s = time.perf_counter() - t0
        fonts = ws.settings.fonts
        rows.append(("CompiledDocx.render, memory", total_s(lambda c: compiled.render(c, fonts=fonts), contexts)))
        out = tmpd / "direct"
        rows.append(("render_docx, to files", total_s(
            lambda ic: documents.render_docx(template, ic[1], out / f"{ic[0]}.docx", force=True, fonts=fonts), enumerate(contexts))))

        print(benchlib.compile_bytecode())
        env = benchlib.base_env()
        base = [sys.executable, "-m", "lufa_cli", "--data", str(data)]
        render_cmd = [*base, "notice", "render", "--year", str(year), "--force", "-o", str(tmpd / "cli")]
        benchlib.run(render_cmd, env, ROOT)  # warm-up (disk cache, files exist)
        cli_s, cli_mb = benchlib.run(render_cmd, env, ROOT)
        benchlib.run([*base, "check"], env, ROOT)
        load_s, _ = benchlib.run([*base, "check"], env, ROOT)
        made = len(list((tmpd / "cli").glob("*.docx")))
        assert made == len(todo), (made, len(todo))
        rows.append((f"lufa notice render --year {year} --force", cli_s))
        rows.append(("  less start-up and loading (lufa check)", cli_s - load_s))
        shutil.rmtree(tmpd / "cli")

    floor_mem, floor_disk = rows[0][1], rows[1][1]
    print(f"compile once: {compile_s * 1000:.0f} ms;  lufa check on this workspace: {load_s:.2f} s;  "
          f"notice render peak RSS {cli_mb:.0f} MB")
    print(f"{'':<44}{'total s':>9}{'ms/doc':>9}{'x mem floor':>13}{'x file floor':>14}")
    for name, secs in rows:
        print(f"{name:<44}{secs:9.2f}{secs / len(todo) * 1000:9.2f}{secs / floor_mem:13.2f}{secs / floor_disk:14.2f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="benchmark documents.py rendering")
    ap.add_argument("--n", type=int, default=200, help="documents per measurement (default 200)")
    ap.add_argument("--docxtpl", action="store_true", help="also time docxtpl render+save (slow)")
    ap.add_argument("--notices", type=int, metavar="N", help="render a year of N notices (CLI, CompiledDocx, render_docx)")
    args = ap.parse_args(argv)
    if args.notices:
        notices_mode(args.notices)
        return
    n = args.n

    print(f"python {sys.version.split()[0]}, N = {n}, medians in ms per document")
    header = f"{'template':<18}{'compile':>9}{'floor':>8}{'render':>8}{'ratio':>7}{'disk':>8}"
    print(header + (f"{'docxtpl':>9}" if args.docxtpl else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for name in CASES:
            template = ROOT / "templates" / f"{name}.docx"
            context = documents.EXAMPLE_CONTEXTS[name]
            documents._CACHE.clear()
            t0 = time.perf_counter()
            compiled = documents.compile_docx(template)
            compile_ms = (time.perf_counter() - t0) * 1000
            compiled.render(context)  # warm-up
            floor_ms = median_ms(lambda: floor(template), n)
            render_ms = median_ms(lambda: compiled.render(context), n)
            out = Path(tmp) / f"{name}.docx"
            disk_ms = median_ms(lambda: documents.render_docx(template, context, out, force=True), n)
            line = f"{name:<18}{compile_ms:9.1f}{floor_ms:8.2f}{render_ms:8.2f}{render_ms / floor_ms:7.2f}{disk_ms:8.2f}"
            if args.docxtpl:
                from docxtpl import DocxTemplate

                env = documents.sandbox(True)

                def with_docxtpl() -> None:
                    tpl = DocxTemplate(template)
                    tpl.render(context, jinja_env=env)
                    tpl.save(io.BytesIO())

                line += f"{median_ms(with_docxtpl, max(1, min(n, 50))):9.2f}"
            print(line)


if __name__ == "__main__":
    main()
