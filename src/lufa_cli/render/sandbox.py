"""The Jinja sandbox every template renders in: plain data only, and bounded.

Jinja's own sandbox refuses unsafe attributes and bounds ``range`` and ``*``, but not
``format`` widths, ``center``, ``join`` or ``replace`` over big inputs, string doubling
with ``~``, or nested loops. A clerk-editable template must never hang lufa, fill the disk
or exhaust memory, so a render here is bounded three ways:

- every operation that can make a value much larger than its inputs (``center``, ``indent``,
  ``format``/``%`` widths, ``join``, ``replace``, ``slice``, ``batch``, ``*``, ``+``, ``~``, ``**``) is checked
  *before* it runs, and what they make counts against one allocation budget per render;
- the output is produced piece by piece (``Template.generate``) and counted as it comes;
- a wall-clock deadline is checked on every loop step (each ``for`` iterates through
  `_bounded_iter`), every call, attribute access and output piece.

Exceeding a bound raises :class:`RenderLimit` with a Chinese message.
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError
from jinja2.filters import do_batch, do_center, do_format, do_indent, do_join, do_replace, sync_do_slice
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import Namespace
from markupsafe import Markup

PLAIN_TYPES = frozenset({dict, list, tuple, str, Markup, int, float, bool, type(None), _dt.date, _dt.datetime})
DENIED_NAMES = frozenset({"format", "format_map"})
#: names a template may not use: they reach the template machinery, not the data
DENIED_GLOBALS = frozenset({"self"})
_LOOP_ATTRS = frozenset(
    {"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
     "previtem", "nextitem", "cycle", "changed"}
)  # fmt: skip
_SAFE_CALLABLES = (safe_range, dict, Namespace)

RENDER_SECONDS = 10.0  # wall-clock limit of one document (all parts of a .docx together)
MAX_OUTPUT_CHARS = 20_000_000  # characters one render may produce (a notice is ~30,000)
MAX_MADE_CHARS = 50_000_000  # characters the amplifying operations of one render may make
MAX_VALUE = 2_000_000  # characters (or items) of one value made by such an operation
MAX_WIDTH = 1_000  # format widths and precisions, center and indent widths
MAX_INT_BITS = 100_000  # about 30,000 decimal digits
MAX_PARTS = 100_000  # slice's parts and batch's group size (Jinja's own range stops at 100,000 too)
PART_WEIGHT = 16  # what one part or padding item counts against the budget of made characters (a list is ~56 bytes)
MAX_LOOP_STEPS = 1_000_000  # loop iterations of one render (a year plan needs a few thousand)

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")


class RenderLimit(SecurityError):
    """A template exceeded a bound; the message is Chinese."""


class Budget:
    """What one render may still spend: time, output, made characters, loop steps."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.output = 0
        self.made = 0
        self.steps = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimit(f"模板渲染超过 {self.seconds:g} 秒（循环嵌套过多？），已停止")

    def make(self, size: int) -> None:
        if size > MAX_VALUE:
            raise RenderLimit(f"模板生成的单个值过大（{size:,} 个字符，上限 {MAX_VALUE:,}），已拒绝渲染")
        self.made += size
        if self.made > MAX_MADE_CHARS:
            raise RenderLimit(f"模板运算生成的文字过多（超过 {MAX_MADE_CHARS:,} 个字符），已拒绝渲染")


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("lufa_render_budget", default=None)


def _tick() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.tick()


def _make(size: int) -> None:
    if size > MAX_VALUE:
        raise RenderLimit(f"模板生成的单个值过大（{size:,} 个字符，上限 {MAX_VALUE:,}），已拒绝渲染")
    budget = _BUDGET.get()
    if budget is not None:
        budget.make(size)


def render_bounded(template: Any, context: dict, *, seconds: float | None = None, budget: Budget | None = None) -> str:
    """Render `template` with `context` inside the bounds (RenderLimit when one is exceeded)."""
    budget = budget or Budget(RENDER_SECONDS if seconds is None else seconds)
    token = _BUDGET.set(budget)
    try:
        pieces = []
        for piece in template.generate(context):
            budget.output += len(piece)
            if budget.output > MAX_OUTPUT_CHARS:
                raise RenderLimit(f"模板渲染结果超过 {MAX_OUTPUT_CHARS // 1_000_000} 百万个字符，已停止（循环嵌套过多？）")
            budget.tick()
            pieces.append(piece)
        return "".join(pieces)
    finally:
        _BUDGET.reset(token)


