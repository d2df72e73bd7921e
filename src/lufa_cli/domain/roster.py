"""Finding a unit from what a clerk types: id, full name or short name."""

from __future__ import annotations

from collections.abc import Sequence

from lufa_cli.errors import UsageError
from lufa_cli.model.data import Unit


def resolve_unit(units: Sequence[Unit], query: str) -> Unit:
    """The one unit meant by `query`.

    Exact id, full name or short name wins; otherwise a unique unit whose full
    or short name contains the query. Ambiguous or unknown queries raise a
    UsageError that lists the candidates.
    """
    q = query.strip()
    if not q:
        raise UsageError("单位名称不能为空")
    for u in units:
        if q in (u.id, u.name, u.short):
            return u
    hits = [u for u in units if q in u.name or q in u.short or q.lower() in u.id]
    if len(hits) == 1:
        return hits[0]
    if hits:
        listed = "；".join(f"{u.short}（{u.id}）" for u in hits[:10])
        more = f" 等 {len(hits)} 个" if len(hits) > 10 else ""
        raise UsageError(f"“{q}”可能指多个单位：{listed}{more}。请写全称、简称或编号")
    import difflib

    names = {u.short: u for u in units} | {u.id: u for u in units}
    near = difflib.get_close_matches(q, list(names), n=3, cutoff=0.5)
    hint = f"，是否想找：{'、'.join(names[n].short for n in near)}" if near else ""
    raise UsageError(f"名册中没有“{q}”这个单位{hint}（lufa units 可列出全部单位）")
