"""Rewrites keep what the clerk wrote: comments survive amend, feedback, verify and void;
where a comment cannot be kept, nothing is written and the message quotes it."""

from __future__ import annotations

from pathlib import Path

from conftest import snapshot
from lufa_cli.reading.yamlsrc import read_yaml

AS_OF = ("--as-of", "2026-11-28")
INSPECTION = Path("data/records/inspections/2026/2026-04-13-sifaju.yaml")
NOTICE = Path("data/records/notices/2026/2026-0001.yaml")

COMMENTED_INSPECTION = """\
# 检查记录（lufa inspect record 生成；可手工修改，改后请运行 lufa check）
# 科员手记：4 月 20 日复核后再定扣分
id: 2026-04-13-sifaju
unit: sifaju  # 司法局，带队：王科长
date: 2026-04-13
kind: 日常监督
inspectors:
- 张三
methods:
- 查阅资料
findings:
- id: 1
  item: '3.3'
  deduction: 2  # 原定 3 分，会上改为 2 分
  description: 执法记录仪未全程开启
  fixed_on_spot: false
# 第 2 条是现场补充的
- id: 2
  item: '5'
  deduction: 1
  description: 处罚决定书未载明救济途径
  fixed_on_spot: false
# 以上问题已当面反馈
note: ''
"""

COMMENTS = [
    "# 科员手记：4 月 20 日复核后再定扣分",
    "unit: sifaju  # 司法局，带队：王科长",
    "  deduction: 2  # 原定 3 分，会上改为 2 分",
    "# 第 2 条是现场补充的",
    "# 以上问题已当面反馈",
]


def _commented_inspection(ws: Path, run) -> Path:
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2",
            "--finding", "执法记录仪未全程开启", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    path = ws / INSPECTION
    path.write_text(COMMENTED_INSPECTION, encoding="utf-8")
    return path


def _check_clean(ws: Path, run) -> None:
    r = run("check", cwd=ws)
    assert r.code == 0, r.text
    assert "数据无误" in r.text and "警告" not in r.text, r.text


