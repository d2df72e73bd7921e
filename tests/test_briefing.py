"""lufa report briefing: the year in pictures, as an HTML page and a GB/T 9704 .docx."""

from __future__ import annotations

import builtins
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import snapshot
from test_cli_review import RULE_EDITS, RULE_TAIL
from test_cli_review import _year as review_year
from test_registers import SHEETS

TODAY = ("--today", "2026-12-20")


def ok(r):
    assert r.code == 0, r.text
    return r


@pytest.fixture
def year(ws: Path, run) -> Path:
    """A test year: scored inspections with bonus, veto and case-file reviews (test_cli_review), the registers
    (test_registers), and notices: one closed in June, one overdue from July, one waiting for verification."""
    path = ws / "data" / "checklist.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in RULE_EDITS:
        text = text.replace(old, new, 1)
    path.write_text(text + RULE_TAIL, encoding="utf-8")
    review_year(run, ws)
    ok(run(*TODAY, "inspect", "record", "发展和改革委员会", "--date", "2026-04-14", "--item", "5", "--deduction", "2",
           "--finding", "处罚决定书未载明救济途径", "--item", "1.1", "--deduction", "1", "--finding", "未亮证执法", cwd=ws))
    ok(run(*TODAY, "inspect", "record", "下汤镇", "--date", "2026-05-12", "--item", "1.1", "--deduction", "1",
           "--finding", "执法人员未着制式服装", cwd=ws))
    for insp, day in (("2026-03-03-zhangliang-zhen", "2026-03-20"), ("2026-04-13-sifaju", "2026-05-10"), ("2026-04-14-fagaiwei", "2026-06-02")):
        ok(run(*TODAY, "notice", "issue", "--inspection", insp, "--date", day, cwd=ws))
    for args in (("rectify", "feedback", "1", "--date", "2026-04-10"),
                 ("rectify", "feedback", "2", "--date", "2026-06-01", "--doc", "鲁司文〔2026〕3号"),
                 ("rectify", "verify", "2", "--method", "书面审阅", "--result", "通过", "--date", "2026-06-15")):
        ok(run(*TODAY, *args, cwd=ws))
    for kind, sheet in SHEETS.items():
        (ws / f"{kind}.csv").write_text(sheet, encoding="utf-8")
        ok(run("register", kind, "record", "--from", ws / f"{kind}.csv", "--as-of", "2026-11-20", cwd=ws))
    return ws


def _docx_lines(path: Path) -> list[str]:
    from docx import Document

    return [p.text for p in Document(str(path)).paragraphs if p.text]


def _html_text(html: str) -> list[str]:
    """The text of the page's paragraphs, headings and captions."""
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<(?:p|h1|h2|figcaption)[^>]*>(.*?)</(?:p|h1|h2|figcaption)>", html, re.S)]


EXPECTED_LINES = [
    "为便于工作推进会研究部署，现将2026年全县依法行政监督考核工作推进情况以图表形式汇报如下：",
    "一、考核得分",
    # 司法局 97 (1.1: 3 × 1, the review's 3, bonus 3; its 年终总结 of 1 Dec is later), 发改委 97, 下汤镇 99, 张良镇 vetoed
    "截至2026年11月30日，已对4个单位开展考核（共55个受监督单位），其中优秀3个、良好0个、合格0个、不合格1个。",
    "尚未考核的单位51个。",
    "加分情况：鲁山县司法局加3分。",
    "一票否决：鲁山县张良镇人民政府（拒不配合监督检查），不论得分评为不合格。",
    "图1　县直单位考核得分和等级",
    "图2　乡镇考核得分和等级",
    "二、发现的问题",
    "检查中共发现问题7处，涉及4个单位。",
    "人员素质方面，文明执法问题较为突出，共发现5处、涉及3个单位。",
    "处罚程序方面发现问题1处、涉及1个单位。",
    "一票否决事项方面，拒不配合监督检查发现问题1处、涉及1个单位。",
    "图3　各类别发现的问题（处）",
    "图4　问题最多的3个检查项目（处）",
    "三、问题整改",
    # 1 (张良镇) waits for verification since 10 Apr, 2 closed 15 June, 3 (发改委) never answered
    "本年度共下达监督文书3件，已办结1件；截至2026年11月30日，逾期未办结2件。",
    "图5　各月下达、办结的监督文书和月末逾期事项（件）",
    "四、备案审查和培训",
    "重大行政处罚备案方面，共收到3件，其中按时报送2件、逾期报送1件，另有1件逾期未报；县司法局已审查1件。",
    "规范性文件备案方面，共收到2件，其中按时报送1件、逾期报送1件；县司法局已审查0件。",
    "培训考核方面，登记培训考核的1个单位中，全年培训不足20学时的1个（鲁山县司法局），均组织了考试。",
    "图6　备案报送和审查（件）",
    "图7　各单位培训学时（要求不少于20学时）",
    "五、案卷评查",
    "案卷评查：共评查1个单位的行政处罚案卷2卷，其中优秀1卷、合格0卷、不合格1卷。按评查结果扣减第5项（处罚程序）分数：鲁山县司法局3分。"
    "案卷中较为突出的问题有：页码编写、装订不规范（2处）；主要事实不清、证据不足（1处）。",
    "图8　各单位评查案卷的等级（卷）",
    "图9　案卷中出现最多的问题（处）",
]


def test_briefing_of_a_year(year, run, tmp_path) -> None:
    r = ok(run("report", "briefing", "--year", "2026", "--as-of", "2026-11-30", "-o", tmp_path / "推进会", cwd=year))
    assert r.err.splitlines()[-1] == "工作推进会材料：5 个部分、9 张图表（数据截至 2026-11-30，图表字体：Noto Sans CJK SC）"
    html = (tmp_path / "推进会.html").read_text(encoding="utf-8")
    lines = _docx_lines(tmp_path / "推进会.docx")
    shutil.copytree(tmp_path, "/tmp/bw/last", dirs_exist_ok=True)
    print("\n".join(lines))
    print("\n".join(_html_text(html)))
    assert lines[:2] == ["2026年依法行政监督考核工作推进情况", "（截至2026年11月30日）"]
    assert lines[2 : 2 + len(EXPECTED_LINES)] == EXPECTED_LINES
