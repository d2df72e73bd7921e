"""Catalogue of bad data files and the exact diagnostics they must produce.

Each case edits one file of a fresh copy of the bundled data: the first
occurrence of `find` is replaced by `replace` (or the whole file is replaced
by `content`). `expect` lists the exact diagnostic lines; ``{L}`` stands for
the line number where `find` starts, ``{L+1}`` for the next line, and so on,
so the cases survive edits elsewhere in the data files.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    expect: list[str]
    find: str = ""
    replace: str = ""
    content: bytes | None = None
    extra: dict[str, str] = field(default_factory=dict)


UNIT = "  - id: sifaju\n    name: 鲁山县司法局\n    short: 司法局\n    kind: county\n"

CASES: list[Case] = [
    # --- strict YAML (issue item 3) ------------------------------------------------
    Case("duplicate-key", "units.yaml", ["{L+2}:5: 错误：键“name”重复（第 {L+1} 行已有）；YAML 会静默丢弃前一个值"],
         find=UNIT, replace=UNIT.replace("    short:", "    name: 鲁山县司法局（重复）\n    short:")),
    Case("tab-indent", "units.yaml", ["{L+1}:1: 错误：缩进里有制表符(Tab)，YAML 缩进只能用半角空格"],
         find=UNIT, replace=UNIT.replace("    name:", "\t  name:")),
    Case("tab-in-value", "units.yaml", ["{L+2}:15: 错误：含有制表符(Tab)，请改为空格"],
         find=UNIT, replace=UNIT.replace("short: 司法局", "short: 司法局\t")),
    Case("anchor-alias", "units.yaml",
         ["{L}:9: 错误：不支持锚点“&sf”，请删除", "{L+3}:11: 错误：不支持锚点引用“*sf”，请把内容直接写出"],
         find=UNIT, replace=UNIT.replace("id: sifaju", "id: &sf sifaju").replace("kind: county", "kind: *sf")),
    Case("merge-key", "settings.yaml", ["{L}:3: 错误：不支持合并键“<<”，请把内容直接写出"],
         find="  name: 张三\n", replace="  <<: {name: 张三}\n"),
    Case("explicit-tag", "units.yaml", ["{L+2}:12: 错误：不支持显式类型标签“!!str”，请删除"],
         find=UNIT, replace=UNIT.replace("short: 司法局", "short: !!str 司法局")),
    Case("yaml11-bool", "units.yaml", ["{L+2}:12: 错误：“no”含义不明确（旧式 YAML 会当成是/否）：是否请写 true 或 false，文字请加引号，如 \"no\""],
         find=UNIT, replace=UNIT.replace("short: 司法局", "short: no")),
    Case("sexagesimal", "settings.yaml", ["{L}:25: 错误：“1:30”会被旧式 YAML 当成六十进制数字；如是时间或文字请加引号，如 \"1:30\""],
         find="verification_wait_days: 15", replace="verification_wait_days: 1:30"),
    Case("leading-zero", "checklist.yaml", ["{L}:17: 错误：“010”写法有歧义（前导零、进制或下划线数字）；数字请去掉前导零，编号等文字请加引号，如 \"010\""],
         find="        points: 5", replace="        points: 010"),
    Case("impossible-date", "calendar.yaml", ["{L}:16: 错误：日期“2027-02-30”不存在"],
         find="", content=b"years:\n  - year: 2027\n    workdays: [2027-02-30]\n", extra={"line": "3"}),
    Case("unpadded-date", "calendar.yaml", ["{L}:16: 错误：日期“2027-2-7”格式不对，请写成 YYYY-MM-DD，例如 2027-02-07"],
         find="", content=b"years:\n  - year: 2027\n    workdays: [2027-2-7]\n", extra={"line": "3"}),
    Case("calendar-overlap-and-conflict", "calendar.yaml",
         ["{L+1}:17: 错误：放假区间“重叠”（2027-01-02 至 2027-01-04）与“元旦”（2027-01-01 至 2027-01-03）重叠；每天只能属于一个放假区间",
          "{L+2}:16: 错误：调休上班日 2027-01-02 落在放假区间“元旦”（2027-01-01 至 2027-01-03）之内；一天不能既放假又上班，请改正其中之一"],
         find="", content="years:\n  - year: 2027\n    holidays:\n      - {start: 2027-01-01, end: 2027-01-03, name: 元旦}\n"
                          "      - {start: 2027-01-02, end: 2027-01-04, name: 重叠}\n    workdays: [2027-01-02]\n".encode(), extra={"line": "4"}),
    Case("unknown-key-suggest", "units.yaml", ["{L+2}:5: 错误：未知的键“shrot”，是否想写“short”？"],
         find=UNIT, replace=UNIT.replace("short:", "shrot:")),
    Case("string-for-int", "checklist.yaml", ["{L}:17: 错误：“points”应为整数，实际是文字“5”"],
         find="        points: 5", replace="        points: \"5\""),
    Case("float-for-int", "checklist.yaml", ["{L}:17: 错误：“points”应为整数，实际是小数 5.5"],
         find="        points: 5", replace="        points: 5.5"),
    Case("int-for-string", "checklist.yaml", ["{L}:12: 错误：“phone”应为文字，实际是整数 7653029；编号、电话等请加引号，如 \"7653029\""],
         find="    phone: \"0375-7653029\"", replace="    phone: 7653029"),
    Case("gbk-file", "units.yaml",
         ["1:3: 错误：文件不是 UTF-8 编码（第 3 字节无法解码）。看起来是 GBK/GB18030（Windows“ANSI”）编码；请用记事本或 WPS 打开，“另存为”时把编码选为 UTF-8 后再试"],
         content="# 单位名册\ntotals: {county: 35, township: 20}\n".encode("gbk"), extra={"line": "1"}),
    Case("fullwidth-colon", "units.yaml",
         ["{L+2}:5: 错误：YAML 格式错误：缺少冒号“:”（如果用了中文冒号“：”，请改成英文冒号加空格“: ”）"],
         find=UNIT, replace=UNIT.replace("name: 鲁山县司法局", "name：鲁山县司法局")),
    Case("ideographic-space", "units.yaml", ["{L+1}:1: 错误：缩进里有全角空格，YAML 缩进只能用半角空格"],
         find=UNIT, replace=UNIT.replace("    name:", "\u3000\u3000name:")),
    Case("zero-width", "units.yaml", ["{L+2}:15: 错误：含有不可见字符 零宽空格(U+200B)，请删除"],
         find=UNIT, replace=UNIT.replace("short: 司法局", "short: 司法局\u200b")),
    Case("missing-key", "units.yaml", ["{L}:5: 错误：缺少必填项“kind”"],
         find=UNIT, replace=UNIT.replace("    kind: county\n", "")),
    Case("bad-literal", "units.yaml", ["{L+3}:11: 错误：“kind”的值文字“city”不在允许范围内，应为 'county' 或 'township'"],
         find=UNIT, replace=UNIT.replace("kind: county", "kind: city")),
    Case("unclosed-bracket", "schedule.yaml", ["{L+1}:10: 错误：YAML 格式错误：方括号列表没有正确闭合"],
         find="    units: [sifaju, fagaiwei]\n", replace="    units: [sifaju, fagaiwei\n"),
    Case("empty-file", "settings.yaml", ["1:1: 错误：文件是空的"], content=b"# nothing\n", extra={"line": "1"}),
    Case("two-documents", "settings.yaml", ["{L}:1: 错误：文件里有多个 YAML 文档（“---”分隔），只能有一个"],
         find="default_notice_kind:", replace="---\ndefault_notice_kind:"),
    Case("top-level-list", "units.yaml", ["1:1: 错误：文件顶层应为映射（“键: 值”），实际是列表"],
         content=b"- sifaju\n- fagaiwei\n", extra={"line": "1"}),
    Case("bad-id-pattern", "units.yaml", ["{L}:9: 错误：编号文字“SiFaJu”只能由小写英文字母、数字和“-”组成"],
         find=UNIT, replace=UNIT.replace("id: sifaju", "id: SiFaJu")),
    # --- cross-file rules (issue item 4) --------------------------------------------
    Case("unknown-scheduled-unit", "schedule.yaml", ["{L}:13: 错误：单位编号“sifaj”不在名册 units.yaml 中，是否想写“sifaju”？",
          "{S}:1: 错误：单位“鲁山县司法局”（sifaju）没有安排检查；请加入某一周，或在 exempt 中写明免检原因"],
         find="    units: [sifaju, fagaiwei]", replace="    units: [sifaj, fagaiwei]"),
    Case("duplicate-unit-id", "units.yaml", ["{L+4}:9: 错误：单位编号“sifaju”重复（第 {L} 行已有）", "11:11: 错误：县直单位应有 35 家，名册中实际有 36 家"],
         find=UNIT, replace=UNIT + UNIT.replace("鲁山县司法局", "鲁山县司法局二").replace("司法局\n", "司法二局\n")),
    Case("scheduled-twice", "schedule.yaml", ["{L+3}:13: 错误：单位“gongxinju”在 4月第三周再次出现（第 {L} 行已安排），每个单位全年只安排一次"],
         find="    units: [sifaju, fagaiwei]", replace="    units: [sifaju, fagaiwei, gongxinju]"),
    Case("not-scheduled", "schedule.yaml", ["{S}:1: 错误：单位“鲁山县发展和改革委员会”（fagaiwei）没有安排检查；请加入某一周，或在 exempt 中写明免检原因"],
         find="    units: [sifaju, fagaiwei]", replace="    units: [sifaju]"),
    Case("totals-mismatch", "units.yaml", ["{L}:11: 错误：县直单位应有 36 家，名册中实际有 35 家"],
         find="  county: 35", replace="  county: 36"),
    Case("points-not-100", "checklist.yaml", ["{C}:1: 错误：各检查项目分值合计应为 100，实际为 99"],
         find="        points: 5\n", replace="        points: 4\n"),
    Case("unknown-office", "checklist.yaml", ["{L}:13: 错误：科室“faguii”不在 offices 中（可用：ducha、fagui、jiandu）"],
         find="    office: fagui", replace="    office: faguii"),
    Case("duplicate-slot", "schedule.yaml", ["{L}:12: 错误：4月第二周重复（第 {L-3} 行已有），请合并为一条"],
         find="  - month: 4\n    week: 3\n", replace="  - month: 4\n    week: 2\n"),
    Case("wrong-brackets", "settings.yaml", ["{L}:20: 错误：文号应使用六角括号〔〕，不能用“【”，请改为“〔”"],
         find="    number_format: \"鲁政行监字〔{year}〕{n}号\"", replace="    number_format: \"鲁政行监字【{year}】{n}号\""),
    Case("unknown-default-kind", "settings.yaml", ["{L}:22: 错误：默认文书种类“yjs”不在 notice_kinds 中（可用：yijianshu、tongzhishu、jueding）"],
         find="default_notice_kind: yijianshu", replace="default_notice_kind: yjs"),
    Case("exempt-without-reason", "schedule.yaml", ["{L+1}:28: 错误：“reason”不能为空"],
         find="exempt: []", replace="exempt:\n  - {unit: sifaju, reason: \"\"}"),
    Case("grades-unordered", "checklist.yaml", ["{G}:1: 错误：考核等级应按分数下限从高到低排列，且下限不能相同"],
         find="    min: 90", replace="    min: 70"),
    # --- scoring rules of checklist.yaml and the case-file review standard (issue 11) ---------
    Case("range-over-points", "checklist.yaml", ["{L+2}:30: 错误：项目 1.1 的扣分范围上限 6 分超过其分值 5 分"],
         find="        name: 文明执法\n        points: 5\n", replace="        name: 文明执法\n        points: 5\n        range: {min: 1, max: 6}\n"),
    Case("range-reversed", "checklist.yaml", ["{L+2}:30: 错误：扣分范围的上限 2 小于下限 4"],
         find="        name: 文明执法\n        points: 5\n", replace="        name: 文明执法\n        points: 5\n        range: {min: 4, max: 2}\n"),
    Case("per-occurrence-and-range", "checklist.yaml", ["{L+3}:9: 错误：项目 1.1 不能同时规定每处扣分（per_occurrence）和扣分范围（range），请只留一种"],
         find="        name: 文明执法\n        points: 5\n", replace="        name: 文明执法\n        points: 5\n        per_occurrence: 1\n        range: {min: 1, max: 2}\n"),
    Case("per-occurrence-over-points", "checklist.yaml", ["{L+2}:25: 错误：项目 1.1 每处扣分 6 分超过其分值 5 分"],
         find="        name: 文明执法\n        points: 5\n", replace="        name: 文明执法\n        points: 5\n        per_occurrence: 6\n"),
    Case("per-occurrence-not-half-step", "checklist.yaml", ["{L+2}:25: 错误：“per_occurrence”应为 0.5 的整数倍，实际是 0.3"],
         find="        name: 文明执法\n        points: 5\n", replace="        name: 文明执法\n        points: 5\n        per_occurrence: 0.3\n"),
    Case("weights-sum", "checklist.yaml", ["{L+1}:1: 错误：各部分权重合计应为 100，实际为 90"],
         find="\ncategories:", replace="\nweights:\n  - {name: 日常, kinds: [日常监督, 年中抽查], weight: 20}\n  - {name: 年终, kinds: [年终总结], weight: 70}\ncategories:"),
    Case("weights-kind-twice-and-missing", "checklist.yaml", ["{L+3}:24: 错误：检查类别“日常监督”已计入“日常”，每个类别只能计入一个部分", "{L+1}:1: 错误：检查类别 年中抽查、年终总结 没有计入任何部分，其发现的问题将不计分；请加入某一部分的 kinds"],
         find="\ncategories:", replace="\nweights:\n  - {name: 日常, kinds: [日常监督], weight: 20}\n  - {name: 年终, kinds: [日常监督], weight: 80}\ncategories:"),
    Case("weights-unknown-kind", "checklist.yaml", ["{L+2}:24: 错误：“kinds”的值文字“回头看”不在允许范围内，应为 '日常监督', '年中抽查' 或 '年终总结'"],
         find="\ncategories:", replace="\nweights:\n  - {name: 日常, kinds: [回头看], weight: 100}\ncategories:"),
    Case("bonus-item-veto", "checklist.yaml", ["{L+2}:104: 错误：加分项 10.1 不能同时是一票否决项"],
         find="\ncategories:\n", replace="\ncategories:\n  - {\"no\": 10, name: 加分项, office: jiandu, bonus: true, items: [{id: \"10.1\", name: 创新, points: 3, veto: true}]}\n"),
    Case("case-standard-points", "case-standard.yaml", ["23:1: 错误：各评查项目分值合计应为 100，实际为 102"],
         find="        name: 立案审批不规范\n        points: 10", replace="        name: 立案审批不规范\n        points: 12"),
    Case("case-standard-item-part", "case-standard.yaml", ["{L}:13: 错误：评查项目编号“2.9”应以所属部分序号 3 开头"],
         find="      - id: \"3.1\"", replace="      - id: \"2.9\""),
    Case("case-standard-assessment", "case-standard.yaml", ["{L}:9: 错误：考核项目“5.1”不在 checklist.yaml 中（可用：1.1、1.2、2、3.1、3.2、3.3、4、5、6、7、8、9）", "{L+2}:5: 错误：案卷等级“不及格”不在本标准的 grades 中（可用：优秀、合格、不合格）"],
         find="  item: \"5\"\n  deductions:\n    不合格: 3", replace="  item: \"5.1\"\n  deductions:\n    不及格: 3"),
]
