"""Per-document render time of CompiledDocx against the floor of copying the template zip.

    uv run python benchmarks/bench_documents.py            # N = 200
    uv run python benchmarks/bench_documents.py --n 1000 --docxtpl

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

from lufa_cli import documents  # noqa: E402

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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="benchmark documents.py rendering")
    ap.add_argument("--n", type=int, default=200, help="documents per measurement (default 200)")
    ap.add_argument("--docxtpl", action="store_true", help="also time docxtpl render+save (slow)")
    args = ap.parse_args(argv)
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
