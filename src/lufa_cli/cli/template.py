"""lufa template: check edited document templates; add the bundled ones a workspace lacks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from lufa_cli.cli.common import CTX, console, echo, load, print_diagnostics, run_today, say
from lufa_cli.errors import TemplateError, UsageError
from lufa_cli.workspace.loader import display_path

template_app = typer.Typer(help="文书模板：检查修改过的模板，补上缺少的内置模板。", no_args_is_help=True, **CTX)


def _context_for(name: str, contexts: dict[str, dict[str, Any] | None]) -> dict[str, Any] | None:
    stem = name.split(".")[0]
    for key in sorted(contexts, key=len, reverse=True):
        if stem == key or stem.startswith(key + "-") or (key == "notice" and stem.startswith("notice")):
            return contexts[key]
    return None


@template_app.command(
    "check",
    help="""检查文书模板：语法错误、模板用到但程序不提供的变量、越权访问。改过模板后、批量生成前运行。

不写名称时检查模板目录中的全部模板。有问题时退出码 4。

[bold]示例[/bold]

  lufa template check
  lufa template check notice-yijianshu.docx
  lufa template check templates/circular.docx
""",
)
def template_check(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar="模板", help="模板文件名（如 plan-week.docx）或路径（如 templates/plan-week.docx）。")] = None,
) -> None:
    from lufa_cli.render.documents import lint_template

    ws = load(ctx)
    folder = ws.templates_dir
    if name is not None:
        given = Path(name)
        # a path the shell completed (templates/x.md.j2) is that file; a bare name is looked up
        path = given if len(given.parts) > 1 else ws.template(name)
        if not path.is_file():
            raise UsageError(f"模板“{name}”不存在（模板目录：{display_path(folder)}）")
        paths = [path]
    else:
        paths = sorted(p for p in folder.iterdir() if p.suffix in (".docx", ".j2") and not p.name.startswith(("~$", ".")))
    from lufa_cli.render.samples import template_contexts

    contexts = template_contexts(ws, run_today())
    problems = []
    for p in paths:
        ctx_ = _context_for(p.name, contexts)
        if ctx_ is None:
            say(f"{display_path(p)}：不知道这个模板用于哪种文书，跳过（文件名应以 plan-week、plan-year、notice、letter、receipt、circular、feedback、models、briefing、score-report 或 overdue 开头）", style="yellow")
            continue
        found = lint_template(Path(display_path(p)), ctx_)
        problems += found
        if not found:
            console().print(f"{display_path(p)}：无误", markup=False)
    if problems:
        print_diagnostics(problems)
        raise TemplateError(f"共 {len(problems)} 个模板问题，请修改模板后重新检查")


@template_app.command(
    "add-missing",
    help="""补上工作区缺少的内置模板：把本版 lufa 自带、而工作区 templates/ 中没有的模板复制进去。

旧版 lufa init 建立的工作区缺少后来新增的模板（如送达回证 receipt-songda.docx），
缺了它们 lufa notice issue 等命令会拒绝运行。本命令只添加缺少的文件，已有的模板
（包括改过的）一律不动；templates/ 中同名的目录或指向工作区之外的符号链接会列出，
此时什么也不添加（退出码 3）。--dry-run 只列出将添加的模板，不写任何文件。

[bold]示例[/bold]

  lufa template add-missing --dry-run
  lufa template add-missing
""",
)
def template_add_missing(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出将添加的模板，不写任何文件。")] = False,
) -> None:
    from lufa_cli.workspace.init import add_templates, missing_templates

    ws = load(ctx)
    ws.require_writable()
    found = missing_templates(ws.templates_dir)
    added, appeared = add_templates(found, dry_run=dry_run)

    def shown(path: Path) -> str:
        return str(path.relative_to(ws.home))

    if not added and not appeared:
        echo(f"模板目录 {shown(ws.templates_dir)} 中内置模板齐全，没有需要添加的。")
        return
    for path in added:
        echo(f"{'将添加' if dry_run else '已添加'} {shown(path)}")
    for path in appeared:
        say(f"{shown(path)} 已由其他程序同时建立，未改动", style="yellow")
    if dry_run:
        echo(f"共将添加 {len(added)} 个内置模板（--dry-run：什么也没有写入）。")
    else:
        echo(f"共添加 {len(added)} 个内置模板；已有的模板未改动。")
