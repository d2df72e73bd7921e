"""The notice record: one supervision document and the history of its rectification loop."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from lufa_cli.model.data import Strict, Text, UnitId

LEGACY_KIND = "yijianshu"  # its records keep the seed's layout, notices/2026/2026-0003.yaml


class NoticeFinding(Strict):
    text: Text
    finding: Annotated[int, Field(ge=1)] | None = None  # id of the finding in the inspection
    item: str | None = None
    case: str | None = None  # 文号 of the case this finding was found in (from the inspection)
    case_name: str | None = None
    requirement: str = ""  # the specific requirement printed after the finding (optional)


class Case(Strict):
    name: str = ""
    number: str = ""


class Contact(Strict):
    name: str = ""
    phone: str = ""


ESCALATION_EVENTS = ("remind", "interview", "circular", "refer")  # the ladder, in its order


class Event(Strict):
    event: Literal["feedback", "verify", "void", "sent", "renumber", "remind", "interview", "circular", "refer", "followed", "unfollowed"]
    date: dt.date
    doc: str = ""  # feedback: the unit's report; remind/refer: the letter's number; circular: the circular; followed: the new notice; unfollowed: that notice, voided
    who: str = ""  # interview: who was interviewed
    promised: str = ""  # interview: what was promised
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
    reply_required: bool = True  # copied from the kind when issued
    follows: str | None = None  # the document number of the notice this one follows (决定书 after 意见书)
    history: list[Event] = []

    @property
    def key(self) -> str:
        """Unique among all notices: 2026-0003 for the 意见书 (the seed's own layout), jueding-2026-0001 for others."""
        base = f"{self.year}-{self.number:04d}"
        return base if self.kind == LEGACY_KIND else f"{self.kind}-{base}"

    @property
    def followed_by(self) -> str | None:
        """The document number of the notice issued after this one (决定书 after 意见书): it carries the loop on."""
        doc = None
        for e in self.history:
            if e.event == "followed":
                doc = e.doc
            elif e.event == "unfollowed" and e.doc == doc:  # the notice that carried it on was voided
                doc = None
        return doc

    def escalation(self) -> list[Event]:
        """The ladder steps taken (催办, 约谈, 通报, 移交线索), in order."""
        return [e for e in self.history if e.event in ESCALATION_EVENTS]

    @property
    def sent(self) -> bool:
        """Marked as delivered to the unit (`lufa notice sent`): its number can no longer change."""
        return any(e.event == "sent" for e in self.history)

    @property
    def voided(self) -> bool:
        return any(e.event == "void" for e in self.history)

    def state(self) -> tuple[str, dt.date]:
        """(status, the date that matters): 待反馈 (deadline), 待核查 (feedback date), 已接续 (the
        day a notice was issued after it: the 决定书 carries the loop on; back to what it was when
        that notice is voided), 已办结, 已作废. (Records of lufa before 已接续 may hold a feedback or
        a verification after the follow-up: they count as they always did.)"""
        status, when = ("待反馈", self.deadline) if self.reply_required else ("待核查", self.deadline)
        before: tuple[str, dt.date] | None = None  # the state a 已接续 hides, back when its follower is voided
        for e in self.history:
            if e.event == "void":
                return "已作废", e.date
            if e.event == "followed":
                before, (status, when) = (status, when), ("已接续", e.date)
            elif e.event == "unfollowed" and before is not None:
                (status, when), before = before, None
            elif e.event == "feedback":
                status, when = "待核查", e.date
            elif e.event == "verify":
                if e.result == "通过":
                    status, when = "已办结", e.date
                else:
                    status, when = "待反馈", e.new_deadline or when
        return status, when

    def as_of(self, day: dt.date) -> Notice | None:
        """The notice as it stood on `day`: None if not yet issued, later events dropped."""
        if self.issued > day:
            return None
        history = self.history
        if not history:
            return self
        kept = [e for e in history if e.date <= day]
        return self if len(kept) == len(history) else self.model_copy(update={"history": kept})

    @property
    def current_deadline(self) -> dt.date:
        d = self.deadline
        for e in self.history:
            if e.event == "verify" and e.result == "未通过" and e.new_deadline:
                d = e.new_deadline
        return d


STATUS_ORDER = ("待反馈", "待核查", "已接续", "已办结", "已作废")


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
    follows: str | None = None


class LetterRecord(Strict):
    """A numbered letter of the escalation ladder (催办函, 线索移交函) sent about one notice."""

    letter: UnitId  # the letter's id in settings.yaml escalation
    name: Text
    year: Annotated[int, Field(ge=2000, le=2100)]
    number: Annotated[int, Field(ge=1)]
    doc_number: Text
    action: Literal["remind", "refer"]
    date: dt.date
    unit: UnitId
    notice: Text  # the document number of the notice it is about


def open_deadlines(notices: list[Notice]) -> list[dt.date]:
    """The deadlines still running: those of notices waiting for feedback or verification."""
    return [n.current_deadline for n in notices if n.state()[0] in ("待反馈", "待核查")]