def test_amend_keeps_comments_at_top_inline_and_between_findings(ws, run) -> None:
    path = _commented_inspection(ws, run)
    r = run("inspect", "amend", "2026-04-13-sifaju", "--item", "3.3", "--deduction", "0.5", "--finding", "案卷未按规范立卷",
            *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    r = run("inspect", "amend", "2026-04-13-sifaju", "--withdraw", "1", "--reason", "no", "--set-deduction", "2=0.5",
            "--note", "yes", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for comment in COMMENTS:
        assert comment in lines, (comment, text)
    # the comments stay where they were: before finding 2, and below the findings (not above the new one)
    assert lines.index("# 第 2 条是现场补充的") == lines.index("- id: 2") - 1
    assert lines.index("# 以上问题已当面反馈") == lines.index("note: 'yes'") - 1
    assert lines.index("- id: 3") < lines.index("# 以上问题已当面反馈")
    # values the strict reader would read as something else are quoted
    assert "  withdrawn: 'no'" in lines
    src = read_yaml(path)
    assert src.ok, [d.format() for d in src.diagnostics]
    assert [f["id"] for f in src.data["findings"]] == [1, 2, 3]
    assert src.data["findings"][0]["withdrawn"] == "no" and src.data["findings"][1]["deduction"] == 0.5
    assert src.data["note"] == "yes"
    assert [a["summary"] for a in src.data["amendments"]] == [
        "增加第 3 条问题（3.3）", "撤销第 1 条问题（no）；第 2 条问题扣分 1 → 0.5；修改备注"]
    _check_clean(ws, run)


def test_a_record_without_comments_is_written_as_a_new_one(ws, run) -> None:
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2",
            "--finding", "执法记录仪未全程开启", *AS_OF, cwd=ws)
    assert r.code == 0
    assert run("inspect", "amend", "2026-04-13-sifaju", "--note", "补充", *AS_OF, cwd=ws).code == 0
    text = (ws / INSPECTION).read_text(encoding="utf-8")
    assert text.startswith("# 检查记录（lufa inspect record 生成；可手工修改，改后请运行 lufa check）\nid: 2026-04-13-sifaju\n")
    assert "note: 补充\namendments:\n- date: 2026-11-28\n  summary: 修改备注\n" in text


def test_windows_line_endings_and_bom_are_kept(ws, run) -> None:
    path = _commented_inspection(ws, run)
    path.write_bytes(b"\xef\xbb\xbf" + COMMENTED_INSPECTION.replace("\n", "\r\n").encode("utf-8"))
    assert run("inspect", "amend", "2026-04-13-sifaju", "--note", "补充", *AS_OF, cwd=ws).code == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# ") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert "# 以上问题已当面反馈" in raw.decode("utf-8-sig")
    _check_clean(ws, run)


def test_loop_steps_keep_comments_in_a_notice(ws, run) -> None:
    assert run("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", "--date", "2026-11-02", cwd=ws).code == 0
    path = ws / NOTICE
    text = path.read_text(encoding="utf-8")
    text = text.replace("unit: sifaju\n", "unit: sifaju  # 已电话通知办公室\n").replace("history: []\n", "# 送达回证已归档\nhistory: []\n")
    path.write_text(text, encoding="utf-8")
    assert run("rectify", "feedback", "1", "--date", "2026-11-20", "--doc", "鲁司文〔2026〕12号", cwd=ws).code == 0
    assert run("rectify", "verify", "1", "--method", "书面审阅", "--result", "未通过", "--date", "2026-11-25", cwd=ws).code == 0
    assert run("notice", "void", "1", "--reason", "重复下达", "--date", "2026-11-26", cwd=ws).code == 0
    text = path.read_text(encoding="utf-8")
    assert "unit: sifaju  # 已电话通知办公室\n" in text and "# 送达回证已归档\nhistory:\n" in text, text
    src = read_yaml(path)
    assert [e["event"] for e in src.data["history"]] == ["feedback", "verify", "void"]
    _check_clean(ws, run)


def test_a_comment_that_cannot_be_kept_refuses_and_says_which(ws, run) -> None:
    path = _commented_inspection(ws, run)
    # ruamel.yaml drops a comment inside a flow list written over several lines
    text = COMMENTED_INSPECTION.replace("methods:\n- 查阅资料\n", "methods: [\n  查阅资料,  # 只看了 2025 年的案卷\n]\n")
    path.write_text(text, encoding="utf-8")
    assert read_yaml(path).ok
    before = snapshot(ws)
    r = run("inspect", "amend", "2026-04-13-sifaju", "--withdraw", "1", "--reason", "经复核不属实", *AS_OF, cwd=ws)
    assert r.code == 3, r.text
    assert r.err == (
        "错误：改写 data/records/inspections/2026/2026-04-13-sifaju.yaml 会丢失手工写的注释 1 处：“# 只看了 2025 年的案卷”"
        "（保留注释的写入器无法把它们写回原处）；本次没有做任何修改。请把这些注释移到普通的“键: 值”行上"
        "（不要放在 [ ]、{ } 之内或 ... 之后），或删去后重试\n"), r.err
    assert snapshot(ws) == before
    # moved onto a plain line, the same amend goes through and keeps it
    path.write_text(COMMENTED_INSPECTION.replace("methods:\n- 查阅资料\n", "methods:\n- 查阅资料  # 只看了 2025 年的案卷\n"), encoding="utf-8")
    assert run("inspect", "amend", "2026-04-13-sifaju", "--withdraw", "1", "--reason", "经复核不属实", *AS_OF, cwd=ws).code == 0
    assert "- 查阅资料  # 只看了 2025 年的案卷\n" in path.read_text(encoding="utf-8")
    _check_clean(ws, run)


def test_a_key_that_goes_keeps_the_comments_around_it() -> None:
    """A key the new data lacks (a cleared 整改要求) is deleted only when the record would otherwise read
    back wrong; its own line's comment and the comment lines below it stay where they were."""
    from lufa_cli.records.rewrite import _round_trip, comments

    text = ("findings:\n- id: 1\n  description: 甲 # 描述旁的注释\n  requirement: 立即整改\n# 第 2 条是现场补充的\n"
            "- id: 2\n  case: null\n  requirement: 乙  # 要求旁的注释\n# 最后的注释\nnote: x\n")
    data = {"findings": [{"id": 1, "description": "甲"}, {"id": 2}], "note": "x"}
    was = {"findings": [{"id": 1, "description": "甲", "requirement": "立即整改"}, {"id": 2, "requirement": "乙"}], "note": "x"}
    kept = _round_trip(text, data, "x", comments(text))
    assert "requirement: 立即整改" in kept and "  case: null" in kept  # without drop nothing goes
    out = _round_trip(text, data, "x", comments(text), drop=was)
    # only what the change took away goes: the hand-written `case: null` (not in the old data) stays
    assert out == ("findings:\n- id: 1\n  description: 甲 # 描述旁的注释\n# 第 2 条是现场补充的\n"
                   "- id: 2\n  case: null\n# 要求旁的注释\n# 最后的注释\nnote: x\n")
    assert comments(out) == comments(text)


def test_a_key_that_goes_after_a_list_leaves_its_comments_below_the_list() -> None:
    """The comments of a deleted key that follows a list or a mapping stay below its last line
    (ruamel would print them after `key:`, above the items)."""
    from lufa_cli.records.rewrite import _round_trip, comments

    text = "methods:\n- 查阅资料\n- 调阅案卷\nx: 1  # 将删去的键\n# 其后的注释\nf:\n  k: 1\n  m:\n    z: 2\ny: 2  # 又一个\nnote: n\n"
    was = {"methods": ["查阅资料", "调阅案卷"], "x": 1, "f": {"k": 1, "m": {"z": 2}}, "y": 2, "note": "n"}
    data = {"methods": ["查阅资料", "调阅案卷"], "f": {"k": 1, "m": {"z": 2}}, "note": "n"}
    out = _round_trip(text, data, "x", comments(text), drop=was)
    assert out == ("methods:\n- 查阅资料\n- 调阅案卷\n# 将删去的键\n# 其后的注释\nf:\n  k: 1\n  m:\n    z: 2\n"
                   "# 又一个\nnote: n\n")
    # after a block scalar (its last line ends with its own newline) no blank line comes in between
    for style, value in (("|-", "多行\n文字"), ("|", "多行\n文字\n"), (">-", "多行 文字")):
        text = f"f:\n- id: 1\n  d: {style}\n    多行\n    文字\n  requirement: x  # 注\n# 下\nnote: n\n"
        out = _round_trip(text, {"f": [{"id": 1, "d": value}], "note": "n"}, "x", comments(text),
                          drop={"f": [{"id": 1, "d": value, "requirement": "x"}], "note": "n"})
        assert out == f"f:\n- id: 1\n  d: {style}\n    多行\n    文字\n# 注\n# 下\nnote: n\n", style


def test_a_block_scalars_header_comment_counts_as_a_comment() -> None:
    """`description: |  # 注释` holds a comment the round-trip writer drops: it must be seen (so the
    rewrite refuses rather than losing it)."""
    from lufa_cli.records.rewrite import comments

    assert comments("a: |  # 头注释\n  x # 不是注释\nb: >-\n  y\nc: 1 # 行尾\n") == {"# 头注释": 1, "# 行尾": 1}


def _inspection_with_requirement(ws: Path, run) -> Path:
    """司法局's inspection of 2026-04-13 with one finding whose 整改要求 is 重新制作."""
    r = run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "5", "--deduction", "1",
            "--finding", "处罚决定书未载明救济途径", "--requirement", "1=重新制作", *AS_OF, cwd=ws)
    assert r.code == 0, r.text
    return ws / INSPECTION


