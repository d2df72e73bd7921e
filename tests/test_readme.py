"""The README's ```console examples are run, in order, and must print what the README shows.

Rules (for clerks: README.md "关于示例" at the top of the commands; for developers: README.md "Development"):
- Every ```console block is run, top to bottom; the examples of each level-2 section (`## …`) run in one
  fresh workspace made by `lufa init` (the current folder of every command is that workspace).
- A line starting with `$ ` is a command (only `lufa …`; a trailing `\\` continues it on the next line,
  `# …` is a comment). The lines after it, up to the next `$ ` or the end of the block, are its output.
- The output is compared with stdout, or with what the terminal shows (stdout and stderr interleaved);
  a command that exits non-zero or prints nothing on stdout is always compared with what the terminal shows.
- Compared modulo table width: trailing spaces dropped, runs of spaces and of box-drawing lines
  (`─━═`) count as one. Commands run with COLUMNS=100.
- A line that is only `…` (optionally `…（说明）`, optionally inside table borders `│ … │`) stands for one or
  more lines left out.
- A fence with a file name after the language (```csv 问题清单.csv) writes that file into the workspace
  before the following commands run. Blocks not meant to run use another fence (```sh, ```text).

`uv run pytest tests/test_readme.py --update-readme` rewrites every example's output in README.md with the
real output (keeping `…` lines where they still fit); review the change with `git diff README.md`.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lufa_cli.cli.app import main

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
COLUMNS = "100"
WORKSPACE = "监督考核2026"
# The fixed "today" of the README's story (used by commands without --date/--as-of once LUFA_TODAY exists).
TODAY = "2026-11-28"


# --- reading the README ------------------------------------------------------------------


class ReadmeError(Exception):
    """The README breaks the rules above (not a mismatch: the example cannot be run at all)."""


@dataclass
class Command:
    line: int  # 1-based README line of the `$ ` line
    text: str  # the command as written (continuations joined), without `$ `
    expected: list[tuple[int, str]] = field(default_factory=list)  # (README line, text)
    end: int = 0  # README line after the last expected line (exclusive), for rewriting
    section: int = 0  # README line of the `## ` heading above it (0: none)


@dataclass
class FileBlock:
    line: int
    path: str
    content: str
    section: int = 0


FENCE = re.compile(r"^(`{3,}|~{3,})\s*(.*)$")


def parse_readme(text: str) -> list[Command | FileBlock]:
    """The runnable items of a README, in order: console commands and files to write."""
    lines = text.split("\n")
    items: list[Command | FileBlock] = []
    i, section = 0, 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            if lines[i].startswith("## "):
                section = i + 1
            i += 1
            continue
        fence, info = m.group(1), m.group(2).split()
        start = i
        i += 1
        body: list[int] = []
        while i < len(lines) and not re.fullmatch(re.escape(fence[0]) + f"{{{len(fence)},}}\\s*", lines[i]):
            if lines[i].startswith(fence) and info[:1] == ["console"]:
                raise ReadmeError(f"README.md:{i + 1}: console 代码块里出现了带文字的围栏行，代码块可能没有正确结束：{lines[i]}")
            body.append(i)
            i += 1
        if i == len(lines):
            raise ReadmeError(f"README.md:{start + 1}: 代码块没有结束")
        i += 1
        if info[:1] == ["console"]:
            items.extend(_commands(lines, body, section))
        elif len(info) == 2 and not info[1].startswith("{"):
            items.append(FileBlock(start + 1, info[1], "".join(lines[k] + "\n" for k in body), section))
    return items


def _commands(lines: list[str], body: list[int], section: int) -> list[Command]:
    cmds: list[Command] = []
    k = 0
    while k < len(body):
        n = body[k]
        line = lines[n]
        if line.startswith("$ "):
            text = line[2:]
            while text.endswith("\\") and k + 1 < len(body):
                k += 1
                text = text[:-1].rstrip() + " " + lines[body[k]].strip()
            cmds.append(Command(n + 1, text, end=body[k] + 2, section=section))
        elif not cmds:
            raise ReadmeError(f"README.md:{n + 1}: console 代码块应以“$ 命令”开始：{line}")
        else:
            cmds[-1].expected.append((n + 1, line))
            cmds[-1].end = n + 2
        k += 1
    for c in cmds:  # blank lines between an output and the next command are not output
        while c.expected and not c.expected[-1][1].strip():
            c.expected.pop()
            c.end -= 1
    return cmds


# --- comparing -----------------------------------------------------------------------------

_BOX_RUN = re.compile(r"([─━═┄┅╌╍])\1+")
_SPACES = re.compile(r"\s+")
_MARKER = re.compile(r"…(（[^）]*）)?")


def normalise(line: str) -> str:
    """A line modulo table width: box-drawing runs and space runs count as one."""
    return _SPACES.sub(" ", _BOX_RUN.sub(r"\1", line.rstrip()))


def is_marker(line: str) -> bool:
    return bool(_MARKER.fullmatch(re.sub(r"[\s│┃]", "", line)))


def align(expected: list[str], actual: list[str]) -> tuple[int, list[tuple]]:
    """Cheapest alignment of README lines with output lines (a `…` line absorbs one or more lines).

    Returns (cost, ops); cost 0 means the output is what the README shows. Ops: ("same", i, j),
    ("changed", i, j), ("missing", i), ("extra", j), ("omitted", i, j0, j1).
    """
    ne, na = [normalise(s) for s in expected], [normalise(s) for s in actual]
    n, m = len(ne), len(na)
    inf = n + m + 1
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[n][m] = 0
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            best, how = inf, None
            if i < n and is_marker(expected[i]):
                for j1 in range(j + 1, m + 1):
                    if cost[i + 1][j1] < best:
                        best, how = cost[i + 1][j1], ("omitted", i, j, j1)
            if i < n and j < m and ne[i] == na[j] and cost[i + 1][j + 1] < best:
                best, how = cost[i + 1][j + 1], ("same", i, j)
            if i < n and j < m and 1 + cost[i + 1][j + 1] < best:
                best, how = 1 + cost[i + 1][j + 1], ("changed", i, j)
            if i < n and 1 + cost[i + 1][j] < best:
                best, how = 1 + cost[i + 1][j], ("missing", i)
            if j < m and 1 + cost[i][j + 1] < best:
                best, how = 1 + cost[i][j + 1], ("extra", j)
            cost[i][j], step[i][j] = best, how
    ops, i, j = [], 0, 0
    while (i, j) != (n, m):
        op = step[i][j]
        ops.append(op)
        if op[0] == "omitted":
            i, j = i + 1, op[3]
        else:
            i += op[0] != "extra"
            j += op[0] != "missing"
    return cost[0][0], ops


def render_diff(cmd: Command, actual: list[str], ops: list[tuple], context: int = 2) -> str:
    """The differences, each README line named by its line number (`-` README, `+` real output)."""
    rows: list[tuple[bool, str]] = []
    for op in ops:
        kind = op[0]
        if kind == "same":
            ln, text = cmd.expected[op[1]]
            rows.append((False, f"  README.md:{ln}  {text}"))
        elif kind == "omitted":
            ln, text = cmd.expected[op[1]]
            rows.append((False, f"  README.md:{ln}  {text}  （省略了 {op[3] - op[2]} 行）"))
        elif kind == "changed":
            ln, text = cmd.expected[op[1]]
            rows.append((True, f"- README.md:{ln}  {text}"))
            rows.append((True, f"+ 实际输出        {actual[op[2]]}"))
        elif kind == "missing":
            ln, text = cmd.expected[op[1]]
            rows.append((True, f"- README.md:{ln}  {text}"))
        else:
            rows.append((True, f"+ 实际输出        {actual[op[1]]}"))
    keep = {k for k, (bad, _) in enumerate(rows) if bad}
    shown = {k for b in keep for k in range(b - context, b + context + 1)}
    out, last = [], -1
    for k, (_, text) in enumerate(rows):
        if k in shown:
            if last >= 0 and k != last + 1:
                out.append("  ……")
            out.append(text)
            last = k
    return "\n".join(out)


# --- running -------------------------------------------------------------------------------


class _Terminal:
    """stdout and stderr of one command: each alone, and interleaved as a terminal shows them."""

    def __init__(self) -> None:
        self.chunks: list[tuple[str, str]] = []

    def stream(self, name: str) -> io.TextIOBase:
        chunks = self.chunks

        class _Stream(io.StringIO):
            encoding = "utf-8"

            def write(self, s: str) -> int:
                chunks.append((name, s))
                return len(s)

            def isatty(self) -> bool:
                return False

        return _Stream()

    def text(self, *names: str) -> str:
        return "".join(s for n, s in self.chunks if n in names)


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    terminal: str


def run_lufa(argv: list[str], cwd: Path) -> Outcome:
    """One `lufa` command in-process, with cwd, COLUMNS and the story's env set."""
    term = _Terminal()
    saved = sys.stdout, sys.stderr, sys.stdin, Path.cwd(), dict(os.environ)
    os.environ.pop("LUFA_DATA", None)
    os.environ.update({"COLUMNS": COLUMNS, "LUFA_TODAY": TODAY, "NO_COLOR": "1"})
    sys.stdout, sys.stderr, sys.stdin = term.stream("out"), term.stream("err"), io.StringIO("")
    try:
        os.chdir(cwd)
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved[0], saved[1], saved[2]
        os.chdir(saved[3])
        os.environ.clear()
        os.environ.update(saved[4])
    return Outcome(code, term.text("out"), term.text("err"), term.text("out", "err"))


