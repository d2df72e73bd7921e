"""Reproducible stratified sampling of units for the mid-year spot check."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

from lufa_cli.errors import UsageError
from lufa_cli.model.data import Unit


def stratified_sample(units: Sequence[Unit], count: int, *, year: int, seed: str) -> list[Unit]:
    """`count` units drawn per kind in proportion to the roster (largest remainder).

    The generator is seeded from year and seed text through SHA-256, so the same
    inputs give the same sample on every machine and Python version.
    """
    if count > len(units):
        raise UsageError(f"--count {count} 超过单位总数 {len(units)}")
    groups: dict[str, list[Unit]] = {}
    for u in units:
        groups.setdefault(u.kind, []).append(u)
    quotas = {k: count * len(v) / len(units) for k, v in groups.items()}
    take = {k: int(q) for k, q in quotas.items()}
    for k in sorted(quotas, key=lambda k: (-(quotas[k] - take[k]), k))[: count - sum(take.values())]:
        take[k] += 1
    digest = hashlib.sha256(f"lufa-spotcheck:{year}:{seed}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    order = {u.id: n for n, u in enumerate(units)}
    drawn: list[Unit] = []
    for kind in sorted(groups):
        pool = sorted(groups[kind], key=lambda u: u.id)
        drawn += rng.sample(pool, take[kind])
    return sorted(drawn, key=lambda u: order[u.id])
