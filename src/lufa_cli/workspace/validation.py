"""Reading one file into a validated model, with Pydantic's errors turned into positioned
Chinese diagnostics (the layer under the loader and the cache)."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from lufa_cli.reading.yamlsrc import Source, read_yaml

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

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


M = typing.TypeVar("M", bound=BaseModel)


def read_record(path: Path, model: type[M], display: str, *, inside: Path | None = None,
                seen: list | None = None) -> tuple[M | None, Source]:
    """Read and validate one file; problems are in the returned Source.

    `inside` is the workspace folder: a file that is a symlink out of it is refused (`seen`:
    see fsio.read_file).
    """
    src = read_yaml(path, display=display, inside=inside, seen=seen)
    rec = validate(model, src) if src.ok else None
    return rec, src


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
