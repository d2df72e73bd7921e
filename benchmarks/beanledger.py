"""Write a synthetic beancount ledger (deterministic from the seed) for bench_scale.py.

    uv run python benchmarks/beanledger.py OUT.beancount --transactions 35000 --seed 1

The reference point for lufa's `check` at province scale: beancount's `bean-check`
parses, books and validates a ledger; this one is what a small organisation keeps over
five years (2022–2026): 40 open accounts, N transactions (4 opening balances, then payee, narration, two or three
postings, one amount left for beancount to interpolate, ~10 % with a tag or link), and a
balance assertion per asset account at the start of every month, computed here so
that every one holds — `bean-check` reports no errors. No beancount import: plain text,
written the way a person or an importer would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

START, END = dt.date(2022, 1, 1), dt.date(2026, 12, 31)
ASSETS = ["Assets:Bank:Checking", "Assets:Bank:Savings", "Assets:Cash", "Assets:Alipay"]
LIABILITIES = ["Liabilities:CreditCard"]
INCOME = ["Income:Salary", "Income:Bonus", "Income:Interest", "Income:Grants"]
EXPENSES = [
    "Expenses:Office:Supplies", "Expenses:Office:Printing", "Expenses:Office:Postage", "Expenses:Rent",
    "Expenses:Utilities:Electricity", "Expenses:Utilities:Water", "Expenses:Utilities:Internet",
    "Expenses:Travel:Train", "Expenses:Travel:Hotel", "Expenses:Travel:Taxi", "Expenses:Meals",
    "Expenses:Training", "Expenses:Books", "Expenses:Software", "Expenses:Hardware", "Expenses:Repairs",
    "Expenses:Insurance", "Expenses:Fees:Bank", "Expenses:Fees:Legal", "Expenses:Phone",
    "Expenses:Fuel", "Expenses:Parking", "Expenses:Cleaning", "Expenses:Events",
    "Expenses:Subscriptions", "Expenses:Furniture", "Expenses:Medical", "Expenses:Gifts",
    "Expenses:Taxes", "Expenses:Misc",
]
PAYEES = ["文具店", "印刷厂", "邮政局", "电力公司", "自来水公司", "电信营业厅", "铁路12306", "宾馆", "出租车",
          "食堂", "书店", "软件公司", "电脑城", "维修部", "保险公司", "银行",
          "律师事务所", "加油站", "停车场", "保洁公司"]
NARRATIONS = ["日常采购", "月度费用", "报销", "缴费", "出差", "培训", "维修", "订阅续费", "办公用品", "其他支出"]


def cents(x: int) -> str:
    return f"{Decimal(x) / 100:.2f}"


def build(path: Path, n: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    days = (END - START).days + 1
    opening = {"Assets:Bank:Checking": 5_000_000, "Assets:Bank:Savings": 20_000_000, "Assets:Cash": 200_000,
               "Assets:Alipay": 300_000}
    dates = sorted(START + dt.timedelta(days=rng.randrange(days)) for _ in range(n - len(opening)))
    balance = dict.fromkeys(ASSETS + LIABILITIES, 0)  # in cents
    out = [
        'option "title" "lufa benchmark ledger (synthetic)"\n',
        'option "operating_currency" "CNY"\n\n',
    ]
    out += [f"{START - dt.timedelta(days=1)} open {a} CNY\n" for a in ASSETS + LIABILITIES + INCOME + EXPENSES]
    out.append(f"{START - dt.timedelta(days=1)} open Equity:Opening-Balances CNY\n\n")
    for a, amount in opening.items():
        out.append(f'{START} * "期初余额"\n  {a}  {cents(amount)} CNY\n  Equity:Opening-Balances\n\n')
        balance[a] += amount
    month = (START.year, START.month)
    balances = 0
    for k, date in enumerate(dates):
        if (date.year, date.month) != month:  # assert every asset at the first of the new month
            month = (date.year, date.month)
            first = dt.date(date.year, date.month, 1)
            for a in ASSETS:
                out.append(f"{first} balance {a}  {cents(balance[a])} CNY\n")
                balances += 1
            out.append("\n")
        r = rng.random()
        if r < 0.08:  # income into the bank
            src, dst = rng.choice(INCOME), "Assets:Bank:Checking"
            amount = rng.randint(50_000, 2_000_000)
            postings = [(dst, amount), (src, None)]
            payee = "单位财务"
        elif r < 0.13:  # transfers keep cash and wallet topped up, card paid off
            dst = rng.choice(["Assets:Cash", "Assets:Alipay", "Liabilities:CreditCard", "Assets:Bank:Savings"])
            amount = rng.randint(10_000, 500_000)
            postings = [(dst, amount), ("Assets:Bank:Checking", None)]
            payee = "转账"
        else:  # an expense, sometimes split across two categories
            src = rng.choices(["Assets:Bank:Checking", "Assets:Cash", "Assets:Alipay", "Liabilities:CreditCard"],
                              weights=[4, 2, 3, 3])[0]
            cats = rng.sample(EXPENSES, 2 if rng.random() < 0.2 else 1)
            postings = [(c, rng.randint(100, 80_000)) for c in cats] + [(src, None)]
            payee = rng.choice(PAYEES)
        total = sum(a for _, a in postings if a is not None)
        for acct, amount in postings:
            if acct in balance:
                balance[acct] += amount if amount is not None else -total
        extra = ""
        if rng.random() < 0.1:
            extra = f" #trip-{date.year}-{date.month:02d}" if rng.random() < 0.5 else f" ^inv-{k:05d}"
        out.append(f'{date} * "{payee}" "{rng.choice(NARRATIONS)}"{extra}\n')
        for acct, amount in postings:
            out.append(f"  {acct}  {cents(amount)} CNY\n" if amount is not None else f"  {acct}\n")
        out.append("\n")
    end = END + dt.timedelta(days=1)
    for a in ASSETS:
        out.append(f"{end} balance {a}  {cents(balance[a])} CNY\n")
        balances += 1
    path.write_text("".join(out), encoding="utf-8")
    return {"transactions": n, "balance_assertions": balances,
            "accounts": len(ASSETS + LIABILITIES + INCOME + EXPENSES) + 1}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="write a synthetic beancount ledger")
    ap.add_argument("out", type=Path)
    ap.add_argument("--transactions", type=int, default=35000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    counts = build(args.out, args.transactions, args.seed)
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
