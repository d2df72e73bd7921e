"""The escalation ladder after a missed deadline: 催办 → 约谈 → 通报 → 移交线索 (pure; `as_of` passed in).

The steps in use and their waiting periods are settings (settings.yaml escalation, an
assumption: the seed only asks to 通报 and to 移交违法违纪线索); their order is fixed.
"""

from __future__ import annotations

import datetime as dt

from lufa_cli.model.data import EscalationStep
from lufa_cli.model.notices import ESCALATION_EVENTS, Event, Notice

STEP_NAMES = {"remind": "催办", "interview": "约谈", "circular": "通报", "refer": "移交线索"}


def next_step(n: Notice, steps: list[EscalationStep], as_of: dt.date) -> tuple[EscalationStep, dt.date] | None:
    """(the step due next, the day it falls due) for `n` as it stood on `as_of`; None when none applies
    (not overdue, not waiting for a written report, or the ladder is done)."""
    m = n.as_of(as_of)
    if m is None:  # not yet issued on `as_of`: no step applies
        return None
    return _next_step(m, m.escalation(), steps, as_of)


def _next_step(n: Notice, taken: list[Event], steps: list[EscalationStep], as_of: dt.date, status: str | None = None) -> tuple[EscalationStep, dt.date] | None:
    """`next_step` of `n` as it stood on `as_of` (`n.as_of(as_of)`), whose ladder steps are `taken`
    (`status`: its `state()`'s, when the caller has it)."""
    if not n.reply_required:
        return None
    if (status or n.state()[0]) != "待反馈":
        return None
    current = n.current_deadline
    if as_of <= current or n.followed_by:
        return None
    last = ESCALATION_EVENTS.index(taken[-1].event) if taken else -1
    later = [s for s in steps if ESCALATION_EVENTS.index(s.action) > last]
    if not later:
        return None
    base = max(taken[-1].date, current) if taken else current
    return later[0], base + dt.timedelta(days=later[0].after_days)


def ladder_view(n: Notice, steps: list[EscalationStep], as_of: dt.date) -> dict:
    """The steps taken by `as_of` and the next one, for the overdue list."""
    m = n.as_of(as_of)
    if m is None:
        return _cells([e for e in n.escalation() if e.date <= as_of], None, as_of)
    return ladder_cells(m, steps, as_of)


def ladder_cells(m: Notice, steps: list[EscalationStep], as_of: dt.date, *, status: str | None = None) -> dict:
    """`ladder_view` of a notice as it stood on `as_of` (`m` = `n.as_of(as_of)`, which holds exactly
    the events dated by `as_of`; `status`: its `state()`'s, when the caller has it)."""
    taken = m.escalation()
    return _cells(taken, _next_step(m, taken, steps, as_of, status), as_of)


def _cells(taken: list[Event], nxt: tuple[EscalationStep, dt.date] | None, as_of: dt.date) -> dict:
    if nxt is not None:
        step, due = nxt
        text = f"{step.name}（{'已到期' if due <= as_of else f'{due} 到期'}）"
    else:
        text = "督办步骤已走完" if taken else ""
    return {
        "steps_taken": "；".join(f"{STEP_NAMES[e.event]} {e.date}" for e in taken),
        "next_step": nxt[0].name if nxt else "",
        "next_action": nxt[0].action if nxt else "",
        "next_due": nxt[1].isoformat() if nxt else "",
        "next_text": text,
    }
