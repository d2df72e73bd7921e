"""The one orchestrator: find the data folder, read every file, validate.

``load_workspace`` returns ``(workspace, diagnostics)`` and never prints; the
workspace is None when any file has an error. Errors carry ``path:line:col``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lufa_cli.errors import Diagnostic
from lufa_cli.model import data as models
from lufa_cli.model.registers import RegisterSettings
from lufa_cli.model.reviews import CaseStandard
from lufa_cli.reading.fsio import display_path  # the name every layer above uses
from lufa_cli.reading.yamlsrc import Source
from lufa_cli.workspace.workspace import Workspace, bundled_root

DATA_FILES: dict[str, tuple[str, type[BaseModel], bool]] = {
    # key: (file name, model, required)
    "roster": ("units.yaml", models.Roster, True),
    "schedule": ("schedule.yaml", models.Schedule, True),
    "checklist": ("checklist.yaml", models.Checklist, True),
    "settings": ("settings.yaml", models.Settings, True),
    "calendar": ("calendar.yaml", models.CalendarOverrides, False),
    "case_standard": ("case-standard.yaml", CaseStandard, False),  # 案卷评查标准; absent: no reviews
    "registers": ("registers.yaml", RegisterSettings, False),
}

ORIGIN_LABELS = {
    "option": "--data 选项",
    "env": "环境变量 LUFA_DATA",
    "found": "从当前目录向上查找到的工作区",
    "bundled": "内置鲁山县数据（只读）",
}

#: written by `lufa init` at the workspace root; any folder holding it is a workspace
MARKER = ".lufa-workspace"


def is_source_checkout(folder: Path) -> bool:
    """A clone of lufa-cli itself: its data/ is the bundled set, never a workspace to write to."""
    try:
        text = (folder / "pyproject.toml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r'^name\s*=\s*"lufa-cli"', text, re.M) is not None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _looks_like_workspace(folder: Path) -> bool:
    """The marker, or a data/ folder holding units.yaml or two of the other data files (even
    broken ones: a damaged workspace must be reported, not skipped). One generic name such as
    data/settings.yaml alone is some other program's folder."""
    if (folder / MARKER).exists():
        return True
    data = folder / "data"
    if not data.is_dir():
        return False
    if (data / "units.yaml").exists():
        return True
    return sum((data / name).exists() for name, _, _ in DATA_FILES.values()) >= 2


@dataclass(frozen=True)
class Location:
    """Where this run's data comes from, and how it was found (`lufa where`)."""

    data: Path
    origin: str  # option, env, found, bundled
    how: str  # one Chinese sentence

    @property
    def home(self) -> Path:
        """The workspace root: the folder holding data/ and templates/."""
        return self.data.parent


def _given(path: Path, origin: str, what: str) -> Location:
    # the workspace root as well as its data/ folder
    if not (path / "units.yaml").exists() and ((path / "data").is_dir() or (path / MARKER).exists()):
        data, how = path / "data", f"{what}指定的工作区 {path}"
    else:
        data, how = path, f"{what}指定的数据目录 {path}"
    if _same(data, bundled_root() / "data") or is_source_checkout(data.parent):
        return Location(data, "bundled", how + "（即 lufa 自带的内置数据，只读）")
    return Location(data, origin, how)


def find_data_dir(option: Path | None, env: Mapping[str, str], cwd: Path) -> Location:
    """`--data DIR`, then `LUFA_DATA`, then the workspace holding `cwd` (found by walking up
    as git does), then the bundled data set. DIR may be a workspace root or its data/."""
    if option is not None:
        return _given(option, "option", "--data 选项")
    if env.get("LUFA_DATA"):
        return _given(Path(env["LUFA_DATA"]), "env", "环境变量 LUFA_DATA ")
    here = cwd.absolute()
    for folder in (here, *here.parents):
        if _looks_like_workspace(folder):
            if is_source_checkout(folder) or _same(folder / "data", bundled_root() / "data"):
                return Location(folder / "data", "bundled", f"当前目录在 lufa 的源代码目录 {folder} 中，其 data/ 是内置数据（只读）")
            how = "当前目录即工作区" if folder == here else f"从当前目录向上查找到工作区 {folder}"
            return Location(folder / "data", "found", how)
    return Location(bundled_root() / "data", "bundled", "当前目录及其上级目录都不是工作区，使用内置数据（只读）")


