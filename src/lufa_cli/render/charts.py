"""The briefing's charts, drawn with matplotlib (the optional `charts` extra) on the Agg canvas.

matplotlib is imported here only, inside the functions, so no other command pays for it. A chart
is described as plain data (`Chart`); `draw` turns it into SVG (for the HTML page) and PNG (for
the .docx). The same chart and the same date give the same bytes: the SVG ids are salted with a
fixed string, its metadata date is the briefing's, and nothing depends on the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lufa_cli.errors import ExternalError

INSTALL_HINT = "请安装带图表功能的 lufa：在源码目录中运行 uv tool install --compile-bytecode --force '.[charts]'（用 uv run 时：uv sync --extra charts）"

#: CJK faces, best first: the families matplotlib reports for the fonts Debian/Ubuntu, Windows and
#: macOS ship (a .ttc collection lists each face; Windows names are the English family names).
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "微软雅黑", "SimHei", "黑体", "DengXian", "等线", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "STHeiti", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "宋体",
    "NSimSun", "FangSong", "仿宋", "KaiTi", "楷体", "AR PL UMing CN", "AR PL UKai CN", "Droid Sans Fallback",
)  # fmt: skip

#: one colour per position (grade bands best first, series in order); print well in grey too
PALETTE = ("#2e7d32", "#1565c0", "#f9a825", "#c62828", "#6a1b9a", "#00838f", "#8d6e63", "#546e7a")
GOOD, BAD = PALETTE[0], PALETTE[3]
SVG_SALT = "lufa-briefing"
DPI = 150


class ChartsUnavailable(ExternalError):
    """matplotlib is not installed, or no CJK font was found; the message says what to do."""


@dataclass(frozen=True)
class Chart:
    """One chart as plain data.

    kind "hbar": one bar per label (`series[0]`), coloured by `groups` (a legend entry each), longest first
    from the top; "bar": vertical bars, one group per label and one bar per series (stacked when `stacked`).
    """

    key: str
    title: str
    kind: str
    labels: list[str]
    series: list[tuple[str, list[float]]]
    groups: list[str] = field(default_factory=list)  # hbar: the group of each label (e.g. its grade)
    group_order: list[str] = field(default_factory=list)
    stacked: bool = False
    unit: str = ""  # axis label of the values, e.g. 分, 件
    limit: float | None = None  # a fixed top of the value axis (scores: 100)
    line: tuple[str, float] | None = None  # a reference line (label, value), e.g. 20 学时
    colours: list[str] = field(default_factory=list)  # one per group (hbar) or series (bar); default PALETTE
    count_groups: bool = False  # hbar: the legend says how many labels each group has (units per grade)


def require_matplotlib() -> Any:
    """The matplotlib module, or ChartsUnavailable saying how to install it."""
    try:
        import matplotlib
    except ImportError:
        raise ChartsUnavailable(f"生成图表需要 matplotlib，当前没有安装；{INSTALL_HINT}") from None
    return matplotlib


def find_cjk_font(configured: str | None = None) -> tuple[str, Path]:
    """(family, file) of the CJK font the charts use: `configured` (settings.yaml chart_font, a family
    name or a font file) when given, else the first of CJK_FAMILIES installed on this machine."""
    require_matplotlib()
    from matplotlib import font_manager

    if configured:
        path = Path(configured).expanduser()
        if path.suffix.lower() in (".ttf", ".otf", ".ttc"):
            if not path.is_file():
                raise ChartsUnavailable(f"settings.yaml 的 chart_font 指定的字体文件 {configured} 不存在")
            try:
                font_manager.fontManager.addfont(str(path))
                name = font_manager.FontProperties(fname=str(path)).get_name()
            except (OSError, RuntimeError, ValueError) as exc:
                raise ChartsUnavailable(f"settings.yaml 的 chart_font 指定的字体文件 {configured} 无法读取（{exc}）") from None
            return name, path
        hit = next((f for f in font_manager.fontManager.ttflist if f.name == configured), None)
        if hit is None:
            raise ChartsUnavailable(f"settings.yaml 的 chart_font 指定的字体“{configured}”在本机没有找到；请写本机已安装的字体名称或字体文件路径")
        return hit.name, Path(hit.fname)
    hit = _first_cjk(font_manager.fontManager.ttflist)
    if hit is None:
        # matplotlib keeps its list of the machine's fonts in a cache file: a font installed since then is
        # not in it. Look at the machine once more before refusing (seconds, and only on this path).
        hit = _first_cjk(font_manager.FontManager().ttflist)
        if hit is not None:
            font_manager.fontManager.addfont(str(hit[1]))
    if hit is not None:
        return hit
    raise ChartsUnavailable(
        "没有找到可用于图表的中文字体（已查找：Noto Sans CJK SC、文泉驿正黑、微软雅黑、黑体、宋体、AR PL UMing 等）；"
        "请安装一种中文字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），"
        "或在 settings.yaml 中用 chart_font 写明字体名称或字体文件路径"
    )


def colours_for(n: int, *, ranked: bool = False) -> list[str]:
    """`n` colours; `ranked` (grades, best first): green first and red last, whatever `n` is."""
    if ranked and n >= 2:
        middle = [c for c in PALETTE if c not in (GOOD, BAD)]
        return [GOOD, *[middle[i % len(middle)] for i in range(n - 2)], BAD]
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


def _first_cjk(fonts: list[Any]) -> tuple[str, Path] | None:
    by_name: dict[str, str] = {}
    for f in sorted(fonts, key=lambda f: (f.weight != 400, f.style != "normal", f.fname)):
        by_name.setdefault(f.name, f.fname)
    return next(((family, Path(by_name[family])) for family in CJK_FAMILIES if family in by_name), None)


def _figure(chart: Chart, family: str) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    n = len(chart.labels)
    height = max(2.4, 0.28 * n + 1.6) if chart.kind == "hbar" else 3.8
    fig = Figure(figsize=(7.2, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title(chart.title, fontsize=12, family=family)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)
    legend: list[Any] = []
    if chart.kind == "hbar":
        values = chart.series[0][1]
        order = chart.group_order or sorted(set(chart.groups))
        palette = chart.colours or colours_for(len(order))
        colours = {g: palette[i % len(palette)] for i, g in enumerate(order)}
        ys = list(range(n))[::-1]
        bars = ax.barh(ys, values, color=[colours[g] for g in chart.groups], height=0.7)
        ax.set_yticks(ys, chart.labels, fontsize=8, family=family)
        ax.set_ylim(-0.6, n - 0.4)
        top = chart.limit or max(values, default=1) or 1
        for bar, v in zip(bars, values, strict=True):
            ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, _num(v), va="center", fontsize=7, family=family)
        if chart.line is not None:
            top = max(top, chart.line[1])
            ax.axvline(chart.line[1], color=BAD, linestyle="--", linewidth=1)
        ax.set_xlim(0, top * 1.08)
        if chart.limit is None:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        counts = {g: chart.groups.count(g) for g in order}
        if len(order) > 1 or chart.count_groups:
            legend = [Patch(color=colours[g], label=f"{g}（{counts[g]}）" if chart.count_groups else g) for g in order if counts[g]]
        if chart.line is not None:
            legend.append(Line2D([], [], color=BAD, linestyle="--", linewidth=1, label=chart.line[0]))
        if chart.unit:
            ax.set_xlabel(chart.unit, family=family, fontsize=9)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    else:
        xs = list(range(n))
        k = len(chart.series)
        palette = chart.colours or colours_for(k)
        width = 0.6 if chart.stacked or k == 1 else 0.8 / k
        bottom = [0.0] * n
        for i, (name, values) in enumerate(chart.series):
            pos = xs if chart.stacked or k == 1 else [x - 0.4 + width * (i + 0.5) for x in xs]
            bars = ax.bar(pos, values, width=width, bottom=bottom if chart.stacked else None, color=palette[i % len(palette)], label=name)
            for bar, v, b in zip(bars, values, bottom, strict=True):
                if v:
                    y = (b + v / 2) if chart.stacked else v
                    ax.text(bar.get_x() + bar.get_width() / 2, y, _num(v), ha="center", va="center" if chart.stacked else "bottom",
                            fontsize=7, family=family, color="white" if chart.stacked else "black")
            if chart.stacked:
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        slots = max(n, 4)  # one or two bars do not fill the whole width
        ax.set_xlim(-0.5 - (slots - n) / 2, n - 0.5 + (slots - n) / 2)
        long = sum(len(x) for x in chart.labels) > 48
        ax.set_xticks(xs, chart.labels, fontsize=8, family=family, rotation=30 if long else 0, ha="right" if long else "center")
        if chart.line is not None:
            ax.axhline(chart.line[1], color=BAD, linestyle="--", linewidth=1, label=chart.line[0])
        if k > 1 or chart.line is not None:
            legend = ax.get_legend_handles_labels()[0]
        if chart.unit:
            ax.set_ylabel(chart.unit, family=family, fontsize=9)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(y=0.12)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    if legend:
        fig.legend(handles=legend, loc="outside lower center", ncols=min(len(legend), 5), prop={"family": family, "size": 8}, frameon=False)
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontfamily(family)
    return fig


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}".rstrip("0").rstrip(".")


def draw(chart: Chart, family: str, day: dt.date) -> tuple[bytes, bytes, list[str]]:
    """(SVG, PNG, warnings in Chinese) of `chart` in the CJK font `family`; `day` is the SVG's metadata date.

    matplotlib's warnings (a character the font lacks, drawn as a box) are returned, not printed in English."""
    import logging
    import warnings

    matplotlib = require_matplotlib()
    rc = {"svg.hashsalt": SVG_SALT, "svg.fonttype": "path", "axes.unicode_minus": False,
          "font.family": [family], "font.size": 9}
    # matplotlib's font look-up reports through logging, which would print it in English on stderr
    logged: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record)

    handler = Keep(logging.WARNING)
    log = logging.getLogger("matplotlib.font_manager")
    log.addHandler(handler)
    propagate, log.propagate = log.propagate, False
    try:
        with matplotlib.rc_context(rc), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = _figure(chart, family)
            svg, png = io.BytesIO(), io.BytesIO()
            fig.savefig(svg, format="svg", metadata={"Date": day.isoformat(), "Creator": "lufa"})
            fig.savefig(png, format="png", dpi=DPI, metadata={"Software": "lufa"})
    finally:
        log.removeHandler(handler)
        log.propagate = propagate
    missing: list[str] = []
    other: list[str] = []
    for rec in logged:
        text = rec.getMessage()
        # a family with one weight only (文泉驿正黑 is 500): its own face is used, nothing to tell
        if re.fullmatch(rf"findfont: Failed to find font weight \w+ for {re.escape(family)}, now using \d+\.", text):
            continue
        m = re.fullmatch(r"findfont: Font family '(.*)' not found\.", text)
        if m:
            text = f"matplotlib 的字体列表中没有字体“{m[1]}”，改用了它的默认字体"
        if text not in other:
            other.append(text)
    for w in caught:
        m = re.match(r"Glyph (\d+) ", str(w.message))
        if m:
            ch = chr(int(m[1]))
            if ch not in missing:
                missing.append(ch)
        elif str(w.message) not in other:
            other.append(str(w.message))
    notes = [f"图“{chart.title}”：字体“{family}”中没有字符 {'、'.join(f'U+{ord(c):04X}' for c in missing)}，图中显示为方框；"
             "可在 settings.yaml 的 chart_font 中换一种字体"] if missing else []
    return svg.getvalue(), png.getvalue(), notes + [f"图“{chart.title}”：matplotlib 提示：{t}" for t in other]