# --- operations checked before they run ---------------------------------------------------
def _width(value: Any, what: str) -> None:
    if isinstance(value, int) and abs(value) > MAX_WIDTH:
        raise RenderLimit(f"模板中{what}过大（{value}，上限 {MAX_WIDTH}），已拒绝渲染")


def _check_percent(fmt: str) -> None:
    for m in _PERCENT_SPEC.finditer(fmt):
        for part in m.group(1, 2):
            if part == "*":
                raise RenderLimit("模板的格式串中不能用“*”指定宽度，已拒绝渲染")
            if part is not None:
                _width(int(part), "格式宽度或精度")


def _center(value: Any, width: int = 80) -> str:
    _width(width, " center 的宽度")
    result = do_center(value, width)
    _make(len(result))
    return result


def _indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    text = str(s)
    pad = len(width) if isinstance(width, str) else width
    _width(pad, " indent 的宽度")
    _make(len(text) + (text.count("\n") + 1) * max(pad, 0))
    return do_indent(s, width, first, blank)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    _check_percent(str(value))
    result = do_format(value, *args, **kwargs)
    _make(len(result))
    return result


@pass_context
def _join(context: Any, value: Iterable, d: str = "", attribute: Any = None) -> str:
    items = list(value)
    _make(sum(len(str(x)) for x in items) + len(str(d)) * max(len(items) - 1, 0))
    return do_join(context.eval_ctx, items, d, attribute)


@pass_context
def _replace(context: Any, s: str, old: str, new: str, count: int | None = None) -> str:
    text, old_, new_ = str(s), str(old), str(new)
    hits = len(text) + 1 if not old_ else text.count(old_)
    if count is not None and count >= 0:
        hits = min(hits, count)
    _make(len(text) + hits * max(len(new_) - len(old_), 0))
    return do_replace(context.eval_ctx, s, old, new, count)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Iterator[list]:
    """`slice`: `slices` lists however short the input, so the count is checked first."""
    if isinstance(slices, int) and slices > MAX_PARTS:
        raise RenderLimit(f"模板中 slice 的份数过大（{slices:,}，上限 {MAX_PARTS:,}），已拒绝渲染")
    _make(PART_WEIGHT * max(slices, 0) if isinstance(slices, int) else 0)  # never below 0: a budget is not refilled
    return sync_do_slice(value, slices, fill_with)


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Iterator[list]:
    """`batch`: with `fill_with` the last batch is padded to `linecount` items, so it is checked first."""
    if isinstance(linecount, int) and linecount > MAX_PARTS:
        raise RenderLimit(f"模板中 batch 的每组个数过大（{linecount:,}，上限 {MAX_PARTS:,}），已拒绝渲染")
    if fill_with is not None and isinstance(linecount, int):
        _make(PART_WEIGHT * max(linecount, 0))
    return do_batch(value, linecount, fill_with)


@pass_context
def _bounded_iter(context: Any, iterable: Any) -> Iterator[Any]:  # pass_context: never folded at compile time
    """What every `{% for %}` iterates: the deadline and the step count checked on each step."""
    budget = _BUDGET.get()
    for item in iterable:
        if budget is not None:
            budget.steps += 1
            if budget.steps > MAX_LOOP_STEPS:
                raise RenderLimit(f"模板循环超过 {MAX_LOOP_STEPS:,} 步（循环嵌套过多？），已停止")
            if not budget.steps & 0xFF:
                budget.tick()
        yield item


def bounded_parts(parts: tuple) -> tuple:
    """The operands of one `~` concatenation, checked before they are joined."""
    for p in parts:
        _plain_output(p)
    _make(sum(len(p) if isinstance(p, str) else len(str(p)) for p in parts))
    return parts