def _lines(text: str) -> list[str]:
    lines = [s.rstrip() for s in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@dataclass
class Checked:
    cmd: Command
    outcome: Outcome
    actual: list[str]  # the output the README is compared with (stdout or terminal)
    cost: int
    ops: list[tuple]

    def problem(self) -> str | None:
        if self.cost == 0:
            return None
        head = f"README.md:{self.cmd.line}: 示例“$ {self.cmd.text}”的输出与 README 不同（退出码 {self.outcome.code}）："
        text = head + "\n" + render_diff(self.cmd, self.actual, self.ops)
        if self.actual == _lines(self.outcome.out) and self.outcome.err:
            text += "\n（以上只比较了标准输出；标准错误输出是：）\n" + "\n".join(
                "  " + line for line in _lines(self.outcome.err)
            )
        return text


def check_command(cmd: Command, outcome: Outcome) -> Checked:
    """Compare with what the terminal shows, or with stdout alone; the closer one is reported.

    Stdout alone only counts when the command succeeded and printed something there: a command whose
    whole answer is on stderr (`已下达 …`) must show it.
    """
    expected = [t for _, t in cmd.expected]
    candidates = [_lines(outcome.terminal)]
    if outcome.code == 0 and outcome.err and outcome.out.strip():
        candidates.append(_lines(outcome.out))
    best = None
    for actual in candidates:
        cost, ops = align(expected, actual)
        if best is None or cost < best.cost:
            best = Checked(cmd, outcome, actual, cost, ops)
    assert best is not None
    return best


def split_command(cmd: Command) -> list[str]:
    try:
        words = shlex.split(cmd.text, comments=True)
    except ValueError as exc:
        raise ReadmeError(f"README.md:{cmd.line}: 无法解析命令（{exc}）：{cmd.text}") from None
    if not words or words[0] != "lufa":
        raise ReadmeError(
            f"README.md:{cmd.line}: console 代码块只能写 lufa 命令：{cmd.text}（其他命令请用 ```sh 代码块）"
        )
    return words[1:]


def make_workspace(tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    outcome = run_lufa(["init", WORKSPACE, "--contact", "张三"], tmp)
    assert outcome.code == 0, outcome.terminal
    return tmp / WORKSPACE


def run_readme(text: str, tmp: Path) -> list[Checked]:
    """Run every example of a README text under `tmp`; one Checked per command.

    Each level-2 section (`## …`) is its own story: its examples run in a fresh workspace.
    """
    items = parse_readme(text)
    results = []
    ws, section = None, None
    for item in items:
        if item.section != section:
            section = item.section
            ws = make_workspace(tmp / f"section-{item.section}")
        if isinstance(item, FileBlock):
            target = (ws / item.path).resolve()
            if not target.is_relative_to(ws.resolve()):
                raise ReadmeError(f"README.md:{item.line}: 文件 {item.path} 不在工作区内")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.content, encoding="utf-8")
            continue
        results.append(check_command(item, run_lufa(split_command(item), ws)))
    return results


def update_readme(text: str, results: list[Checked]) -> str:
    """README text with every mismatching example's output replaced by the real output.

    Lines that still match are kept as written; a `…` line is kept where it still stands for some lines.
    """
    lines = text.split("\n")
    for r in sorted(results, key=lambda r: r.cmd.line, reverse=True):
        if r.cost == 0:
            continue
        new: list[str] = []
        for op in r.ops:
            if op[0] in ("same", "omitted"):
                new.append(r.cmd.expected[op[1]][1])
            elif op[0] == "changed":
                new.append(r.actual[op[2]])
            elif op[0] == "extra":
                new.append(r.actual[op[1]])
        first = r.cmd.expected[0][0] if r.cmd.expected else r.cmd.end
        lines[first - 1 : r.cmd.end - 1] = new
    return "\n".join(lines)


# --- the tests -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory) -> tuple[str, list[Checked]]:
    """The real README, run once: its text and one Checked per command."""
    text = README.read_text(encoding="utf-8")
    try:
        return text, run_readme(text, tmp_path_factory.mktemp("readme"))
    except ReadmeError as exc:
        pytest.fail(str(exc), pytrace=False)


def recheck(text: str, results: list[Checked]) -> list[Checked]:
    """Compare the outputs of an earlier run with the examples of another README text (same commands)."""
    cmds = [item for item in parse_readme(text) if isinstance(item, Command)]
    assert [c.text for c in cmds] == [r.cmd.text for r in results]
    return [check_command(c, r.outcome) for c, r in zip(cmds, results, strict=True)]


def test_readme_examples(readme_run, request):
    text, results = readme_run
    assert len(results) >= 30, "README 的示例少于 30 条：是否有 console 代码块没有被识别？"
    problems = [p for r in results if (p := r.problem())]
    if request.config.getoption("--update-readme"):
        if problems:
            README.write_text(update_readme(text, results), encoding="utf-8")
            print(f"\n已按实际输出更新 README.md 的 {len(problems)} 条示例；请用 git diff README.md 核对。")
        return
    if problems:
        pytest.fail(
            f"{len(problems)} 条 README 示例的输出与实际不同"
            "（修改 README，或运行 uv run pytest tests/test_readme.py --update-readme 后用 git diff 核对）：\n\n"
            + "\n\n".join(problems),
            pytrace=False,
        )


def test_every_example_of_the_readme_is_compared(readme_run):
    """A README whose every example drifted by one line fails once per example, naming that line."""
    text, results = readme_run
    lines = text.split("\n")
    changed = {}
    for r in results:
        ln = next((ln for ln, t in r.cmd.expected if t.strip() and not is_marker(t)), None)
        if ln is not None:
            lines[ln - 1] += "（改）"
            changed[r.cmd.line] = ln
    assert len(changed) >= 30
    rechecked = recheck("\n".join(lines), results)
    failed = {r.cmd.line: r.problem() for r in rechecked if r.problem()}
    assert set(failed) == set(changed)
    for cmd_line, ln in changed.items():
        assert failed[cmd_line].startswith(f"README.md:{cmd_line}: 示例“$ ")
        assert f"- README.md:{ln}  " in failed[cmd_line]


SMALL = """\
# 示例

```console
$ lufa units 司法局
单位名册（1 个）
┏━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━┓
┃ 序号 ┃ 编号   ┃ 全称         ┃ 简称   ┃ 类别     ┃ 检查周    ┃
┡━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━┩
│    5 │ sifaju │ 鲁山县司法局 │ 司法局 │ 县直单位 │ 4月第二周 │
└──────┴────────┴──────────────┴────────┴──────────┴───────────┘
$ lufa selfcheck missing --as-of 2026-04-01
2026 年自查期限 2026-03-31，截至 2026-04-01：已报送 0 个，未报送 55 个。
未报送自查材料的单位
…
```
"""


def _problems(text: str, tmp: Path) -> list[str]:
    return [p for r in run_readme(text, tmp) if (p := r.problem())]


def test_comparer_accepts_the_real_output_modulo_width_and_omissions(tmp_path):
    wide = SMALL.replace("┃ 单位", "┃ 单位").replace("│ 鲁山县司法局 │", "│ 鲁山县司法局      │")
    wide = wide.replace("━━━━━━━━━━━━━━┳", "━━━━━━━━━━━━━━━━━━━━━━━━━┳")
    assert _problems(SMALL, tmp_path / "a") == []
    assert _problems(wide, tmp_path / "b") == []


def test_comparer_fails_when_an_example_drifts_and_names_the_readme_line(tmp_path):
    drifted = SMALL.replace("│    5 │ sifaju", "│    6 │ sifaju").replace("未报送 55 个", "未报送 54 个")
    problems = _problems(drifted, tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith("README.md:4: 示例“$ lufa units 司法局”的输出与 README 不同（退出码 0）：")
    assert "- README.md:9  │    6 │ sifaju │ 鲁山县司法局 │ 司法局 │ 县直单位 │ 4月第二周 │" in problems[0]
    assert "+ 实际输出        │    5 │ sifaju │ 鲁山县司法局 │ 司法局 │ 县直单位 │ 4月第二周 │" in problems[0]
    assert problems[1].startswith("README.md:11: 示例“$ lufa selfcheck missing --as-of 2026-04-01”")
    assert "- README.md:12  2026 年自查期限 2026-03-31，截至 2026-04-01：已报送 0 个，未报送 54 个。" in problems[1]
    assert "README.md:14  …  （省略了" in problems[1]


def test_a_missing_or_extra_line_fails(tmp_path):
    missing = SMALL.replace("单位名册（1 个）\n", "")
    assert "+ 实际输出        单位名册（1 个）" in _problems(missing, tmp_path / "a")[0]
    extra = SMALL.replace("单位名册（1 个）\n", "单位名册（1 个）\n多出的一行\n")
    assert "- README.md:6  多出的一行" in _problems(extra, tmp_path / "b")[0]


def test_an_omission_marker_stands_for_at_least_one_line(tmp_path):
    text = SMALL.replace("┘\n", "┘\n…\n")
    assert "- README.md:11  …" in _problems(text, tmp_path)[0]


def test_errors_are_compared_with_what_the_terminal_shows(tmp_path):
    base = "```console\n$ lufa units 不存在的单位\n{}```\n"
    (problem,) = _problems(base.format(""), tmp_path / "a")
    assert problem.startswith("README.md:2: 示例“$ lufa units 不存在的单位”的输出与 README 不同（退出码 2）：")
    assert "+ 实际输出        错误：名册中没有“不存在的单位”这个单位（lufa units 可列出全部单位）" in problem
    shown = "错误：名册中没有“不存在的单位”这个单位（lufa units 可列出全部单位）\n"
    assert _problems(base.format(shown), tmp_path / "b") == []


def test_a_result_printed_on_stderr_must_be_shown(tmp_path):
    text = (
        "```console\n$ lufa selfcheck record 张良镇 --date 2026-03-25\n$ lufa selfcheck missing --as-of 2026-04-01\n"
        "2026 年自查期限 2026-03-31，截至 2026-04-01：已报送 1 个，未报送 54 个。\n…\n```\n"
    )
    (result, _) = run_readme(text, tmp_path)
    assert result.outcome.out == "" and "已登记" in result.outcome.err
    assert result.problem() is not None and "+ 实际输出        已登记 鲁山县张良镇人民政府" in result.problem()


def test_stderr_is_compared_when_the_block_shows_it(tmp_path):
    results = run_readme("```console\n$ lufa plan week --date 2031-04-14\n```\n", tmp_path)
    (r,) = results
    warning = next(line for line in _lines(r.outcome.err) if line.startswith("警告："))
    text = "```console\n$ lufa plan week --date 2031-04-14\n" + warning + "\n" + r.outcome.out + "```\n"
    assert _problems(text, tmp_path / "b") == []  # warning shown: stdout and stderr as the terminal shows them
    text = "```console\n$ lufa plan week --date 2031-04-14\n" + r.outcome.out + "```\n"
    assert _problems(text, tmp_path / "c") == []  # warning not shown: stdout alone
    text = "```console\n$ lufa plan week --date 2031-04-14\n" + warning + "X\n" + r.outcome.out + "```\n"
    assert _problems(text, tmp_path / "d") != []  # a wrong warning is still a difference


def test_files_shown_in_the_readme_are_written_before_the_commands(tmp_path):
    text = (
        "```csv 清单.csv\n项目,扣分,问题\n3.3,2,执法记录仪未全程开启\n```\n\n"
        "```console\n$ lufa inspect record 司法局 --date 2026-04-13 --from 清单.csv\n"
        "已写入检查记录 2026-04-13-sifaju（1 条问题）：data/records/inspections/2026/2026-04-13-sifaju.yaml\n"
        "下一步：1 条问题未立行立改，下达意见书：lufa notice issue --inspection 2026-04-13-sifaju\n```\n"
    )
    assert _problems(text, tmp_path) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("```console\n$ cd 监督考核2026\n```\n", "README.md:2: console 代码块只能写 lufa 命令：cd 监督考核2026"),
        ("```console\n已写入\n```\n", "README.md:2: console 代码块应以“$ 命令”开始：已写入"),
        ("```console\n$ lufa check\n```文字\n", "README.md:3: console 代码块里出现了带文字的围栏行"),
        ("```console\n$ lufa check\n", "README.md:1: 代码块没有结束"),
    ],
)
def test_readme_that_cannot_be_run_is_refused(tmp_path, text, message):
    with pytest.raises(ReadmeError) as exc:
        run_readme(text, tmp_path)
    assert str(exc.value).startswith(message)


def test_update_rewrites_drifted_outputs_and_keeps_omissions(tmp_path):
    drifted = SMALL.replace("│    5 │ sifaju", "│    6 │ sifaju").replace("已报送 0 个，", "")
    updated = update_readme(drifted, run_readme(drifted, tmp_path / "a"))
    assert _problems(updated, tmp_path / "b") == []
    assert "│    5 │ sifaju" in updated and "已报送 0 个，" in updated and "未报送自查材料的单位\n…\n```" in updated


def test_each_level_two_section_starts_from_a_fresh_workspace(tmp_path):
    block = (
        "```console\n$ lufa selfcheck record 张良镇 --date 2026-03-25\n"
        "已登记 鲁山县张良镇人民政府 2026 年自查材料，收到日期 2026-03-25：data/records/selfchecks/2026/zhangliang-zhen.yaml\n```\n"
    )
    assert _problems("## 一\n\n" + block + "\n## 二\n\n" + block, tmp_path / "a") == []
    (problem,) = _problems("## 一\n\n" + block + "\n### 同一节\n\n" + block, tmp_path / "b")
    assert problem.startswith("README.md:11: ") and "（退出码 3）" in problem
