"""Rewriting an existing record: locked, re-read, changed, comments kept, atomic.

Every command that changes a record file that already exists (`inspect amend`, `notice void`,
`rectify feedback`, `rectify verify`) goes through `update_record`:

1. take the record's lock (reading/fsio.record_lock: a second lufa waits, then refuses with exit 7);
2. re-read the file *inside* the lock with the strict reader, so a change another process made a
   moment ago is the starting point (never a lost update, never a finding id handed out twice);
3. apply the change;
4. write: a file without comments of the clerk's is written exactly as a new record would be; a
   file with comments goes through ruamel.yaml's round-trip writer, which keeps them, and the
   result must read back (strictly) as exactly the changed record. If some comment would be
   lost, nothing is written and the message quotes it;
5. atomic replace, release.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel

from lufa_cli.errors import BusyError, DataError, ExternalError, RefusedError
from lufa_cli.reading.fsio import ReadRefused, atomic_write, read_file, record_lock
from lufa_cli.reading.yamlsrc import plain_is_text, read_yaml

M = TypeVar("M", bound=BaseModel)
_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\r\n]*", re.M)


def update_record(
    path: Path,
    model: type[M],
    display: str,
    change: Callable[[M], M],
    to_data: Callable[[M], dict],
    to_text: Callable[[M], str],
) -> M:
    """Change the record in `path` under its lock and write it back; returns the new record.

    `change` gets the record as it is on disk now (it may raise to refuse); `to_data` gives the
    plain data to write, `to_text` the canonical text of a freshly written record.
    """
    from lufa_cli.workspace.validation import validate

    with record_lock(path, display) as lock:
        try:
            raw = read_file(path)
        except ReadRefused as exc:
            raise ExternalError(f"无法读取 {display}：{exc.reason}；没有做任何修改") from None
        src = read_yaml(path, display=display, raw=raw)
        rec = validate(model, src) if src.ok else None
        if rec is None or not src.ok:
            raise DataError(f"记录文件 {display} 有误，没有做任何修改（lufa check 可列出全部问题）", diagnostics=src.diagnostics)
        new = change(rec)
        text = raw.decode("utf-8-sig")
        canonical = to_text(new)
        kept = comments(text) - comments(canonical)
        if kept:
            data = to_data(new)

            def reads_back(out: str) -> bool:
                back = read_yaml(path, display=display, raw=out.encode("utf-8"))
                return back.ok and validate(model, back) == new

            # keys the new data lacks are left where they are (a hand-written `case: null`) unless
            # the record then reads back wrong: then the keys the change took away (in the old
            # record's data, not in the new one's) go, their comment lines kept in place
            out = _round_trip(text, data, display, kept)
            if not reads_back(out):
                out = _round_trip(text, data, display, kept, drop=to_data(rec))
                if not reads_back(out):
                    raise RefusedError(_lost_message(display, kept, "保留注释改写后的内容与应写入的不一致"))
        else:
            out = canonical
        if raw.startswith(b"\xef\xbb\xbf"):
            out = "\ufeff" + out
        if "\r\n" in text:
            out = out.replace("\r\n", "\n").replace("\n", "\r\n")
        if not lock.held():  # held past LOCK_STALE_SECONDS and broken by another process
            raise BusyError(f"记录 {display} 的锁已超时，被另一个 lufa 进程接管；为免覆盖它的修改，本次没有写入，请重试")
        atomic_write(path, out, overwrite=True)
    return new


def comments(text: str) -> Counter[str]:
    """The comments in YAML `text` (each stripped), found between the scanner's tokens and on
    block scalars' header lines."""
    if "#" not in text:
        return Counter()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found: Counter[str] = Counter()
    pos = 0
    try:
        for tok in yaml.scan(text, Loader=loader):
            start, end = tok.start_mark.index, tok.end_mark.index
            if start > pos:
                found.update(m.group().strip() for m in _COMMENT.finditer(text, pos, start))
            if getattr(tok, "style", None) in ("|", ">"):
                # a block scalar's token holds its header line (`|  # comment`) with the header's comment
                head = text.find("\n", start, end)
                found.update(m.group().strip() for m in _COMMENT.finditer(text, start, head if head != -1 else end))
            pos = max(pos, end)
    except yaml.YAMLError:  # the strict reader accepted it before, so this does not happen
        pass
    found.update(m.group().strip() for m in _COMMENT.finditer(text, pos))
    return found


_MOVE_THEM = "请把这些注释移到普通的“键: 值”行上（不要放在 [ ]、{ } 之内或 ... 之后），或删去后重试"


def _lost_message(display: str, lost: Counter[str], why: str, advice: str = _MOVE_THEM) -> str:
    shown = "；".join(f"“{c}”" for c in list(lost)[:5]) + ("等" if len(lost) > 5 else "")
    return f"改写 {display} 会丢失手工写的注释 {sum(lost.values())} 处：{shown}（{why}）；本次没有做任何修改。{advice}"


class _NoPlace(Exception):
    """The comments of a key that goes have no line before them in its mapping to move to."""

    def __init__(self, lost: Counter[str]) -> None:
        super().__init__()
        self.lost = lost


def _round_trip(text: str, data: dict, display: str, wanted: Counter[str], *, drop: Any = None) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    # a hand-written `case: null` the change does not touch stays `null` (ruamel writes an empty value)
    y.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    try:
        doc = y.load(text)
        _merge(doc, data, drop)
        buf = io.StringIO()
        y.dump(doc, buf)
    except _NoPlace as exc:
        raise RefusedError(_lost_message(display, exc.lost, "它们写在要删去的键上，而该键是这一项的第一个键，删去后无处可放",
                                         "请把这些注释移到这一项的其他行上，或删去后重试")) from None
    except (YAMLError, TypeError, ValueError) as exc:
        raise RefusedError(_lost_message(display, wanted, f"保留注释的写入器无法处理此文件：{type(exc).__name__}")) from None
    out = buf.getvalue()
    lost = wanted - comments(out)
    if lost:
        raise RefusedError(_lost_message(display, lost, "保留注释的写入器无法把它们写回原处"))
    return out


