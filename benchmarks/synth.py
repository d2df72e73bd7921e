"""Write a synthetic, province-scale lufa workspace (deterministic from the seed).

    uv run python benchmarks/synth.py OUT_DIR --units 10000 --seed 1
    uv run python benchmarks/synth.py OUT_DIR --units 1000            # records scale with the units
    uv run python benchmarks/synth.py OUT_DIR --units 500 --notices 5000   # 1,000 notices a year

Writes OUT_DIR/data/{units,schedule,checklist,settings,calendar}.yaml, OUT_DIR/data/records/… and
OUT_DIR/templates/ (the bundled templates, as `lufa init` copies them):

* roster: N units in blocks of 55 per synthetic county (35 county-level bodies, then
  20 townships), ids ``c0001-sifaju`` / ``c0001-t07``, unique Chinese full and short
  names, ``totals`` declared to match;
* schedule: Annex 1's grid is keyed by (month, week) and a slot holds at most 4 units,
  so a year has at most 40 slots × 4 = 160 scheduled units (weeks 1–4 of March to
  December). Those 160 are drawn from the roster; every other unit is listed in
  ``exempt`` with the reason 由市级统一安排（分县计划表）. A real province would keep one
  schedule per county; the point here is the record volume (see benchmarks/README.md);
* checklist.yaml and settings.yaml copied from the repository's data/ (settings with a
  synthetic contact person: the bundled file leaves it blank);
* records: one inspection per unit (0–4 findings, valid items and deductions, dates over
  2022–2026; scheduled units get a 日常监督 inside their scheduled week, the others a
  年中抽查 / 年终总结 / 回头看 so that `lufa check` has nothing to warn about), 2 × N notices
  over the five years (numbers consecutive per year in issue order, about 40 % drawn
  from an inspection's findings, the rest direct case-review notices; rectification
  histories simulated up to 2026-12-31: ~60 % with feedback, ~45 % verified, some failed
  verifications with a new deadline, ~1.5 % voided), self-checks for ~10 % of the units
  each year and one spot-check sample a year (holding every unit with a 年中抽查 that year).

Files are written with plain string templates (no YAML library): every value is either
a number, a date, a plain Chinese/ASCII word the strict reader takes as text, or quoted.
The result passes `lufa --data OUT_DIR/data check` with exit code 0 and no warnings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import time
from pathlib import Path

import yaml

from lufa_cli.domain.deadlines import deadline
from lufa_cli.domain.workcal import WorkCalendar
from lufa_cli.model.data import CalendarOverrides

REPO = Path(__file__).resolve().parent.parent
YEARS = (2022, 2023, 2024, 2025, 2026)
TODAY = dt.date(2026, 12, 31)  # the simulated histories stop here
MONTHS = (3, 12)
# Deadlines of notices issued late in 2026 run into 2027, which chinese_calendar does not
# cover yet: the workspace gets the data/calendar.yaml a clerk is asked to add (`lufa check`
# warns without it). Its 2027 holidays are synthetic: only the fixed-date ones. The same
# WorkCalendar (official holidays + this file) computes every deadline here: the one rule
# `lufa check` applies.
CALENDAR_YAML = """\
# 2027 年放假安排（合成数据：只含固定日期的假日）
years:
- year: 2027
  holidays:
  - start: 2027-01-01
    end: 2027-01-03
    name: 元旦
  - start: 2027-05-01
    end: 2027-05-05
    name: 劳动节
  - start: 2027-10-01
    end: 2027-10-07
    name: 国庆节
  workdays: []
