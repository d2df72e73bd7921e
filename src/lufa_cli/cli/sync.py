"""lufa sync: several clerks on one shared git remote."""

from __future__ import annotations

from typing import Annotated

import typer

from lufa_cli.cli.common import CTX, console, load, say
from lufa_cli.errors import ExitCode, LufaError, UsageError
from lufa_cli.workspace.loader import display_path

commands = typer.Typer(**CTX)  # registered on the root app by cli.app


@commands.command(
    "sync",
    help="""多人共用文号时与 git 服务器同步：取回别人的记录，推送本机已提交的记录，为临时文书定号。

需要 settings.yaml 的 sync 一节（remote、branch）。步骤：
1. 从服务器取回（git fetch），本机分支落后时快进（相当于 git pull --ff-only）；
2. 本机有已提交、未推送的提交时推送（不强推；分叉时提示先 git pull --rebase）；
3. 离线时用 --provisional 保存的临时文书逐份在服务器上定号，生成 Word 文档，删除临时文件。

[bold]示例[/bold]

  lufa sync
""",
)
def sync(
    ctx: typer.Context,
    out_dir: Annotated[str | None, typer.Option("--output-dir", "-o", metavar="目录", help="文档输出目录（默认 output/notices/年份/）。")] = None,
) -> None:
    from pathlib import Path

    from lufa_cli.cli.notice import notice_kind, publish_drafts, sync_preflight
    from lufa_cli.records import gitsync
    from lufa_cli.records.inspections import require_records
    from lufa_cli.records.notices import draft_of

    ws = load(ctx)
    ws.require_writable()
    if ws.settings.sync is None:
        raise UsageError("settings.yaml 没有 sync 一节（多人共用文号），无需同步；单机使用时用 git pull / git push 即可")
    s = ws.settings.sync
    repo = gitsync.open_repo(ws.root, s.remote, s.branch)
    tip = gitsync.fetch(repo)
    head = gitsync.git(repo.top, "rev-parse", "HEAD").stdout.decode().strip()
    con = console(stderr=True)
    if head != tip:
        if gitsync.git(repo.top, "merge-base", "--is-ancestor", "HEAD", tip).returncode == 0:
            behind = gitsync.git(repo.top, "rev-list", "--count", f"HEAD..{tip}").stdout.decode().strip()
            reason = gitsync.fast_forward(repo, tip)
            if reason is not None:
                raise LufaError(f"取回服务器上的记录失败：{reason}；请先提交或移走本机的修改（git status 可查看）", exit_code=ExitCode.REFUSED)
            con.print(f"已取回服务器上的 {behind} 个提交。", markup=False)
        elif gitsync.git(repo.top, "merge-base", "--is-ancestor", tip, "HEAD").returncode == 0:
            ahead = gitsync.git(repo.top, "rev-list", "--count", f"{tip}..HEAD").stdout.decode().strip()
            if not gitsync.push(repo, head):
                raise LufaError("推送时服务器上又有了新提交；请再运行一次 lufa sync", exit_code=ExitCode.REFUSED)
            con.print(f"已推送本机的 {ahead} 个提交。", markup=False)
        else:
            raise LufaError(
                f"本机分支与服务器分叉（双方都有对方没有的提交）；请先 git pull --rebase {s.remote} {s.branch}"
                "（有冲突时按提示解决，文书重号用 lufa notice renumber），再 git push，然后重新运行 lufa sync",
                exit_code=ExitCode.REFUSED,
            )
    else:
        con.print("本机与服务器一致。", markup=False)
    rs = require_records(ws)
    for path, p in rs.provisional:
        d = draft_of(p, notice_kind(ws, p.kind))
        (n,) = publish_drafts(ws, rs, [d], Path(out_dir) if out_dir else None, False, sync_preflight(ws))
        path.unlink()
        say(f"临时文书 {display_path(path)} 已定号为 {n.doc_number}。", style="green")