def _same(old: Any, new: Any) -> bool:
    return (old == new and isinstance(old, bool) == isinstance(new, bool)
            and isinstance(old, str) == isinstance(new, str))


def _merge(old: Any, new: Any, drop: Any = None) -> Any:
    """`old` (ruamel nodes with comments) changed in place to hold `new`; the node to store.
    `drop`: the data `old` was written from; a key it has and `new` lacks is deleted from `old`
    (`_drop_key`). Keys that only the file has (a hand-written default) are never deleted."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(new, dict) and isinstance(old, CommentedMap):
        was = drop if isinstance(drop, dict) else {}
        for key in [k for k in old if k in was and k not in new]:
            _drop_key(old, key)
        for key, value in new.items():
            if key in old:
                merged = _merge(old[key], value, was.get(key))
                if merged is not old[key]:
                    old[key] = merged
            elif len(old) and _ends_with_comment_lines(old):
                # the last key carries the comment lines that follow the mapping (they belong to
                # what comes next): put the new key before it so they stay where they were
                old.insert(len(old) - 1, key, _fresh(value))
            else:
                old[key] = _fresh(value)
        # without `drop`, keys only in `old` (e.g. an explicit `case: null`) are left: the read-back
        # check proves the whole record is still exactly the new one
        return old
    if isinstance(new, list) and isinstance(old, CommentedSeq):
        were = drop if isinstance(drop, list) else []
        for i, value in enumerate(new):
            if i < len(old):
                merged = _merge(old[i], value, were[i] if i < len(were) else None)
                if merged is not old[i]:
                    old[i] = merged
            else:
                item = _fresh(value)
                if old and isinstance(old[-1], CommentedMap) and isinstance(item, CommentedMap) and item:
                    _move_trailing_comment_lines(old[-1], item)
                old.append(item)
        del old[len(new):]
        return old
    return old if _same(old, new) else _fresh(new)


def _drop_key(m: Any, key: Any) -> None:
    """Delete `key` from the ruamel map `m`; the comments after its value (its own line's, and the
    comment lines below it, which ruamel keeps with it) move to the key before it, so they stay
    where they were. Without a key before it there is no such place: `_NoPlace`."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
    from ruamel.yaml.tokens import CommentToken

    keys = list(m.keys())
    slot = m.ca.items.get(key)
    token = slot[2] if slot and len(slot) > 2 else None
    at = keys.index(key)
    if at == 0 and token is not None:
        lost = comments(getattr(token, "value", None) or "")
        if lost:
            raise _NoPlace(lost)
    if token is not None and getattr(token, "value", None) and at > 0:
        moved = token.value[1:] if token.value.startswith("\n") else token.value  # the newline ending the key's own line
        items, last, i, value = _last_line(m, keys[at - 1])
        prev = items.setdefault(last, [None, None, None, None])
        while len(prev) < 4:
            prev.append(None)
        if prev[i] is not None and getattr(prev[i], "value", None):
            prev[i].value += moved  # after the previous line's own comment, which ends with its newline
        else:
            # a block scalar's last line ends with its newline already: no blank line after it
            prev[i] = CommentToken(("" if isinstance(value, (FoldedScalarString, LiteralScalarString)) else "\n") + moved, CommentMark(0), None)
    del m[key]


def _last_line(m: Any, key: Any) -> tuple[dict, Any, int, Any]:
    """Where ruamel keeps the comments that follow the last line of `m[key]`: (comment table, key
    or index, slot, the value on that line). A list or mapping value ends with its last item
    (`key:` itself is followed by the value's first line), so it is followed down to a scalar."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    items, last, slot, value = m.ca.items, key, 2, m[key]
    while True:
        if isinstance(value, CommentedMap) and value:
            last = list(value.keys())[-1]
            items, slot, value = value.ca.items, 2, value[last]
        elif isinstance(value, CommentedSeq) and value:
            last = len(value) - 1
            items, slot, value = value.ca.items, 0, value[last]
        else:
            return items, last, slot, value


def _ends_with_comment_lines(m: Any) -> bool:
    last = list(m.keys())[-1]
    slot = m.ca.items.get(last)
    token = slot[2] if slot and len(slot) > 2 else None
    value = getattr(token, "value", "") or ""
    return "\n#" in value or value.lstrip(" \t").startswith("\n")


def _move_trailing_comment_lines(before: Any, after: Any) -> None:
    """Comment lines after the old last item of a list belong below the list: move them to the new last item."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if not before or not _ends_with_comment_lines(before):
        return
    slot = before.ca.items[list(before.keys())[-1]]
    value = slot[2].value
    if value.lstrip(" \t").startswith("#"):  # an inline comment on the key's own line stays there
        cut = value.index("\n") + 1
        slot[2].value, rest = value[:cut], "\n" + value[cut:]
    else:
        slot[2], rest = None, value
    after.ca.items[list(after.keys())[-1]] = [None, None, CommentToken(rest, CommentMark(0), None), None]


def _fresh(value: Any) -> Any:
    """A new value for ruamel, quoted exactly where the strict reader needs it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

    if isinstance(value, dict):
        return CommentedMap((k, _fresh(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_fresh(v) for v in value)
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value)
        return value if plain_is_text(value) else SingleQuotedScalarString(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