"""
CAL = WorkCalendar(CalendarOverrides.model_validate(yaml.safe_load(CALENDAR_YAML)))
EXEMPT_REASON = "由市级统一安排（分县计划表）"

# 35 county-level bodies (id, name); short name = county + name
DEPTS = [
    ("zhengfuban", "人民政府办公室"), ("renfangban", "人民防空办公室"), ("jinrongju", "金融工作局"),
    ("jiyao-baomiju", "机要保密局"), ("sifaju", "司法局"), ("fagaiwei", "发展和改革委员会"),
    ("gongxinju", "工业和信息化局"), ("yingjiju", "应急管理局"), ("wenguanglvju", "文化广电和旅游局"),
    ("jiaotiju", "教育体育局"), ("kejiju", "科学技术局"), ("gonganju", "公安局"), ("minzhengju", "民政局"),
    ("caizhengju", "财政局"), ("renshe", "人力资源和社会保障局"), ("ziranziyuan", "自然资源局"),
    ("shengtai-huanjing", "生态环境分局"), ("zhujianju", "住房和城乡建设局"), ("jiaotongju", "交通运输局"),
    ("shuiliju", "水利局"), ("nongyenongcun", "农业农村局"), ("shangwuju", "商务局"),
    ("weijianwei", "卫生健康委员会"), ("tuiyijunren", "退役军人事务局"), ("shenjiju", "审计局"),
    ("shichangjianguan", "市场监督管理局"), ("tongjiju", "统计局"), ("yibaoju", "医疗保障局"),
    ("linyeju", "林业局"), ("chengguanju", "城市管理局"), ("shuiwuju", "税务局"),
    ("xiaofang-dadui", "消防救援大队"), ("yancaoju", "烟草专卖局"), ("qixiangju", "气象局"), ("danganguan", "档案馆"),
]
TOWNSHIPS_PER_COUNTY = 20
NAME_CHARS = "安平宁远清河东西南北阳山川丰和兴泰华中新永长宝德昌嘉临宜汾洛汝伊淮颍"
TOWN_CHARS = "张李王赵刘杨陈周吴孙马朱胡林郭何高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢"

FINDING_TEXTS = {
    "1": ["执法人员着装不规范", "未制定行政执法规范用语", "部分执法证件未按期审验", "离岗人员执法证件未及时收回"],
    "2": ["年度培训考核计划未以文件形式印发", "培训学时不足20学时", "考核试卷未存档备查"],
    "3": ["权责清单未在平台公示", "重大执法决定未经法制审核", "执法记录仪未全程开启", "执法文书记录不完整"],
    "4": ["重大行政处罚决定未在15日内备案", "备案材料缺少处罚决定书复印件"],
    "5": ["案卷未按规范立卷", "处罚决定书未载明救济途径", "听证告知程序缺失", "罚没款未按期执行到位"],
    "6": ["规范性文件未按要求报送备案", "发文程序缺少合法性审核"],
    "7": ["普法责任清单未及时更新", "未开展宪法宣传活动"],
    "8": ["主要负责人述法材料缺失", "法治政府建设年度报告未按期公开"],
    "9": ["上级交办的专项检查未按期反馈"],
}
CASE_NAMES = ["某建材公司未批先建案", "某商贸公司无证经营案", "某餐饮店食品安全违法案", "某运输公司超限运输案",
              "某养殖场环境污染案", "某药店销售劣药案", "某网吧接纳未成年人案", "某砂石厂非法采砂案"]
INSPECTORS = ["张建国", "李秀英", "王海涛", "赵丽娟", "刘志强", "陈晓梅", "杨振华", "周文静"]
HEADER_INSPECTION = "# 检查记录（lufa inspect record 生成；可手工修改，改后请运行 lufa check）\n"
HEADER_NOTICE = "# 监督文书记录（lufa notice issue 生成）。文号一经使用不再重用；请用 lufa notice / lufa rectify 命令修改\n"


# --- calendar helpers (week rule "monday", as in the shipped schedule) -------------------


def week_bounds(year: int, month: int, week: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    monday = first + dt.timedelta(days=(-first.weekday()) % 7) + dt.timedelta(weeks=week - 1)
    return monday, monday + dt.timedelta(days=6)


def workday(d: dt.date) -> dt.date:
    """Roll a Saturday/Sunday forward to Monday (holidays are ignored: the check does not care)."""
    return d + dt.timedelta(days=(7 - d.weekday()) % 7) if d.weekday() >= 5 else d


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


# --- roster and schedule --------------------------------------------------------------


def make_units(n: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """[(id, name, short, kind)] in county blocks of 35 bodies + 20 townships."""
    pairs = [a + b for a in NAME_CHARS for b in NAME_CHARS if a != b]
    counties = (n + 54) // 55
    if counties > len(pairs):
        raise SystemExit(f"at most {len(pairs) * 55} units")
    names = rng.sample(pairs, counties)
    town_pairs = [a + b for a in TOWN_CHARS for b in "庄店集寨营坡桥湾岭河"]
    units: list[tuple[str, str, str, str]] = []
    for c, county in enumerate(names, start=1):
        for did, dname in DEPTS:
            units.append((f"c{c:04d}-{did}", f"{county}县{dname}", f"{county}{dname}", "county"))
        for t, town in enumerate(rng.sample(town_pairs, TOWNSHIPS_PER_COUNTY), start=1):
            suffix = "镇" if t % 3 else "乡"
            units.append((f"c{c:04d}-t{t:02d}", f"{county}县{town}{suffix}人民政府", f"{county}{town}{suffix}", "township"))
    return units[:n]


def write_roster(data: Path, units: list[tuple[str, str, str, str]]) -> None:
    county = sum(1 for u in units if u[3] == "county")
    out = [
        "# 单位名册（benchmarks/synth.py 生成的省级规模合成数据）\n",
        f"totals:\n  county: {county}\n  township: {len(units) - county}\n",
        "units:\n",
    ]
    out += [f"  - id: {i}\n    name: {name}\n    short: {short}\n    kind: {kind}\n" for i, name, short, kind in units]
    (data / "units.yaml").write_text("".join(out), encoding="utf-8")


def make_schedule(units: list[tuple[str, str, str, str]], rng: random.Random) -> dict[str, tuple[int, int]]:
    """unit id → (month, week) for the ≤ 160 scheduled units."""
    slots = [(m, w) for m in range(MONTHS[0], MONTHS[1] + 1) for w in range(1, 5)]
    chosen = rng.sample([u[0] for u in units], min(len(units), 4 * len(slots)))
    return {uid: slots[k // 4] for k, uid in enumerate(chosen)}


def write_schedule(data: Path, units: list[tuple[str, str, str, str]], scheduled: dict[str, tuple[int, int]]) -> None:
    by_slot: dict[tuple[int, int], list[str]] = {}
    for uid, slot in scheduled.items():
        by_slot.setdefault(slot, []).append(uid)
    out = [
        "# 分组计划表（合成数据）：附件一每格最多 4 个单位，其余单位由市级统一安排，列入 exempt\n",
        f"week_rule: monday\nmonths: [{MONTHS[0]}, {MONTHS[1]}]\nslots:\n",
    ]
    out += [f"  - month: {m}\n    week: {w}\n    units: [{', '.join(ids)}]\n" for (m, w), ids in sorted(by_slot.items())]
    exempt = [u[0] for u in units if u[0] not in scheduled]
    if exempt:
        out.append("exempt:\n")
        out += [f"  - unit: {uid}\n    reason: {EXEMPT_REASON}\n" for uid in exempt]
    else:
        out.append("exempt: []\n")
    (data / "schedule.yaml").write_text("".join(out), encoding="utf-8")


# --- inspections ------------------------------------------------------------------------


def make_inspections(units, scheduled, checklist, rng: random.Random) -> list[dict]:
    items = [(str(i["id"]), i["points"], str(c["no"])) for c in checklist["categories"] for i in c["items"]]
    scoring_items = [it for it in items if it[1] > 0]
    zero_items = [it for it in items if it[1] == 0]
    offices = [o["id"] for o in checklist["offices"]]
    methods = list(checklist["methods"])
    out = []
    for uid, _name, _short, _kind in units:
        year = rng.choice(YEARS)
        if uid in scheduled:
            m, w = scheduled[uid]
            mon, _sun = week_bounds(year, m, w)
            date, kind = min(mon + dt.timedelta(days=rng.randint(0, 4)), dt.date(year, 12, 31)), "日常监督"
        else:
            kind = rng.choices(["年中抽查", "年终总结", "回头看"], weights=[4, 4, 2])[0]
            start, end = {
                "年中抽查": ((5, 15), (7, 31)), "年终总结": ((11, 15), (12, 20)), "回头看": ((3, 1), (12, 20)),
            }[kind]
            date = workday(rand_date(rng, dt.date(year, *start), dt.date(year, *end)))
        count = rng.choices([0, 1, 2, 3, 4], weights=[20, 30, 25, 15, 10])[0]
        picked = rng.sample(scoring_items, count)
        if count and zero_items and rng.random() < 0.05:
            picked[-1] = zero_items[0]
        findings = []
        for fid, (item, points, cat) in enumerate(picked, start=1):
            deduction = rng.randint(0, min(points, 5) * 2) / 2 if points else 0
            findings.append({
                "id": fid, "item": item, "deduction": deduction, "description": rng.choice(FINDING_TEXTS.get(cat, FINDING_TEXTS["9"])),
                "case": f"罚决字〔{year}〕第{rng.randint(1, 300)}号" if cat in ("4", "5") else None,
                "fixed_on_spot": rng.random() < 0.15,
                "withdrawn": "经复核不构成问题" if rng.random() < 0.03 else None,
            })
        out.append({
            "id": f"{date.isoformat()}-{uid}", "unit": uid, "date": date, "kind": kind,
            "inspectors": rng.sample(INSPECTORS, 2), "office": rng.choice(offices),
            "methods": rng.sample(methods, rng.randint(1, 3)), "findings": findings,
        })
    return out


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def inspection_text(r: dict) -> str:
    out = [
        HEADER_INSPECTION,
        f"id: {r['id']}\nunit: {r['unit']}\ndate: {r['date'].isoformat()}\nkind: {r['kind']}\n",
        "inspectors:\n", *(f"- {p}\n" for p in r["inspectors"]),
        f"office: {r['office']}\n",
        "methods:\n", *(f"- {m}\n" for m in r["methods"]),
    ]
    if r["findings"]:
        out.append("findings:\n")
        for f in r["findings"]:
            out.append(f"- id: {f['id']}\n  item: '{f['item']}'\n  deduction: {_num(f['deduction'])}\n  description: {f['description']}\n")
            if f["case"]:
                out.append(f"  case: {f['case']}\n")
            out.append(f"  fixed_on_spot: {'true' if f['fixed_on_spot'] else 'false'}\n")
            if f["withdrawn"]:
                out.append(f"  withdrawn: {f['withdrawn']}\n")
    else:
        out.append("findings: []\n")
    out.append("note: ''\n")
    withdrawn = [f["id"] for f in r["findings"] if f["withdrawn"]]
    if withdrawn:
        when = min(r["date"] + dt.timedelta(days=7), TODAY)
        out.append(f"amendments:\n- date: {when.isoformat()}\n  summary: 撤销第 {'、'.join(map(str, withdrawn))} 条问题（经复核不构成问题）\n")
    return "".join(out)


# --- notices ----------------------------------------------------------------------------


def simulate_history(rng: random.Random, issued: dt.date, rectify_days: int, short: str) -> list[dict]:
    """A valid rectification history, cut off at TODAY."""
    events: list[dict] = []

    def add(ev: dict) -> bool:
        if ev["date"] > TODAY:
            return False
        events.append(ev)
        return True

    if rng.random() < 0.015:
        add({"event": "void", "date": issued + dt.timedelta(days=rng.randint(1, 10)), "note": "送达对象有误，另行下达"})
        return events
    date = issued
    for attempt in range(2):
        if rng.random() > (0.62 if attempt == 0 else 0.7):
            break
        date = workday(date + dt.timedelta(days=rng.randint(7, 40)))
        if not add({"event": "feedback", "date": date, "doc": f"{short}关于整改情况的报告"}):
            break
        if rng.random() > (0.75 if attempt == 0 else 0.8):
            break
        date = workday(date + dt.timedelta(days=rng.randint(2, 25)))
        failed = attempt == 0 and rng.random() < 0.12
        ev = {"event": "verify", "date": date, "method": rng.choice(["书面审阅", "实地查验"]), "result": "未通过" if failed else "通过"}
        if failed:
            ev["new_deadline"] = deadline(date, rectify_days, CAL)
            ev["note"] = "整改措施未落实到位"
        if not add(ev) or not failed:
            break
    return events


def make_notices(total: int, units, inspections, kind: dict, rng: random.Random) -> list[dict]:
    unit_short = {u[0]: u[2] for u in units}
    unit_ids = [u[0] for u in units]
    by_year: dict[int, list[dict]] = {y: [] for y in YEARS}
    for r in inspections:
        open_f = [f for f in r["findings"] if not f["fixed_on_spot"] and not f["withdrawn"]]
        if open_f:
            by_year[r["date"].year].append((r, open_f))
    out = []
    for k, year in enumerate(YEARS):
        m = total // len(YEARS) + (1 if k < total % len(YEARS) else 0)
        pool = by_year[year]
        rng.shuffle(pool)
        drafts = []
        for r, open_f in pool[: int(m * 0.4)]:  # ~40 % from an inspection's open findings
            issued = min(workday(r["date"] + dt.timedelta(days=rng.randint(3, 15))), dt.date(year, 12, 31))
            findings = [{"text": f["description"], "finding": f["id"], "item": f["item"]} for f in open_f]
            drafts.append({"unit": r["unit"], "issued": issued, "inspection": r["id"], "case": None, "findings": findings})
        while len(drafts) < m:  # the rest: case-review notices addressed directly
            issued = workday(rand_date(rng, dt.date(year, 1, 4), dt.date(year, 12, 28)))
            cat = rng.choice(["3", "4", "5", "5"])
            texts = rng.sample(FINDING_TEXTS[cat], rng.randint(1, min(3, len(FINDING_TEXTS[cat]))))
            case = {"name": rng.choice(CASE_NAMES), "number": f"罚决字〔{year}〕第{rng.randint(1, 500)}号"}
            drafts.append({"unit": rng.choice(unit_ids), "issued": issued, "inspection": None, "case": case,
                           "findings": [{"text": t} for t in texts]})
        drafts.sort(key=lambda d: (d["issued"], d["unit"], d["inspection"] or ""))
        for number, d in enumerate(drafts, start=1):
            days = kind["rectify_days"]
            d.update(
                year=year, number=number, doc_number=kind["number_format"].format(year=year, n=number),
                deadline=deadline(d["issued"], days, CAL), rectify_days=days,
                history=simulate_history(rng, d["issued"], days, unit_short[d["unit"]]),
            )
            out.append(d)
    return out


def notice_text(n: dict, kind: dict) -> str:
    out = [
        HEADER_NOTICE,
        (f"year: {n['year']}\nnumber: {n['number']}\ndoc_number: {n['doc_number']}\nkind: {kind['id']}\n"
         f"kind_name: {kind['name']}\nunit: {n['unit']}\nissued: {n['issued'].isoformat()}\n"),
    ]
    if n["inspection"]:
        out.append(f"inspection: {n['inspection']}\n")
    if n["case"]:
        out.append(f"case:\n  name: {n['case']['name']}\n  number: {n['case']['number']}\n")
    out.append("findings:\n")
    for f in n["findings"]:
        out.append(f"- text: {f['text']}\n")
        if "finding" in f:
            out.append(f"  finding: {f['finding']}\n  item: '{f['item']}'\n")
    out.append(f"rectify_days: {n['rectify_days']}\ndeadline: {n['deadline'].isoformat()}\n")
    out.append("contact:\n  name: ''\n  phone: ''\n")
    if n["history"]:
        out.append("history:\n")
        for e in n["history"]:
            out.append(f"- event: {e['event']}\n  date: {e['date'].isoformat()}\n")
            for key in ("doc", "method", "result"):
                if key in e:
                    out.append(f"  {key}: {e[key]}\n")
            if "new_deadline" in e:
                out.append(f"  new_deadline: {e['new_deadline'].isoformat()}\n")
            if "note" in e:
                out.append(f"  note: {e['note']}\n")
    else:
        out.append("history: []\n")
    return "".join(out)


# --- self-checks and spot checks ------------------------------------------------------------


def write_selfchecks(records: Path, units, rng: random.Random) -> int:
    n = 0
    for year in YEARS:
        folder = records / "selfchecks" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for uid, _name, short, _kind in rng.sample(units, max(1, len(units) // 10)):
            date = workday(rand_date(rng, dt.date(year, 3, 1), dt.date(year, 11, 30)))
            (folder / f"{uid}.yaml").write_text(
                f"unit: {uid}\nyear: {year}\ndate: {date.isoformat()}\ndocument: {short}{year}年度依法行政自查报告\nnote: ''\n",
                encoding="utf-8",
            )
            n += 1
    return n


def write_spotchecks(records: Path, units, inspections: list[dict], rng: random.Random) -> None:
    """One sample a year: every unit with a 年中抽查 that year (`lufa check` warns about a 年中抽查
    of a unit not drawn), topped up at random to a twentieth of the roster."""
    folder = records / "spotchecks"
    folder.mkdir(parents=True, exist_ok=True)
    for year in YEARS:
        needed = sorted({r["unit"] for r in inspections if r["kind"] == "年中抽查" and r["date"].year == year})
        taken = set(needed)
        others = [u[0] for u in units if u[0] not in taken]
        drawn = needed + rng.sample(others, max(0, max(1, len(units) // 20) - len(needed)))
        count = len(drawn)
        body = "".join(f"- {uid}\n" for uid in drawn)
        (folder / f"{year}.yaml").write_text(
            f"year: {year}\nseed: '{year}-{rng.randint(1000, 9999)}'\ncount: {count}\ndrawn: {year}-06-01\nunits:\n{body}",
            encoding="utf-8",
        )


# --- main -----------------------------------------------------------------------------------


def build(out: Path, units_n: int, seed: int, notices_n: int | None = None, *, force: bool = False, quiet: bool = False) -> dict:
    """Write the workspace; returns counts."""
    t0 = time.perf_counter()
    data = out / "data"
    if data.exists():
        if not force:
            raise SystemExit(f"{data} already exists (use --force to replace it)")
        shutil.rmtree(data)
    data.mkdir(parents=True)
    rng = random.Random(seed)
    shutil.copyfile(REPO / "data" / "checklist.yaml", data / "checklist.yaml")
    # the bundled settings leave the contact person blank (the clerk fills it in; `lufa check`
    # warns until then): a synthetic one here
    bundled = (REPO / "data" / "settings.yaml").read_text(encoding="utf-8")
    filled = bundled.replace('contact:\n  name: ""\n', "contact:\n  name: 张明\n", 1)
    if filled == bundled:
        raise SystemExit("data/settings.yaml: contact.name is no longer the blank synth.py fills in; update synth.py")
    (data / "settings.yaml").write_text(filled, encoding="utf-8")
    (data / "calendar.yaml").write_text(CALENDAR_YAML, encoding="utf-8")
    # the bundled templates, as `lufa init` copies them: `lufa check` checks that each notice
    # kind's and letter's template is there
    shutil.rmtree(out / "templates", ignore_errors=True)
    shutil.copytree(REPO / "templates", out / "templates")
    checklist = yaml.safe_load((REPO / "data" / "checklist.yaml").read_text(encoding="utf-8"))
    settings = yaml.safe_load((REPO / "data" / "settings.yaml").read_text(encoding="utf-8"))
    kind = next(k for k in settings["notice_kinds"] if k["id"] == settings["default_notice_kind"])

    units = make_units(units_n, rng)
    write_roster(data, units)
    scheduled = make_schedule(units, rng)
    write_schedule(data, units, scheduled)

    records = data / "records"
    inspections = make_inspections(units, scheduled, checklist, rng)
    for year in YEARS:
        (records / "inspections" / str(year)).mkdir(parents=True, exist_ok=True)
        (records / "notices" / str(year)).mkdir(parents=True, exist_ok=True)
    for r in inspections:
        (records / "inspections" / r["id"][:4] / f"{r['id']}.yaml").write_text(inspection_text(r), encoding="utf-8")
    notices = make_notices(2 * units_n if notices_n is None else notices_n, units, inspections, kind, rng)
    for n in notices:
        path = records / "notices" / str(n["year"]) / f"{n['year']}-{n['number']:04d}.yaml"
        path.write_text(notice_text(n, kind), encoding="utf-8")
    selfchecks = write_selfchecks(records, units, rng)
    write_spotchecks(records, units, inspections, rng)

    counts = {
        "units": len(units), "scheduled": len(scheduled), "exempt": len(units) - len(scheduled),
        "inspections": len(inspections), "findings": sum(len(r["findings"]) for r in inspections),
        "notices": len(notices),
        "with_feedback": sum(any(e["event"] == "feedback" for e in n["history"]) for n in notices),
        "verified": sum(any(e["event"] == "verify" for e in n["history"]) for n in notices),
        "failed_verification": sum(any(e.get("result") == "未通过" for e in n["history"]) for n in notices),
        "voided": sum(any(e["event"] == "void" for e in n["history"]) for n in notices),
        "selfchecks": selfchecks, "spotchecks": len(YEARS), "seconds": round(time.perf_counter() - t0, 2),
    }
    if not quiet:
        print(f"wrote {data}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="write a synthetic province-scale lufa workspace")
    ap.add_argument("out", type=Path, help="output directory (gets data/ inside)")
    ap.add_argument("--units", type=int, default=10000, help="number of units (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--notices", type=int, default=None, help="notices over 2022–2026 (default 2 × units)")
    ap.add_argument("--force", action="store_true", help="replace an existing OUT/data")
    args = ap.parse_args(argv)
    if args.units < 1:
        ap.error("--units must be at least 1")
    build(args.out, args.units, args.seed, args.notices, force=args.force)


if __name__ == "__main__":
    sys.exit(main())
