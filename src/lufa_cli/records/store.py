"""Records the tool writes under ``data/records/``: inspections, self-inspections,
spot-check samples. One YAML file per record, readable and merge-friendly.

Layout::

    data/records/inspections/2026/2026-04-12-sifaju.yaml   # one per inspection
    data/records/selfchecks/2026/sifaju.yaml               # one per unit and year
    data/records/spotchecks/2026.yaml                      # the year's sample

File names carry the record's identity, so two clerks recording the same
thing produce a git add/add conflict instead of a silent duplicate.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from lufa_cli.errors import ExternalError
from lufa_cli.reading.fsio import os_reason
from lufa_cli.reading.yamlsrc import Source, read_yaml

M = TypeVar("M", bound=BaseModel)


def records_dir(data_root: Path) -> Path:
    return data_root / "records"


def inspection_path(data_root: Path, inspection_id: str) -> Path:
    return records_dir(data_root) / "inspections" / inspection_id[:4] / f"{inspection_id}.yaml"


def selfcheck_path(data_root: Path, year: int, unit_id: str) -> Path:
    return records_dir(data_root) / "selfchecks" / str(year) / f"{unit_id}.yaml"


def spotcheck_path(data_root: Path, year: int) -> Path:
    return records_dir(data_root) / "spotchecks" / f"{year}.yaml"


def record_files(data_root: Path, kind: str) -> list[Path]:
    """The record files of one kind (records/<kind>/**/*.yaml, not hidden ones), in path order."""
    return yaml_files(records_dir(data_root) / kind)


def yaml_files(folder: Path) -> list[Path]:
    """The *.yaml files below `folder` (not hidden ones), in path order; [] when it is missing."""
    if not folder.is_dir():
        return []
    # Symlinked folders are followed (rglob("**") skipped them without a word: a year folder
    # linked elsewhere would vanish from every count), each file found through one being
    # judged by read_file's inside-the-workspace rule like any symlink; a folder linked into
    # itself is read once. Each folder's names are sorted and walked in that order, which
    # is path order without comparing 35,000 Paths, and each Path is made from its folder's.
    out: list[Path] = []
    seen: set[str] = set()

    def listing(top: str, base: Path) -> Iterator[tuple[str, bool, str, Path]]:
        """(name, is a folder, its path, its Path) for each entry of `top`, in name order; nothing
        for a folder already walked."""
        real = os.path.realpath(top)
        if real in seen:
            return iter(())
        seen.add(real)
        try:
            with os.scandir(top) as it:
                entries = [(e.name, _is_dir(e)) for e in it]
        except OSError as exc:  # rglob skipped an unreadable folder silently too
            raise ExternalError(f"无法读取目录 {exc.filename or top}：{os_reason(exc, doing='读取')}") from exc
        entries.sort(key=_NAME_ORDER)
        prefix = top if top.endswith(os.sep) else top + os.sep  # os.path.join(top, name), 35,000 times, without its checks
        if _FAST_CHILD:  # CPython ≤ 3.12's unparsed join of one name, its text set as str() would make it: 4× faster
            child = base._make_child_relpath  # type: ignore[attr-defined]
            return (_child(child, name, is_dir, prefix + name) for name, is_dir in entries)
        return ((name, is_dir, prefix + name, base.joinpath(name)) for name, is_dir in entries)

    # depth first, with a stack rather than recursion (a deep tree must not hit the recursion limit)
    stack = [listing(str(folder), folder)]
    while stack:
        for name, is_dir, top, path in stack[-1]:
            # a folder named *.yaml is listed too: reading it says "这是一个目录，不是文件"
            if name.endswith(".yaml") and not name.startswith("."):
                out.append(path)
            if is_dir:
                stack.append(listing(top, path))
                break
        else:
            stack.pop()
    return out


def _child(make: Callable[[str], Path], name: str, is_dir: bool, text: str) -> tuple[str, bool, str, Path]:
    path = make(name)
    path._str = text  # type: ignore[attr-defined]  # what str(path) computes (and caches) on first use
    return name, is_dir, text, path


def _fast_child_works() -> bool:
    """CPython's private `_make_child_relpath` and `_str` (the cache of str()) behave as
    `yaml_files` uses them: `joinpath` and `os.path.join` give the same path and text."""
    try:
        base = Path("lufa") / "records"
        made = base._make_child_relpath("a.yaml")  # type: ignore[attr-defined]
        text = os.path.join(str(base), "a.yaml")
        made._str = text
        return made == base.joinpath("a.yaml") and str(made) == text == str(base.joinpath("a.yaml")) and made.name == "a.yaml"
    except Exception:
        return False


_FAST_CHILD = _fast_child_works()


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows a symlink, as os.walk(followlinks=True) did
    except OSError:
        return False


# Windows compares paths case-insensitively (PureWindowsPath), POSIX by the names' code points
_NAME_ORDER = (lambda e: e[0].lower()) if os.name == "nt" else (lambda e: e[0])


def record_yaml(model: type[BaseModel], data: dict, *, header: str) -> str:
    """The YAML text of a record about to be written, proven to read back as a valid `model`.

    What lufa writes must be what lufa reads (`lufa check`): the text is read with the same
    strict reader and validated with the same model before any file is touched. A value the
    reader would refuse (nan, a date outside the supported years, …) is a UsageError here.
    """
    from lufa_cli.errors import UsageError
    from lufa_cli.reading.yamlsrc import dump
    from lufa_cli.workspace.validation import validate

    text = dump(data, header=header)
    src = read_yaml(Path("记录"), display="记录", raw=text.encode("utf-8"))
    if src.ok:
        validate(model, src)
    if not src.ok:
        first = next(d for d in src.diagnostics if d.severity == "error")
        where = ".".join(str(k) for k in _loc_at(src, first.line)) if first.line else ""
        raise UsageError(f"要写入的记录无效{f'（{where}）' if where else ''}：{first.message}；未写入任何文件")
    return text


def _loc_at(src: Source, line: int) -> tuple:
    """The key path whose value sits on `line` (for naming the bad field)."""
    best: tuple = ()
    for loc, (n, _col) in src.positions.items():
        if n == line and len(loc) > len(best):
            best = loc
    return best