class PathDisplay:
    """`display_path` for many files in a few folders (the record files).

    `display_path` resolves every component of every path (an lstat each, ~40 µs a
    file); here the current directory and each folder are resolved once. The result is
    the same: realpath(folder/name) is realpath(folder)/name unless `name` is itself a
    symlink, and such files go through `display_path`.
    """

    def __init__(self) -> None:
        self._cwd = Path.cwd().resolve()
        self._folders: dict[str, tuple[Path, str | None]] = {}

    def __call__(self, path: Path) -> str:
        text = str(path)
        head, name = os.path.split(text)  # plain string work: Path.parent/.name cost more than the lstat
        if name in ("", ".", "..") or os.path.islink(text):
            return display_path(path, self._cwd)
        hit = self._folders.get(head)
        if hit is None:
            resolved = Path(head or ".").resolve()
            try:
                rel: str | None = str(resolved.relative_to(self._cwd))
            except ValueError:
                rel = None
            hit = self._folders[head] = (resolved, rel)
        resolved, rel = hit
        if rel is None:  # folder outside the current directory: so is the file, unless it is the cwd itself
            return "." if (resolved == self._cwd.parent and name == self._cwd.name) else text
        return name if rel == "." else os.path.join(rel, name)


def load_workspace(root: Path, origin: str = "option", *, cache: Path | None = None) -> tuple[Workspace | None, list[Diagnostic]]:
    """Read and validate every data file of `root`; all problems are returned together.

    With `cache` (the data files' cache file, `data-….cache`; see lufa_cli.workspace.cache), validated models of unchanged
    files come from it; the cross-file rules run all the same, and the result is the same."""
    from lufa_cli.workspace.cache import RecordCache, StaleCache

    if not root.is_dir():
        if os.path.exists(root):
            what = "这不是目录：数据目录应是一个目录（工作区或其 data/）"
        elif os.path.islink(root):
            what = f"数据目录是符号链接 {root}，它指向的这个位置不存在"
        else:
            what = "数据目录不存在"
        return None, [Diagnostic(display_path(root), 0, 0, what)]
    rc = RecordCache(root, cache)
    try:
        out = _load_workspace(root, origin, rc.read)
    except StaleCache:  # a cached file changed under us: read everything afresh
        rc = RecordCache(root, cache, ignore_old=True)
        out = _load_workspace(root, origin, rc.read)
    rc.save()
    return out


def _load_workspace(root: Path, origin: str, read: Any) -> tuple[Workspace | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    loaded: dict[str, Any] = {}
    sources: dict[str, Source] = {}
    for key, (name, model, required) in DATA_FILES.items():
        path = root / name
        if not path.exists() and not required:
            loaded[key] = None if model is CaseStandard else model()
            continue
        rec, src = read(path, model, display_path, inside=root.parent)
        sources[key] = src
        if src.ok:
            loaded[key] = rec
        diagnostics.extend(src.diagnostics)
    year_schedules: dict[int, models.Schedule] = {}
    for path in sorted(root.glob("schedule-*.yaml")):
        m = re.fullmatch(r"schedule-(\d{4})\.yaml", path.name)
        if not m:
            diagnostics.append(Diagnostic(display_path(path), 0, 0, "年度计划表的文件名应为 schedule-年份.yaml，如 schedule-2027.yaml", "warning"))
            continue
        rec, src = read(path, models.Schedule, display_path, inside=root.parent)
        sources[f"schedule-{m[1]}"] = src
        if src.ok:
            year_schedules[int(m[1])] = rec
        diagnostics.extend(src.diagnostics)
    if any(d.severity == "error" for d in diagnostics):
        return None, diagnostics
    ws = Workspace(root=root, origin=origin, sources=sources, year_schedules=year_schedules, **loaded)
    from lufa_cli.workspace.checks import run_checks  # the cross-file rules

    diagnostics.extend(run_checks(ws))
    if any(d.severity == "error" for d in diagnostics):
        return None, diagnostics
    return ws, diagnostics