def _string(value: Any) -> str:
    from jinja2.filters import soft_str

    return soft_str(_plain_output(value))


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every `a ~ b ~ c` checked by `bounded_parts` first."""

    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"{func_name}(environment.bounded_parts((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


class PlainDataSandbox(ImmutableSandboxedEnvironment):
    """Attribute access and method calls only on plain data (dict, list, str, numbers, dates),
    and every render bounded in time, output and memory (see the module docstring).

    Everything else — objects put into the context by mistake, str.format, dunder
    attributes, mutating methods, the template machinery (`self`, macros, `range` printed
    as values) — is refused with SecurityError.
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=_plain_output, **options)
        self.filters.update(center=_center, indent=_indent, format=_format, join=_join, replace=_replace, tojson=_tojson, string=_string,
                            slice=_slice, batch=_batch)
        self.filters["lufa_bounded_iter"] = _bounded_iter
        self.bounded_parts = bounded_parts

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(nodes.Name):
            if node.name in DENIED_GLOBALS and node.ctx == "load":
                from jinja2 import TemplateSyntaxError

                raise TemplateSyntaxError(f"lufa: name '{node.name}' is not allowed", node.lineno, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "lufa_bounded_iter", [], [], None, None, lineno=loop.lineno)
        return tree

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr in DENIED_NAMES:
            return False
        if type(obj) in PLAIN_TYPES or isinstance(obj, Namespace):
            return super().is_safe_attribute(obj, attr, value)
        if isinstance(obj, LoopContext):
            return attr in _LOOP_ATTRS
        return False

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        if any(obj is f for f in _SAFE_CALLABLES) or isinstance(obj, Macro):
            return True
        if not hasattr(obj, "__self__"):  # plain functions, classes, other callables
            return False
        owner, name = obj.__self__, getattr(obj, "__name__", "")
        if type(owner) in PLAIN_TYPES and owner is not None:
            return name not in DENIED_NAMES
        return isinstance(owner, LoopContext) and name in ("cycle", "changed")

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is refused outright, not sandboxed

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _tick()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # Jinja's signature
        _tick()
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, str) and type(owner) in (str, Markup) and name in _STR_METHOD_CHECKS:
            args = _STR_METHOD_CHECKS[name](owner, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "**" and isinstance(right, (int, float)) and (
            abs(right) > 100 or (isinstance(left, int) and left.bit_length() * abs(right) > MAX_INT_BITS)
        ):
            raise RenderLimit("模板中的指数过大，已拒绝渲染")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
                    if len(seq) * n > 100_000:
                        raise RenderLimit("模板中的重复次数过多，已拒绝渲染")
                    _make(len(seq) * max(n, 0))
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise RenderLimit("模板中的数字过大，已拒绝渲染")
        if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            _make(len(left) + len(right))
        if operator == "%" and isinstance(left, str):
            _check_percent(left)
            for value in right if isinstance(right, tuple) else (right,):
                _plain_output(value)
            result = super().call_binop(context, operator, left, right)
            _make(len(result))
            return result
        return super().call_binop(context, operator, left, right)


def _str_width(owner: str, args: tuple, kwargs: dict) -> tuple:
    for a in [*args[:1], *kwargs.values()]:
        _width(a, "字符串宽度")
    return args


def _str_join(owner: str, args: tuple, kwargs: dict) -> tuple:
    if not args:
        return args
    items = list(args[0])
    _make(sum(len(str(x)) for x in items) + len(owner) * max(len(items) - 1, 0))
    return (items, *args[1:])


def _str_replace(owner: str, args: tuple, kwargs: dict) -> tuple:
    if len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        hits = len(owner) + 1 if not old else owner.count(old)
        _make(len(owner) + hits * max(len(new) - len(old), 0))
    return args


def _str_denied(owner: str, args: tuple, kwargs: dict) -> tuple:
    raise RenderLimit("模板不能使用 translate、maketrans、expandtabs 方法，已拒绝渲染")


_STR_METHOD_CHECKS = {
    "center": _str_width, "ljust": _str_width, "rjust": _str_width, "zfill": _str_width,
    "join": _str_join, "replace": _str_replace,
    "translate": _str_denied, "maketrans": _str_denied, "expandtabs": _str_denied,
}  # fmt: skip


@pass_context
def _tojson(context: Any, value: Any, indent: int | None = None) -> Any:
    from jinja2.filters import do_tojson

    _width(indent, " tojson 的缩进")
    result = do_tojson(context.eval_ctx, value, indent)
    _make(len(result))
    return result


def _plain_output(value: Any) -> Any:
    """Every `{{ … }}` value: only data may be printed, never a function, macro or loop object."""
    _tick()
    if type(value) in PLAIN_TYPES or isinstance(value, (str, int, float)):
        return value
    if hasattr(value, "__html__") and not callable(value):  # Markup subclasses
        return value
    from jinja2 import Undefined

    if isinstance(value, Undefined):
        return value
    raise SecurityError(f"template printed a {type(value).__name__} object")
