"""Numbered letters of the escalation ladder: 催办函 (remind) and 线索移交函 (refer).

One file per letter, ``data/records/letters/<letter id>/<year>/<year>-0001.yaml``, each
letter its own per-year sequence, the number taken by creating the file exclusively (the
rule of notices, records/notices.py): never duplicated, never reused. With several clerks
(settings.yaml sync) the number is taken on the shared remote (records/gitsync.py).
The notice's history keeps the step with the letter's number (written by the caller
through the notice's locked rewrite).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from lufa_cli.domain.escalation import STEP_NAMES
from lufa_cli.domain.workcal import cn_date
from lufa_cli.model.data import Letter
from lufa_cli.model.notices import LetterRecord, Notice
from lufa_cli.model.records import Inspection
from lufa_cli.reading.yamlsrc import dump
from lufa_cli.records.notices import (
    claim_number,
    finding_texts,
    format_number,
    inspection_facts,
    opening_case,
    period_text,
    wording_context,
)
from lufa_cli.records.store import records_dir

HEADER = "督办函件记录（lufa rectify remind/refer 生成）。文号一经使用不再重用，请勿手工修改"


def letters_dir(data_root: Path, letter_id: str, year: int) -> Path:
    return records_dir(data_root) / "letters" / letter_id / str(year)


def letter_record(letter: Letter, action: str, n: Notice, date: dt.date, number: int) -> LetterRecord:
    return LetterRecord(letter=letter.id, name=letter.name, year=date.year, number=number,
                        doc_number=format_number(letter, date.year, number), action=action,  # type: ignore[arg-type]
                        date=date, unit=n.unit, notice=n.doc_number)


def letter_yaml(rec: LetterRecord) -> str:
    return dump(rec.model_dump(mode="python"), header=HEADER)


def take_letter(data_root: Path, letter: Letter, action: str, n: Notice, date: dt.date) -> tuple[LetterRecord, Path]:
    """Create the letter's record under the next free number of its year (exclusive create)."""
    folder = letters_dir(data_root, letter.id, date.year)
    number, path = claim_number(folder, date.year, 1, lambda k: letter_yaml(letter_record(letter, action, n, date, k)))
    return letter_record(letter, action, n, date, number), path


def publish_letter(repo, data_root: Path, letter: Letter, action: str, notice_path: Path, date: dt.date,
                   step: Callable[[Notice, str], Notice]) -> tuple[LetterRecord, Notice, Path, str]:
    """Several clerks: take the letter's number on the shared remote, in one commit with the notice's
    new history (`step(notice as on the server, letter number)`, which may refuse): (letter, notice, path, commit).
    """
    from lufa_cli.errors import RefusedError
    from lufa_cli.reading.yamlsrc import read_yaml
    from lufa_cli.records import gitsync
    from lufa_cli.records.notices import notice_yaml
    from lufa_cli.workspace.validation import validate

    folder = letters_dir(data_root, letter.id, date.year)
    made: dict[int, tuple[LetterRecord, Notice]] = {}

    def make(k: int, tip: str) -> dict[Path, bytes]:
        raw = gitsync.file_at(repo, tip, notice_path)
        src = read_yaml(notice_path, display=str(notice_path), raw=raw) if raw is not None else None
        cur = validate(Notice, src) if src is not None and src.ok else None
        if cur is None:
            raise RefusedError(f"服务器上没有文书记录 {notice_path.name} 或其有误；请先 lufa sync 并 lufa check")
        rec = letter_record(letter, action, cur, date, k)
        new = step(cur, rec.doc_number)
        made[k] = (rec, new)
        return {folder / f"{date.year}-{k:04d}.yaml": letter_yaml(rec).encode("utf-8"), notice_path: notice_yaml(new).encode("utf-8")}

    k, commit = gitsync.publish(repo, folder, date.year, make, message=f"lufa: {letter.name} {date.year}年第{{n}}号（{notice_path.stem}）")
    rec, new = made[k]
    return rec, new, folder / f"{date.year}-{k:04d}.yaml", commit


def step_text(e) -> str:
    """One ladder step as the referral letter lists it."""
    name = STEP_NAMES[e.event]
    if e.event == "interview":
        text = f"约谈{e.who}" + (f"，承诺{e.promised.rstrip('。')}" if e.promised else "")
    elif e.doc:
        text = f"{name}（{e.doc}）"
    else:
        text = name
    return text + (f"（{e.note.rstrip('。')}）" if e.note and e.event != "interview" else "")


def _notice_facts(n: Notice) -> dict:
    return {"kind_name": n.kind_name, "number": n.doc_number, "date": cn_date(n.issued), "deadline": cn_date(n.current_deadline),
            "period": period_text(n.rectify_days)}


def letter_context(rec: LetterRecord, letter: Letter, n: Notice, chain: list[Notice], unit_name: str, settings,
                   *, reply_by: dt.date | None = None, inspection: Inspection | None = None) -> dict:
    """Context of a letter template: the notice it is about, its chain (an earlier notice it follows), the steps,
    the inspection the first notice came from, and the wording and 版记 the notices carry."""
    contact = n.contact if (n.contact.name or n.contact.phone) else settings.contact
    steps = [e for c in [*chain, n] for e in c.escalation() if e.event != "refer"]
    addressee = letter.addressee or unit_name
    case = opening_case(n)
    return {
        "letter_name": letter.name,
        "number": rec.doc_number,
        "addressee": addressee,
        "unit": unit_name,
        "notice": _notice_facts(n),
        "notices": [_notice_facts(c) for c in [*chain, n]],
        "steps": [{"date": cn_date(e.date), "text": step_text(e)} for e in steps],
        **wording_context(settings, rec.date, skip_cc=letter.addressee),
        # when and how the unit was checked; empty for a notice issued without an inspection record
        "facts": inspection_facts(inspection, settings.issuer) if inspection is not None else "",
        "unit_facts": inspection_facts(inspection, settings.issuer, unit_name) if inspection is not None else "",
        "case": case,
        "findings": finding_texts(n.findings, case),
        "days_overdue": (rec.date - n.current_deadline).days,
        "reply_by": cn_date(reply_by) if reply_by else "",
        "reply_office": settings.reply_office,
        "reply_room": settings.reply_room,
        "issuer": settings.issuer,
        "date": cn_date(rec.date),
        "contact_name": contact.name,
        "contact_phone": contact.phone,
    }