def test_clear_requirement_leaves_hand_written_defaults_and_block_scalar_comments(ws, run) -> None:
    """--clear-requirement deletes the requirement only: a hand-written default elsewhere stays with
    its comment; a comment on a block scalar's header line makes the rewrite refuse, files unchanged."""
    path = _inspection_with_requirement(ws, run)
    text = path.read_text(encoding="utf-8")
    assert "methods: []\n" in text and "  requirement: 重新制作\n" in text, text
    text = text.replace("methods: []\n", "methods:\n- 查阅资料\n- 调阅案卷\ntype: 日常监督  # 监督类型默认\n# 其后块注释\n")
    path.write_text(text, encoding="utf-8")
    assert run("inspect", "amend", "2026-04-13-sifaju", "--clear-requirement", "1", *AS_OF, cwd=ws).code == 0
    assert path.read_text(encoding="utf-8") == (text.replace("  requirement: 重新制作\n", "")
                                                + "amendments:\n- date: 2026-11-28\n  summary: 删去第 1 条问题的整改要求\n")
    _check_clean(ws, run)

    # a block scalar's header comment on a key that stays is kept …
    text = path.read_text(encoding="utf-8").replace("  description: 处罚决定书未载明救济途径\n",
                                                     "  description: |-  # 块标量注释\n    处罚决定书未载明救济途径\n")
    path.write_text(text, encoding="utf-8")
    assert run("inspect", "amend", "2026-04-13-sifaju", "--requirement", "1=重新制作", *AS_OF, cwd=ws).code == 0
    assert "  description: |-  # 块标量注释\n" in path.read_text(encoding="utf-8")
    # … on the key that goes it cannot be: the rewrite refuses (it used to drop it silently)
    path.write_text(path.read_text(encoding="utf-8").replace("  requirement: 重新制作\n", "  requirement: |-  # 要求注释\n    重新制作\n"),
                    encoding="utf-8")
    before = snapshot(ws)
    r = run("inspect", "amend", "2026-04-13-sifaju", "--clear-requirement", "1", *AS_OF, cwd=ws)
    assert r.code == 3, r.text
    assert "会丢失手工写的注释 1 处：“# 要求注释”" in r.err, r.err
    assert snapshot(ws) == before


