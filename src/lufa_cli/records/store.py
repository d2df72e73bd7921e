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

import operator
import os
from collections.abc import Iterable
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


# Path order, computed faster: comparing 35,000 Paths calls Path.__lt__ ~370,000 times
# (~0.3 s); on POSIX that order is the order of their `parts`, compared in C. Windows
# paths compare case-insensitively, so there they are left to Path.
_PATH_ORDER = None if os.name == "nt" else operator.attrgetter("parts")


def sorted_paths(paths: Iterable[Path]) -> list[Path]:
    """`sorted(paths)`, the same order."""
    return sorted(paths, key=_PATH_ORDER)


def record_files(data_root: Path, kind: str) -> list[Path]:
    """The record files of one kind (records/<kind>/**/*.yaml, not hidden ones), in path order."""
    return yaml_files(records_dir(data_root) / kind)


def yaml_files(folder: Path) -> list[Path]:
    """The *.yaml files below `folder` (not hidden ones), in path order; [] when it is missing."""
    if not folder.is_dir():
        return []
    # os.walk, not rglob: rglob("**") skips symlinked folders without a word (a year folder
    # linked elsewhere would vanish from every count); here they are followed, and each file
    # found through one is judged by read_file's inside-the-workspace rule like any symlink.
    out: list[Path] = []
    seen: set[str] = set()

    def unreadable(exc: OSError) -> None:  # rglob skipped an unreadable folder silently too
        raise ExternalError(f"无法读取目录 {exc.filename or folder}：{os_reason(exc, doing='读取')}")

    for top, dirs, files in os.walk(folder, onerror=unreadable, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:  # a folder linked into itself: read once
            dirs.clear()
            continue
        seen.add(real)
        # a folder named *.yaml is listed too: reading it says "这是一个目录，不是文件"
        out.extend(Path(top, f) for f in (*files, *dirs) if f.endswith(".yaml") and not f.startswith("."))
    return sorted_paths(out)


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
