from __future__ import annotations

import json
import os

from conftest import REPO, snapshot


def test_check_bundled_data(run) -> None:
    r = run("check", cwd=REPO)
    assert r.code == 0, r.text
    assert r.out.startswith("数据无误：55 个单位（县直单位 35、乡镇 20），37 个检查周，每个单位均已安排；检查内容 9 类")
    assert "提示：未使用工作区，正在读取内置鲁山县数据（只读）；lufa where 可查看原因，lufa init 目录 可建立工作区。\n" in r.err
    # the bundled settings leave the contact for the clerk (lufa init --contact fills it)
    assert (
        'data/settings.yaml:22:9: 警告：contact.name（联系人）未填写：文书的附注只印联系方式、不印联系人；填写前 lufa notice issue 拒绝下达\n'
        '    22 |   name: ""\n'
        "       |         ^\n"
    ) in r.err


def test_check_json(run) -> None:
    r = run("check", "--format", "json", cwd=REPO)
    v = json.loads(r.out)
    assert v["ok"] is True and [(p["line"], p["severity"]) for p in v["problems"]] == [(22, "warning")]
    assert (v["units"], v["county"], v["township"], v["points"]) == (55, 35, 20, 100)


def test_check_accepts_bom_and_crlf(ws, run) -> None:
    for name in ("units.yaml", "schedule.yaml"):
        p = ws / "data" / name
        p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes().replace(b"\n", b"\r\n"))
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 0, r.text
    assert snapshot(ws) == before


def test_exempt_unit_with_reason(ws, run) -> None:
    p = ws / "data" / "schedule.yaml"
    text = p.read_text(encoding="utf-8").replace("units: [sifaju, fagaiwei]", "units: [fagaiwei]")
    text = text.replace("exempt: []", "exempt:\n  - unit: sifaju\n    reason: 本单位为监督机关，不自查自评")
    p.write_text(text, encoding="utf-8")
    r = run("check", cwd=ws)
    assert r.code == 0, r.text
    assert "（免检 1 个）" in r.out
    r = run("units", "sifaju", cwd=ws)
    assert "免检：本单位为监督机关" in r.out


def test_missing_data_dir(tmp_path, run) -> None:
    r = run("--data", tmp_path / "nope", "check", cwd=tmp_path)
    assert r.code == 1
    assert "nope" in r.err and "数据目录不存在" in r.err


def test_a_data_dir_that_is_a_file_or_a_dangling_link_is_named_as_such(tmp_path, run) -> None:
    """--data naming a file said 数据目录不存在 (it exists); a symlink to nothing says where it fails."""
    (tmp_path / "units.yaml").write_text("units: []\n", encoding="utf-8")
    r = run("--data", tmp_path / "units.yaml", "check", cwd=tmp_path)
    assert (r.code, r.err.splitlines()[0]) == (1, "units.yaml: 错误：这不是目录：数据目录应是一个目录（工作区或其 data/）")
    if os.name == "posix":
        (tmp_path / "link").symlink_to(tmp_path / "gone")
        r = run("--data", tmp_path / "link", "check", cwd=tmp_path)
        assert (r.code, r.err.splitlines()[0]) == (1, f"gone: 错误：数据目录是符号链接 {tmp_path / 'link'}，它指向的这个位置不存在")


def test_missing_file(ws, run) -> None:
    (ws / "data" / "checklist.yaml").unlink()
    r = run("check", cwd=ws)
    assert r.code == 1 and "data/checklist.yaml: 错误：文件不存在" in r.err


def test_missing_bundled_templates_are_warnings_naming_add_missing(ws, run) -> None:
    """A workspace made by an older lufa: each missing template a notice kind, letter or command needs is one
    warning of `lufa check` (exit 0), every other command still loads, and add-missing silences them."""
    for name in ("notice-jueding.docx", "letter-cuiban.docx", "receipt-songda.docx", "briefing.docx"):
        (ws / "templates" / name).unlink()
    before = snapshot(ws)
    r = run("check", cwd=ws)
    add = "不存在；运行 lufa template add-missing 补上内置模板"
    assert r.code == 0, r.text
    assert r.err == (
        f"data/settings.yaml:54:15: 警告：模板 templates/notice-jueding.docx {add}（行政执法监督决定书要用它）\n"
        "    54 |     template: notice-jueding.docx\n"
        "       |               ^\n"
        f"data/settings.yaml:82:17: 警告：模板 templates/letter-cuiban.docx {add}（行政执法监督催办函要用它）\n"
        "    82 |       template: letter-cuiban.docx\n"
        "       |                 ^\n"
        f"templates: 警告：模板 templates/receipt-songda.docx {add}（lufa notice issue 生成每份文书的送达回证要用它）\n"
        f"templates: 警告：模板 templates/briefing.docx {add}（lufa report briefing 生成工作推进会材料的 Word 文档要用它）\n")
    r = run("units", "司法局", cwd=ws)
    assert (r.code, r.err) == (0, "")
    assert snapshot(ws) == before
    assert run("template", "add-missing", cwd=ws).code == 0
    r = run("check", cwd=ws)
    assert (r.code, r.err) == (0, "")


def test_missing_templates_folder_is_one_warning(ws, run) -> None:
    import shutil

    shutil.rmtree(ws / "templates")
    r = run("check", cwd=ws)
    assert (r.code, r.err) == (0, "templates: 警告：模板目录 templates 不存在；运行 lufa template add-missing 补上内置模板\n")


def test_a_notice_template_name_no_file_has_is_an_error(ws, run) -> None:
    settings = ws / "data" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("template: notice-jueding.docx", "template: notice-juedin.docx"), encoding="utf-8")
    r = run("check", cwd=ws)
    assert r.code == 1
    assert r.err.startswith("data/settings.yaml:54:15: 错误：找不到行政执法监督决定书的模板“notice-juedin.docx”（templates/ 目录下）\n")


def test_a_notice_citing_an_invalid_inspection_is_not_told_it_does_not_exist(ws, run) -> None:
    as_of = ("--as-of", "2026-11-28")
    assert run("inspect", "record", "司法局", "--date", "2026-04-13", "--item", "3.3", "--deduction", "2",
               "--finding", "执法记录仪未全程开启", *as_of, cwd=ws).code == 0
    assert run("--today", "2026-11-28", "notice", "issue", "--inspection", "2026-04-13-sifaju", "--date", "2026-06-01", cwd=ws).code == 0
    path = ws / "data" / "records" / "inspections" / "2026" / "2026-04-13-sifaju.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("deduction: 2", "deduction: -1"), encoding="utf-8")
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 1, r.text
    assert "data/records/inspections/2026/2026-04-13-sifaju.yaml:" in r.err
    assert "不存在" not in r.err, r.err  # the inspection exists; its own file says what is wrong with it
    assert snapshot(ws) == before


def test_a_letter_citing_an_invalid_notice_is_not_told_it_does_not_exist(ws, run) -> None:
    assert run("notice", "issue", "司法局", "--finding", "执法记录仪未全程开启", "--date", "2026-06-01", cwd=ws).code == 0
    assert run("--today", "2026-07-03", "rectify", "remind", "2026-1", "--date", "2026-07-03", cwd=ws).code == 0
    path = ws / "data" / "records" / "notices" / "2026" / "2026-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("rectify_days: 30", "rectify_days: 0"), encoding="utf-8")
    before = snapshot(ws)
    r = run("check", cwd=ws)
    assert r.code == 1 and "data/records/notices/2026/2026-0001.yaml:" in r.err, r.text
    assert "不存在" not in r.err, r.err
    assert snapshot(ws) == before
