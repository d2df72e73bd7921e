"""The one orchestrator: find the data folder, read every file, validate.

``load_workspace`` returns ``(workspace, diagnostics)`` and never prints; the
workspace is None when any file has an error. Errors carry ``path:line:col``.
"""

from __future__ import annotations

import os
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from lufa_cli.errors import Diagnostic
from lufa_cli.model import data as models
from lufa_cli.model.registers import RegisterSettings
from lufa_cli.model.reviews import CaseStandard
from lufa_cli.reading.fsio import display_path  # the name every layer above uses
from lufa_cli.reading.yamlsrc import Source, read_yaml
from lufa_cli.workspace.workspace import Workspace, bundled_root

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

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


def load_workspace(root: Path, origin: str = "option") -> tuple[Workspace | None, list[Diagnostic]]:
    """Read and validate every data file of `root`; all problems are returned together."""
    diagnostics: list[Diagnostic] = []
    loaded: dict[str, Any] = {}
    sources: dict[str, Source] = {}
    if not root.is_dir():
        return None, [Diagnostic(display_path(root), 0, 0, "数据目录不存在")]
    for key, (name, model, required) in DATA_FILES.items():
        path = root / name
        if not path.exists() and not required:
            loaded[key] = None if model is CaseStandard else model()
            continue
        src = read_yaml(path, display=display_path(path), inside=root.parent)
        sources[key] = src
        if src.ok:
            loaded[key] = validate(model, src)
        diagnostics.extend(src.diagnostics)
    year_schedules: dict[int, models.Schedule] = {}
    for path in sorted(root.glob("schedule-*.yaml")):
        m = re.fullmatch(r"schedule-(\d{4})\.yaml", path.name)
        if not m:
            diagnostics.append(Diagnostic(display_path(path), 0, 0, "年度计划表的文件名应为 schedule-年份.yaml，如 schedule-2027.yaml", "warning"))
            continue
        src = read_yaml(path, display=display_path(path), inside=root.parent)
        sources[f"schedule-{m[1]}"] = src
        if src.ok:
            year_schedules[int(m[1])] = validate(models.Schedule, src)
        diagnostics.extend(src.diagnostics)
    if any(d.severity == "error" for d in diagnostics):
        return None, diagnostics
    ws = Workspace(root=root, origin=origin, sources=sources, year_schedules=year_schedules, **loaded)
    from lufa_cli.workspace.checks import run_checks  # the cross-file rules

    diagnostics.extend(run_checks(ws))
    if any(d.severity == "error" for d in diagnostics):
        return None, diagnostics
    return ws, diagnostics


# --- Pydantic errors → positioned Chinese diagnostics -------------------------

_TYPE_NAMES = {
    "string_type": "文字",
    "int_type": "整数",
    "int_parsing": "整数",
    "float_type": "数字",
    "bool_type": "true 或 false",
    "list_type": "列表（每行以“- ”开头）",
    "dict_type": "映射（“键: 值”）",
    "model_type": "映射（“键: 值”）",
    "model_attributes_type": "映射（“键: 值”）",
    "date_type": "日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "日期（YYYY-MM-DD）",
    "date_parsing": "日期（YYYY-MM-DD）",
    "tuple_type": "列表",
}


def _describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, int):
        return f"整数 {value}"
    if isinstance(value, float):
        return f"小数 {value}"
    if isinstance(value, str):
        return f"文字“{value[:30]}”"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return type(value).__name__


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the model found at `loc` (for “did you mean” hints)."""
    tp: Any = model
    for part in loc:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            origin = typing.get_origin(tp)
        if isinstance(part, int) and origin in (list, tuple):
            tp = typing.get_args(tp)[0]
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
        else:
            return []
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def translate(err: ErrorDetails, model: type[BaseModel]) -> tuple[str, bool]:
    """Chinese text for one Pydantic error; the bool says "point at the key"."""
    kind = err["type"]
    loc = tuple(err["loc"])
    value = err.get("input")
    ctx = err.get("ctx") or {}
    field_name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")  # an item of a list: the list's name
    if kind == "missing":
        return f"缺少必填项“{field_name}”", False
    if kind == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        import difflib  # only for a misspelt key

        near = difflib.get_close_matches(field_name, known, n=1, cutoff=0.5)
        hint = f"，是否想写“{near[0]}”？" if near else (f"；可用的键：{'、'.join(known)}" if known else "")
        return f"未知的键“{field_name}”{hint}", True
    if kind in _TYPE_NAMES:
        expected = _TYPE_NAMES[kind]
        msg = f"“{field_name}”应为{expected}，实际是{_describe(value)}"
        if kind in ("model_type", "dict_type") and isinstance(value, str) and "：" in value:
            msg += "（是否把英文冒号“: ”写成了中文冒号“：”？）"
        if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
            msg += f"；编号、电话等请加引号，如 \"{value}\""
        return msg, False
    if kind == "literal_error":
        return f"“{field_name}”的值{_describe(value)}不在允许范围内，应为 {str(ctx.get('expected', '')).replace(' or ', ' 或 ')}", False
    if kind == "string_too_short":
        return f"“{field_name}”不能为空", False
    if kind == "too_short":
        return f"“{field_name}”至少要有 {ctx.get('min_length')} 项", False
    if kind == "too_long":
        return f"“{field_name}”最多 {ctx.get('max_length')} 项", False
    if kind == "string_too_long":
        return f"“{field_name}”过长（最多 {ctx.get('max_length')} 个字符）", False
    if kind == "string_pattern_mismatch":
        if field_name in ("id", "unit", "office", "default_notice_kind") or "units" in map(str, loc):
            return f"编号{_describe(value)}只能由小写英文字母、数字和“-”组成", False
        return f"“{field_name}”格式不对：{_describe(value)}", False
    if kind in ("greater_than_equal", "greater_than"):
        return f"“{field_name}”不能小于 {ctx.get('ge', ctx.get('gt'))}，实际是 {value}", False
    if kind in ("less_than_equal", "less_than"):
        return f"“{field_name}”不能大于 {ctx.get('le', ctx.get('lt'))}，实际是 {value}", False
    if kind == "multiple_of":
        return f"“{field_name}”应为 {ctx.get('multiple_of')} 的整数倍，实际是 {value}", False
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg"))), False
    return f"“{field_name}”无效（{err.get('msg')}）", False


def validate(model: type[BaseModel], src: Source) -> Any:
    """Validate `src.data` against `model`; errors go to `src.diagnostics`."""
    data = src.data
    if data is None:
        src.error((1, 1), "文件是空的")
        return None
    if not isinstance(data, dict):
        src.error((), f"文件顶层应为映射（“键: 值”），实际是{_describe(data)}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # a typo'd key ("shrot") also makes its real key "missing": report the typo only
        suggested: set[tuple] = set()
        for err in errors:
            if err["type"] == "extra_forbidden":
                loc = tuple(err["loc"])
                import difflib  # only for a misspelt key

                near = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]), n=1, cutoff=0.5)
                if near:
                    suggested.add((*loc[:-1], near[0]))
        seen: set[tuple] = set()
        for err in errors:
            loc = tuple(err["loc"])
            if loc in seen or (err["type"] == "missing" and loc in suggested):
                continue
            seen.add(loc)
            message, at_key = translate(err, model)
            src.error(loc, message, key=at_key or err["type"] == "missing")
        return None