def test_a_comment_on_the_first_key_of_a_finding_that_goes_refuses_with_the_right_advice(ws, run) -> None:
    """`- requirement: …  # 注释` as a finding's first key: nothing before it in the finding to move the
    comment to; the refusal says so (not "move it onto a 键: 值 line", where it already is)."""
    path = _inspection_with_requirement(ws, run)
    text = path.read_text(encoding="utf-8")
    assert "- id: 1\n" in text and "  requirement: 重新制作\n" in text, text
    text = text.replace("  requirement: 重新制作\n", "").replace("- id: 1\n", "- requirement: 重新制作  # 首键注释\n  id: 1\n")
    path.write_text(text, encoding="utf-8")
    assert run("check", cwd=ws).code == 0
    before = snapshot(ws)
    r = run("inspect", "amend", "2026-04-13-sifaju", "--clear-requirement", "1", *AS_OF, cwd=ws)
    assert r.code == 3, r.text
    assert r.err == (
        "错误：改写 data/records/inspections/2026/2026-04-13-sifaju.yaml 会丢失手工写的注释 1 处：“# 首键注释”"
        "（它们写在要删去的键上，而该键是这一项的第一个键，删去后无处可放）；本次没有做任何修改。"
        "请把这些注释移到这一项的其他行上，或删去后重试\n"), r.err
    assert snapshot(ws) == before
