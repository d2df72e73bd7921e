"""The notice record: one supervision document and the history of its rectification loop."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from lufa_cli.model.data import Strict, Text, UnitId


class NoticeFinding(Strict):
    text: Text
    finding: Annotated[int, Field(ge=1)] | None = None  # id of the finding in the inspection
    item: str | None = None


class Case(Strict):
    name: str = ""
    number: str = ""


class Contact(Strict):
    name: str = ""
    phone: str = ""


class Event(Strict):
    event: Literal["feedback", "verify", "void", "sent", "renumber"]
    date: dt.date
    doc: str = ""  # feedback: the unit's report (文号 or file)
    method: Literal["书面审阅", "实地查验"] | None = None
    result: Literal["通过", "未通过"] | None = None
    new_deadline: dt.date | None = None
    note: str = ""


class Notice(Strict):
    year: Annotated[int, Field(ge=2000, le=2099)]
    number: Annotated[int, Field(ge=1)]
    doc_number: Text
    kind: UnitId
    kind_name: Text
    unit: UnitId
    issued: dt.date
    inspection: str | None = None
    case: Case | None = None
    findings: Annotated[list[NoticeFinding], Field(min_length=1)]
    rectify_days: Annotated[int, Field(ge=1, le=365)]
    deadline: dt.date
    contact: Contact = Contact()
    history: list[Event] = []

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number:04d}"

    @property
    def sent(self) -> bool:
        """Marked as delivered to the unit (`lufa notice sent`): its number can no longer change."""
        return any(e.event == "sent" for e in self.history)

    @property
    def voided(self) -> bool:
        return any(e.event == "void" for e in self.history)

    def state(self) -> tuple[str, dt.date]:
        """(status, the date that matters): 待反馈 (deadline), 待核查 (feedback date), 已办结, 已作废."""
        status, when = "待反馈", self.deadline
        for e in self.history:
            if e.event == "void":
                return "已作废", e.date
            if e.event == "feedback":
                status, when = "待核查", e.date
            elif e.event == "verify":
                if e.result == "通过":
                    status, when = "已办结", e.date
                else:
                    status, when = "待反馈", e.new_deadline or when
        return status, when

    def as_of(self, day: dt.date) -> "Notice | None":
        """The notice as it stood on `day`: None if not yet issued, later events dropped."""
        if self.issued > day:
            return None
        kept = [e for e in self.history if e.date <= day]
        return self if len(kept) == len(self.history) else self.model_copy(update={"history": kept})

    @property
    def current_deadline(self) -> dt.date:
        d = self.deadline
        for e in self.history:
            if e.event == "verify" and e.result == "未通过" and e.new_deadline:
                d = e.new_deadline
        return d


STATUS_ORDER = ("待反馈", "待核查", "已办结", "已作废")


class ProvisionalNotice(Strict):
    """A notice issued offline (`notice issue --provisional`): no number yet, never printed.

    `lufa sync` takes its final number on the shared remote and turns it into a Notice.
    """

    provisional: Literal[True] = True
    kind: UnitId
    unit: UnitId
    issued: dt.date
    inspection: str | None = None
    case: Case | None = None
    findings: Annotated[list[NoticeFinding], Field(min_length=1)]
    rectify_days: Annotated[int, Field(ge=1, le=365)]
    deadline: dt.date
    contact: Contact = Contact()


def open_deadlines(notices: list[Notice]) -> list[dt.date]:
    """The deadlines still running: those of notices waiting for feedback or verification."""
    return [n.current_deadline for n in notices if n.state()[0] in ("待反馈", "待核查")]
